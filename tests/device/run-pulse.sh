#!/bin/sh
# The real-time device tests: a private PulseAudio server whose null sinks are clocked in real
# time (tests/device/pulse-null.pa), PortAudio reaching it through ALSA's pulse plugin
# (libasound2-plugins), exactly as on a desktop. Runs `test_device --pulse DIR` against it while
# this script plays the "person" (paplay into the mic sink once the program records), records
# the speaker (parec), and restarts the server when the test kills it.
#
# usage: run-pulse.sh TEST_DEVICE CONF_DIR
# Exit 77 (skip) only when a program it needs is missing; .ci/setup installs them.
set -u
test_exe=$1
conf_dir=$2

for p in pulseaudio pactl paplay parec sox; do
	if ! command -v "$p" >/dev/null 2>&1; then
		echo "skip: $p is not installed (.ci/setup installs pulseaudio, pulseaudio-utils, sox)"
		exit 77
	fi
done
if ! ls /usr/lib/*/alsa-lib/libasound_module_pcm_pulse.so >/dev/null 2>&1; then
	echo "skip: ALSA's pulse plugin is not installed (.ci/setup installs libasound2-plugins)"
	exit 77
fi

D=$(mktemp -d "${TMPDIR:-/tmp}/talkleaf-pulse-XXXXXX")
pids=""
cleanup() {
	touch "$D/done"
	for p in $pids; do kill "$p" 2>/dev/null; done
	[ -f "$D/pulse.pid" ] && kill "$(cat "$D/pulse.pid")" 2>/dev/null
	wait 2>/dev/null
	rm -rf "$D"
}
trap cleanup EXIT INT TERM

sed "s#@DIR@#$D#g" "$conf_dir/pulse-null.pa" > "$D/server.pa"
# Everything PulseAudio and libpulse keep goes into $D: no dbus, no systemd, no ~/.config.
unset ALSA_CONFIG_PATH
export HOME="$D" PULSE_RUNTIME_PATH="$D/rt" PULSE_STATE_PATH="$D/state" PULSE_CONFIG_PATH="$D/cfg"
export PULSE_SERVER="unix:$D/native" PULSE_COOKIE="$D/cookie"
head -c 256 /dev/urandom > "$D/cookie" # else libpulse prints "Failed to load cookie file"
# alsa-lib loads the pulse plugin with dlopen and unloads it: LeakSanitizer can neither attribute
# nor suppress what it keeps. Our own code's leaks are checked by the ALSA file plugin run.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"

start_pulse() {
	rm -f "$D/native"
	pulseaudio --daemonize=no --exit-idle-time=-1 -n -F "$D/server.pa" --use-pid-file=no \
		--log-target="file:$D/pulse.log" --log-level=info </dev/null >/dev/null 2>&1 &
	echo $! > "$D/pulse.pid"
	i=0
	while ! pactl info >/dev/null 2>&1; do
		i=$((i + 1))
		if [ $i -gt 100 ]; then
			echo "PulseAudio did not start; its log:"
			cat "$D/pulse.log"
			return 1
		fi
		sleep 0.05
	done
}
start_pulse || exit 1

# The person: 0.5 s of silence then the utterance, played into the mic sink as soon as the
# program's record stream runs (what is played before that is lost).
sox -n -r 16000 -c 1 -b 16 "$D/ref.wav" synth 2 whitenoise vol 0.3 synth 2 sine amod 4 0
sox "$D/ref.wav" "$D/ref_pad.wav" pad 0.5 0
(
	while [ ! -e "$D/recording" ] && [ ! -e "$D/done" ]; do sleep 0.02; done
	i=0
	while ! pactl list source-outputs 2>/dev/null | grep -q "Corked: no"; do
		i=$((i + 1)); [ $i -gt 250 ] && break; sleep 0.02
	done
	paplay --latency-msec=20 -d mic "$D/ref_pad.wav"
) &
pids="$pids $!"

# The speaker's monitor, recorded with a short latency so it follows the null sink's clock.
parec --latency-msec=20 -d speaker.monitor --rate=16000 --channels=1 --format=s16le \
	> "$D/played.raw" &
pids="$pids $!"

# Brings the server back when the reopen test kills it (as a headset comes back).
(
	while [ ! -e "$D/done" ]; do
		if ! pactl info >/dev/null 2>&1; then
			sleep 0.5
			start_pulse
		fi
		sleep 0.2
	done
) &
pids="$pids $!"

sleep 0.2
TALKLEAF_TEST_PULSE_PID_FILE="$D/pulse.pid" "$test_exe" --pulse "$D"
status=$?
exit $status
