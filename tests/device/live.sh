#!/bin/sh
# The live assistant (`talkleaf` with no command) on real PortAudio streams without a sound card:
# with no device it prints one clear line and exits non-zero; on the ALSA file plugin's device
# it greets, answers a topic's keys from standard input (a sub-menu's digit, then the topic's),
# writes its log, plays into the output file, and leaves cleanly (exit 0) on SIGINT, as on Ctrl-C.
# usage: live.sh TALKLEAF CONF_DIR
set -u
talkleaf=$1
conf=$2
D=$(mktemp -d "${TMPDIR:-/tmp}/talkleaf-live-XXXXXX")
trap 'rm -rf "$D"' EXIT
. "$conf/../station_lib.sh"
# The first topic and its keys from the list of topics ("1-1"), typed as the keys "11".
set -- $("$talkleaf" topics 2>/dev/null | head -n 1)
keys=$(echo "${1:-}" | tr -d -) first=${2:-}
[ -n "$first" ] || { echo "no topic in talkleaf topics"; exit 1; }
# alsa-lib's dlopen'd plugins leak at exit (see run-pulse.sh); that is not ours to fix.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"

# No device at all: one line, exit 1, nothing on stdout.
env ALSA_CONFIG_PATH="$conf/asound-none.conf" "$talkleaf" < /dev/null > "$D/out" 2> "$D/err"
rc=$?
echo "--- no device: exit $rc, stderr:"
cat "$D/err"
[ $rc -eq 1 ] || fail "no device: exit $rc, expected 1"
[ -s "$D/out" ] && fail "no device: printed on stdout"
[ "$(wc -l < "$D/err")" -eq 1 ] || fail "no device: $(wc -l < "$D/err") lines on stderr, expected 1"

# A device: the microphone hears a quiet room. The steps wait for the program, not for the
# clock: on the file plugin nothing is paced, and a loaded machine (a fresh clone's whole test run,
# a sanitizer build) can take seconds to load the recogniser; a key or Ctrl-C sent at fixed times
# came before the greeting and found nothing to answer (the Ctrl-C ended it during start-up).
sox -q -n -r 16000 -c 1 -b 16 -e signed-integer -t raw "$D/mic.raw" synth 60 pinknoise vol 0.003
export ALSA_CONFIG_PATH="$conf/asound-file.conf" PA_TEST_IN="$D/mic.raw" PA_TEST_OUT="$D/out.wav"
mkfifo "$D/keys"
# Run in an empty folder: nothing may be written there (only the --log asked for, elsewhere).
mkdir "$D/cwd"
(cd "$D/cwd" && exec "$talkleaf" --language en --log "$D/live.jsonl" < "$D/keys" > "$D/out" 2> "$D/err") &
pid=$!
exec 3> "$D/keys"
# A key after the program has gone is an error to report, not a SIGPIPE that ends this script.
trap '' PIPE
# $1: a pattern the log must get within $2 seconds while the program runs. 0 when it did.
wait_log() {
	n=0
	while ! grep -q "$1" "$D/live.jsonl" 2>/dev/null; do
		kill -0 $pid 2>/dev/null || return 1
		[ $n -lt $(($2 * 10)) ] || return 1
		sleep 0.1
		n=$((n + 1))
	done
}
# The start turn is logged once the greeting has been played; the key turn once its answer has.
wait_log '"event":"start"' 60 || fail "live: no greeting within 60 s"
printf '%s' "$keys" >&3
wait_log '"said":\["topic:' 30 || fail "live: keys $keys not answered within 30 s"
kill -INT $pid
# Ctrl-C is answered at once; a program that keeps running is a hang to report, not to wait for.
n=0
while kill -0 $pid 2>/dev/null && [ $n -lt 300 ]; do
	sleep 0.1
	n=$((n + 1))
done
if kill -0 $pid 2>/dev/null; then
	fail "live: still running 30 s after SIGINT"
	kill -KILL $pid
fi
wait $pid
rc=$?
exec 3>&-
echo "--- live: exit $rc, stderr:"
cat "$D/err"
echo "--- log:"
head -n 20 "$D/live.jsonl"
[ $rc -eq 0 ] || fail "live: exit $rc after SIGINT, expected 0"
grep -q '"event":"start".*"said":\["prompt:greeting"\]' "$D/live.jsonl" || fail "live: no greeting"
grep -q '"event":"key".*"said":\["prompt:menu-item"' "$D/live.jsonl" ||
	fail "live: the first of keys $keys did not read a sub-menu"
grep -q "\"event\":\"key\".*\"said\":\[\"topic:$first\"" "$D/live.jsonl" ||
	fail "live: keys $keys not answered with topic $first"
[ -z "$(ls -A "$D/cwd")" ] || fail "live: wrote files nobody asked for: $(ls -A "$D/cwd")"
played=$(cat "$D"/out.wav* 2>/dev/null | wc -c)
[ "$played" -gt 100000 ] || fail "live: only $played bytes played"
[ $fails -eq 0 ] && echo "live: all good"
exit $fails
