#!/bin/sh
# The real-time device tests on a private PulseAudio server (pulse-server.sh). Runs
# `test_device_pulse --pulse DIR` against it while this script plays the "person" (paplay into the
# mic sink once the program records), records the speaker (parec), and restarts the server when
# the test kills it.
#
# usage: run-pulse.sh TEST_DEVICE_PULSE CONF_DIR
# Exit 77 (skip) only when a program it needs is missing; .ci/setup installs them.
set -u
test_exe=$1
conf_dir=$2

. "$conf_dir/pulse-server.sh"
pulse_require pulseaudio pactl paplay parec sox
pulse_setup pulse "$conf_dir"

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
