#!/bin/sh
# The live assistant's status line (docs/status.md) on a private PulseAudio server
# (pulse-server.sh). With --status and stdout a file, it prints a line as it listens, hears a
# question spoken into the microphone, answers it, loses the microphone (the sound server killed,
# as fault.sh does) and has it back; nothing else reaches stdout or stderr (no ALSA, JACK or
# PocketSphinx line, no word heard without --log-words). --status is refused with --station or
# --quiet. Then short runs up to the greeting: --verbose adds talkleaf's own lines only,
# --verbose-libraries the libraries' too, and stdout (a file) has no status line; on a terminal
# (a pty) the line is there without --status, and --quiet has none.
# usage: status.sh TALKLEAF CONF_DIR
# Exit 77 (skip) only when a program it needs is missing; .ci/setup installs them.
set -u
talkleaf=$1
conf_dir=$2
. "$conf_dir/pulse-server.sh"
pulse_require pulseaudio pactl paplay espeak-ng sox
pulse_setup status "$conf_dir"
. "$conf_dir/../station_lib.sh"
topic=attunement
espeak-ng -v en -w "$D/q-raw.wav" "what does attuned mean"
sox -q "$D/q-raw.wav" -r 16000 -c 1 -b 16 "$D/question.wav" pad 0.3 0.5
stopped='"key":"7","said":\["prompt:stopped"'

