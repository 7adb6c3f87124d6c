#!/bin/sh
# The offline commands (ask, converse, say --out, check) never touch the sound server: with a
# frozen (SIGSTOPped) private PulseAudio server as the only one, and ALSA's default pointing at
# it, each ends as quickly as without one. eSpeak NG's set-up used to open a test stream on it
# and wait 30 s (docs/signals.md). Prints each measured figure.
# usage: test_offline_sound.sh TALKLEAF CONF_DIR (tests/device, for pulse-server.sh)
set -u
exe=$1
conf_dir=$2

. "$conf_dir/pulse-server.sh"
pulse_require pulseaudio pactl
pulse_setup offline "$conf_dir"
# ALSA's default is PulseAudio as on a desktop, so an ALSA fallback would reach it too.
cat > "$D/asoundrc" <<'EOF'
pcm.!default { type pulse }
ctl.!default { type pulse }
EOF
export ALSA_CONFIG_PATH="/usr/share/alsa/alsa.conf:$D/asoundrc"
export TMPDIR="$D"

"$exe" say --out "$D/q.wav" --text "what are your opening hours" >/dev/null || exit 1
kill -STOP "$(cat "$D/pulse.pid")"

fails=0
now_ms() { echo $(($(date +%s%N) / 1000000)); }
# The bound for a hang: generous for a loaded machine, far below the 30 s of the old wait.
run() {
	name=$1
	shift
	t0=$(now_ms)
	timeout 10 "$@" >"$D/$name.out" 2>&1
	st=$?
	ms=$(($(now_ms) - t0))
	echo "$name: $ms ms, status $st"
	if [ $st -eq 124 ]; then
		echo "FAIL: $name waited for the frozen sound server (killed after 10 s)"
		fails=$((fails + 1))
	elif [ $st -ne 0 ]; then
		echo "FAIL: $name failed:"
		cat "$D/$name.out"
		fails=$((fails + 1))
	fi
}
run ask "$exe" ask "$D/q.wav"
run converse --language en "$exe" converse --in "$D/q.wav" --out "$D/reply.wav"
run say-out "$exe" say --out "$D/said.wav" --text "hello there"
run check "$exe" check

kill -CONT "$(cat "$D/pulse.pid")"
[ $fails -eq 0 ] || exit 1
echo "ok"
