#!/bin/sh
# The listening station (`talkleaf --station`) in real time on a private PulseAudio server (null
# sinks clocked by the system clock, as in run-pulse.sh): it greets, survives the sound server
# dying under it (the devices are reopened with back-off, and it says so on stderr), answers a
# key once the server is back, and leaves cleanly (exit 0) on SIGTERM, as systemd stops it.
# usage: station.sh TALKLEAF CONF_DIR
# Exit 77 (skip) only when a program it needs is missing; .ci/setup installs them.
set -u
talkleaf=$1
conf_dir=$2
for p in pulseaudio pactl paplay espeak-ng sox; do
	command -v "$p" >/dev/null 2>&1 || { echo "skip: $p is not installed"; exit 77; }
done
ls /usr/lib/*/alsa-lib/libasound_module_pcm_pulse.so >/dev/null 2>&1 ||
	{ echo "skip: ALSA's pulse plugin is not installed"; exit 77; }

D=$(mktemp -d "${TMPDIR:-/tmp}/talkleaf-station-XXXXXX")
pids=""
cleanup() {
	for p in $pids; do kill "$p" 2>/dev/null; done
	[ -f "$D/pulse.pid" ] && kill "$(cat "$D/pulse.pid")" 2>/dev/null
	wait 2>/dev/null
	rm -rf "$D"
}
trap cleanup EXIT INT TERM
fails=0
fail() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}

sed "s#@DIR@#$D#g" "$conf_dir/pulse-null.pa" > "$D/server.pa"
unset ALSA_CONFIG_PATH
export HOME="$D" PULSE_RUNTIME_PATH="$D/rt" PULSE_STATE_PATH="$D/state" PULSE_CONFIG_PATH="$D/cfg"
export PULSE_SERVER="unix:$D/native" PULSE_COOKIE="$D/cookie"
head -c 256 /dev/urandom > "$D/cookie"
# alsa-lib's dlopen'd pulse plugin leaks at exit (see run-pulse.sh).
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"

start_pulse() {
	rm -f "$D/native"
	pulseaudio --daemonize=no --exit-idle-time=-1 -n -F "$D/server.pa" --use-pid-file=no \
		--log-target="file:$D/pulse.log" --log-level=info </dev/null >/dev/null 2>&1 &
	echo $! > "$D/pulse.pid"
	i=0
	while ! pactl info >/dev/null 2>&1; do
		i=$((i + 1))
		[ $i -gt 100 ] && { echo "PulseAudio did not start:"; cat "$D/pulse.log"; return 1; }
		sleep 0.05
	done
}
start_pulse || exit 1

# Keys come through a FIFO, as from a keypad.
mkfifo "$D/keys"
"$talkleaf" --station --log "$D/station.jsonl" --no-speech-timeout 60 \
	< "$D/keys" > "$D/out" 2> "$D/err" &
station=$!
exec 3> "$D/keys"
# A person: stops the greeting with the stop key, then asks a question out loud (played into
# the microphone's sink in real time).
espeak-ng -v en -w "$D/q-raw.wav" "what does attuned mean"
sox -q "$D/q-raw.wav" -r 16000 -c 1 -b 16 "$D/question.wav" pad 0.3 0.5
sleep 2
printf . >&3
sleep 1.5
paplay --latency-msec=20 -d mic "$D/question.wav"
sleep 2
# The sound server dies (a headset pulled out), and comes back 2 s later.
kill -9 "$(cat "$D/pulse.pid")"
sleep 2
start_pulse || exit 1
sleep 5
kill -0 $station 2>/dev/null || fail "the station exited when the sound server died"
printf 5 >&3
sleep 4
kill -TERM $station
wait $station
rc=$?
exec 3>&-
echo "--- station: exit $rc, stderr:"
cat "$D/err"
echo "--- log:"
head -n 20 "$D/station.jsonl"
[ $rc -eq 0 ] || fail "exit $rc after SIGTERM, expected 0"
grep -q '"event":"start".*"said":\["prompt:greeting"\]' "$D/station.jsonl" || fail "no greeting"
grep -q '"event":"key".*"key":".","said":\["prompt:stopped"\]' "$D/station.jsonl" ||
	fail "the stop key did not stop the greeting"
grep -q '"event":"speech".*"said":\["' "$D/station.jsonl" ||
	fail "the spoken question was not heard as a turn, or had no reply"
grep -q '"event":"key".*"key":"5","said":\["topic:' "$D/station.jsonl" ||
	fail "key 5 was not answered after the server came back"
grep -q "sound devices are back" "$D/err" || fail "no word on stderr of the devices coming back"
[ $fails -eq 0 ] && echo "station: all good"
exit $fails