# $1: a file, $2: a pattern a line of it must match (with $4 = last: its last line) within $3
# seconds while the program runs. 0 when it did.
wait_for() {
	n=0
	while ! { if [ "${4:-}" = last ]; then tail -n 1 "$1"; else cat "$1"; fi; } 2>/dev/null |
		grep -q "$2"; do
		kill -0 $prog 2>/dev/null || return 1
		[ $n -lt $(($3 * 10)) ] || return 1
		sleep 0.1
		n=$((n + 1))
	done
}
# The program's end within 30 s (it was asked to stop); returns its exit status.
wait_end() {
	n=0
	while kill -0 $prog 2>/dev/null && [ $n -lt 300 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	kill -0 $prog 2>/dev/null && { fail "still running 30 s after it was stopped"; kill -KILL $prog; }
	wait $prog
}
interrupt() {
	kill -INT $prog 2>/dev/null
	wait_end
}

# One question, then the microphone lost and back. Keys: help then its stop (0, 7) end what is
# being said, so the test waits for no long prompt.
mkfifo "$D/keys"
"$talkleaf" --status --language en --no-speech-timeout 60 < "$D/keys" > "$D/out" 2> "$D/err" &
prog=$!
pids="$pids $prog"
exec 3> "$D/keys"
trap '' PIPE
wait_for "$D/out" ' speaking prompt:greeting' 60 || fail "no greeting within 60 s"
printf 07 >&3
wait_for "$D/out" ' listening$' 10 last || fail "not listening after the greeting was stopped"
paplay --latency-msec=20 -d mic "$D/question.wav"
wait_for "$D/out" " speaking topic:$topic" 15 || fail "the question was not answered with $topic"
printf 07 >&3
wait_for "$D/out" ' listening$' 10 last || fail "not listening after the answer was stopped"
sleep 0.5
kill -9 "$(cat "$D/pulse.pid")"
wait_for "$D/out" ' microphone lost: ' 10 || fail "no line of the microphone lost within 10 s"
start_pulse || exit 1
# Under ThreadSanitizer on a loaded machine the microphone was once not back within 10 s (lost as
# a stall, whose stream must be given up first): the test is that it comes back, not how fast.
wait_for "$D/out" ' microphone back$' 30 || fail "no line of the microphone back within 30 s"
wait_for "$D/out" ' listening$' 10 last || fail "not listening once the microphone was back"
interrupt
rc=$?
exec 3>&-
echo "--- --status: exit $rc, stdout:"
cat "$D/out"
echo "--- stderr:"
cat "$D/err"
[ $rc -eq 0 ] || fail "exit $rc after SIGINT, expected 0"
[ -s "$D/err" ] && fail "$(wc -l < "$D/err") lines on stderr, expected none"
# Every line is a status line, with its time.
item='[a-z]+:[a-z0-9-]+( x[0-9]+)?'
heard='heard ([^ ]+ \((answer|confirm|reject)\)|nothing clear \(reject\))'
device='(microphone|speaker|sound devices) (lost: .*|back)'
clock='^[0-9]{2}:[0-9]{2}:[0-9]{2} '
line="$clock(listening|$heard|key [0-9*#]|speaking( $item(, $item)*)?|$device)\$"
bad=$(grep -v -E "$line" "$D/out")
[ -z "$bad" ] && [ -s "$D/out" ] || fail "stdout has other lines than status lines: $bad"
# In this order: listening, the question heard and decided, the answer spoken.
awk -v t="$topic" '
	/ listening$/ { l = NR }
	$0 ~ " heard " t " \\(answer\\)$" && l { h = NR }
	$0 ~ " speaking topic:" t && h && !s { s = NR }
	END { exit !(l && h && s) }' "$D/out" ||
	fail "no 'listening', 'heard $topic (answer)', 'speaking topic:$topic' in that order"
grep -q ' heard .*"' "$D/out" && fail "the words heard shown without --log-words"
grep -q ' microphone lost: the microphone ' "$D/out" || fail "the lost line does not say why"

# Options that cannot go together: refused at once, one line each.
for opts in "--station --status" "--status --quiet"; do
	"$talkleaf" $opts < /dev/null > "$D/out" 2> "$D/err"
	rc=$?
	[ $rc -eq 2 ] && [ ! -s "$D/out" ] && [ "$(wc -l < "$D/err")" -eq 1 ] ||
		fail "$opts: exit $rc, $(cat "$D/out" "$D/err"), expected exit 2 and one line"
done

# $1: the option. Stdout a file and no --status: no status line. The program runs until the
# greeting has been stopped by the keys 0, 7 (it is loaded then); its stderr is kept in $D/err$1.
run_to_greeting() {
	rm -f "$D/log"
	printf 07 | "$talkleaf" "$1" --language en --log "$D/log" > "$D/out" 2> "$D/err$1" &
	prog=$!
	pids="$pids $prog"
	wait_for "$D/log" "$stopped" 60 || fail "$1: the greeting was not stopped within 60 s"
	interrupt || fail "$1: exit $? after SIGINT, expected 0"
	[ -s "$D/out" ] && fail "$1: a status line on stdout, a file, without --status"
	echo "$1: $(wc -l < "$D/err$1") lines on stderr, $(grep -vc '^talkleaf: ' "$D/err$1")" \
	     "of them not talkleaf's"
}
run_to_greeting --verbose
grep -q '^talkleaf: debug: ' "$D/err--verbose" || fail "--verbose: no debug line of talkleaf's"
sed "s/^/--verbose: /" "$D/err--verbose"
[ "$(grep -vc '^talkleaf: ' "$D/err--verbose")" -eq 0 ] ||
	fail "--verbose: lines of the libraries on stderr"
run_to_greeting --verbose-libraries
[ "$(grep -vc '^talkleaf: ' "$D/err--verbose-libraries")" -gt 0 ] ||
	fail "--verbose-libraries: no line of the libraries on stderr"

# On a terminal (script(1)'s pty) the line is there without --status; --quiet: none. Ctrl-C is
# typed on the terminal, as a person ends it.
if command -v script >/dev/null 2>&1; then
	mkfifo "$D/tty-keys"
	for opt in "" --quiet; do
		rm -f "$D/log"
		script -qfec "exec '$talkleaf' --language en --log '$D/log' $opt" "$D/tty$opt" < "$D/tty-keys" \
			> /dev/null &
		prog=$!
		pids="$pids $prog"
		exec 4> "$D/tty-keys"
		printf 07 >&4
		wait_for "$D/log" "$stopped" 60 || fail "terminal $opt: the greeting was not stopped in 60 s"
		printf '\003' >&4
		wait_end
		rc=$?
		exec 4>&-
		echo "--- terminal $opt: exit $rc:"
		cat "$D/tty$opt"
		[ $rc -eq 0 ] || fail "terminal $opt: exit $rc after Ctrl-C, expected 0"
	done
	grep -q ' speaking prompt:stopped' "$D/tty" || fail "terminal: no status line"
	grep -q ' speaking ' "$D/tty--quiet" && fail "terminal --quiet: a status line"
else
	echo "script(1) is not installed: the terminal is not tried"
fi
[ $fails -eq 0 ] && echo "status: all good"
exit $fails
