#!/bin/sh
# `talkleaf devices`: with no sound device at all it prints one clear line (not pages of ALSA and
# JACK messages) and exits non-zero; with the ALSA file plugin's one device it lists it, as a
# table and as JSON, and --open opens the microphone and speaker.
# usage: devices.sh TALKLEAF CONF_DIR
set -u
talkleaf=$1
conf=$2
D=$(mktemp -d "${TMPDIR:-/tmp}/talkleaf-devices-XXXXXX")
trap 'rm -rf "$D"' EXIT
fails=0
fail() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}

# $1: what; the rest: the command. Expects exit 1, nothing on stdout, one line on stderr.
expect_one_line() {
	what=$1
	shift
	"$@" > "$D/out" 2> "$D/err"
	rc=$?
	echo "--- $what: exit $rc, stderr:"
	cat "$D/err"
	[ $rc -eq 1 ] || fail "$what: exit $rc, expected 1"
	[ -s "$D/out" ] && fail "$what: printed on stdout: $(cat "$D/out")"
	[ "$(wc -l < "$D/err")" -eq 1 ] || fail "$what: $(wc -l < "$D/err") lines on stderr, expected 1"
}

expect_one_line "no device" env ALSA_CONFIG_PATH="$conf/asound-none.conf" "$talkleaf" devices
grep -q "^talkleaf: error: no sound device found (connect a headset" "$D/err" ||
	fail "no device: unexpected message"

expect_one_line "no pcm.default" env ALSA_CONFIG_PATH="$conf/asound-nodefault.conf" \
	"$talkleaf" devices
grep -q "defines no default device, pcm.default" "$D/err" || fail "no pcm.default: unexpected message"

# The machine's own ALSA configuration with no sound server reachable: on a machine without a
# sound card (CI) that is "no device" too, and the ~100 lines alsa-lib and libjack print while
# PortAudio probes must not appear. (alsa-lib's dlopen'd plugins leak: see run-pulse.sh.)
env -u ALSA_CONFIG_PATH HOME="$D" PULSE_SERVER="unix:$D/nothing" \
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
	"$talkleaf" devices > "$D/out" 2> "$D/err"
rc=$?
if [ $rc -eq 0 ]; then
	echo "--- system configuration: this machine has sound devices:"
	cat "$D/out"
else
	echo "--- system configuration, no server: exit $rc, stderr:"
	cat "$D/err"
	[ "$(wc -l < "$D/err")" -eq 1 ] || fail "system configuration: $(wc -l < "$D/err") lines on stderr"
fi

# One device from the file plugin.
head -c 64000 /dev/zero > "$D/mic.raw"
export ALSA_CONFIG_PATH="$conf/asound-file.conf" PA_TEST_IN="$D/mic.raw" PA_TEST_OUT="$D/out.wav"
"$talkleaf" devices > "$D/out" 2> "$D/err" || fail "devices: exit $?: $(cat "$D/err")"
cat "$D/out"
grep -q "^  0  128 128  16000  default (ALSA)  \[default input\]  \[default output\]$" "$D/out" ||
	fail "devices: the table lacks the default device"
"$talkleaf" devices --json > "$D/out" 2> "$D/err" || fail "devices --json: exit $?"
grep -qF '[{"index": 0, "name": "default", "host_api": "ALSA", "inputs": 128, "outputs": 128, "default_rate_hz": 16000, "default_input": true, "default_output": true}]' "$D/out" ||
	fail "devices --json: $(cat "$D/out")"
"$talkleaf" devices --open --input-device 0 --output-device default > "$D/out" 2> "$D/err" ||
	fail "devices --open: exit $?: $(cat "$D/err")"
cat "$D/out"
grep -q "^microphone: default, opened in" "$D/out" || fail "devices --open: no microphone"
grep -q "^speaker: default, 22050 Hz, latency" "$D/out" || fail "devices --open: no speaker"
"$talkleaf" devices --open --input-device headset > "$D/out" 2> "$D/err"
[ $? -eq 1 ] || fail "devices --open --input-device headset: should fail"
grep -q 'no microphone called "headset"' "$D/err" || fail "unknown device: $(cat "$D/err")"

if [ $fails -ne 0 ]; then
	echo "$fails failed"
	exit 1
fi
echo "all passed"
