#!/bin/sh
# The listening station (`talkleaf --station`) in real time on a private PulseAudio server (null
# sinks clocked by the system clock; see pulse-server.sh): it greets, survives the sound server
# dying under it (the devices are reopened with back-off, and it says so on stderr), answers a
# key once the server is back, and leaves cleanly (exit 0) on SIGTERM, as systemd stops it. Keys
# are a phone keypad's: 0 then 7 (help, stop) stops the greeting; 9 is "who can help me".
# usage: station.sh TALKLEAF CONF_DIR
# Exit 77 (skip) only when a program it needs is missing; .ci/setup installs them.
set -u
talkleaf=$1
conf_dir=$2
. "$conf_dir/pulse-server.sh"
pulse_require pulseaudio pactl paplay espeak-ng sox
pulse_setup station "$conf_dir"
fails=0
fail() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}

# Keys come through a FIFO, as from a keypad.
mkfifo "$D/keys"
"$talkleaf" --station --language en --log "$D/station.jsonl" --no-speech-timeout 60 \
	< "$D/keys" > "$D/out" 2> "$D/err" &
station=$!
exec 3> "$D/keys"
# A person: stops the greeting (help, then its stop), then asks a question out loud (played into
# the microphone's sink in real time).
espeak-ng -v en -w "$D/q-raw.wav" "what does attuned mean"
sox -q "$D/q-raw.wav" -r 16000 -c 1 -b 16 "$D/question.wav" pad 0.3 0.5
# Each step waits for the station's log of the one before (what it says while a question is
# played would cover the question); the checks below say what did not come.
sleep 2
printf 07 >&3
pulse_wait_for '"key":"7","said":\["prompt:stopped"\]' 30 "$D/station.jsonl" $station
sleep 0.5
paplay --latency-msec=20 -d mic "$D/question.wav"
pulse_wait_for '"event":"speech"' 30 "$D/station.jsonl" $station
# The sound server dies (a headset pulled out), and comes back 2 s later.
kill -9 "$(cat "$D/pulse.pid")"
sleep 2
start_pulse || exit 1
pulse_wait_for "sound devices are back" 30 "$D/err" $station
sleep 0.5
kill -0 $station 2>/dev/null || fail "the station exited when the sound server died"
printf 9 >&3
pulse_wait_for '"key":"9"' 30 "$D/station.jsonl" $station
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
grep -q '"event":"start".*"said":\["prompt:greeting"\].*"interrupted":true' "$D/station.jsonl" &&
	grep -q '"event":"key".*"key":"7","said":\["prompt:stopped"\]' "$D/station.jsonl" ||
	fail "keys 0 and 7 did not stop the greeting"
grep -q '"event":"speech".*"\(said\|cut_off\)":\["' "$D/station.jsonl" ||
	fail "the spoken question was not heard as a turn, or had no reply"
# Decoded on the worker thread at the 200 ms pause while the loop kept reading the microphone,
# and that result used at the endpoint.
grep -q '"event":"speech".*"speculative_ms":[0-9]' "$D/station.jsonl" ||
	fail "the question was not decoded speculatively"
grep -q '"event":"key".*"key":"9","said":\["topic:who-can-help"' "$D/station.jsonl" ||
	fail "key 9 was not answered after the server came back"
grep -q "sound devices are back" "$D/err" || fail "no word on stderr of the devices coming back"
[ $fails -eq 0 ] && echo "station: all good"
exit $fails
