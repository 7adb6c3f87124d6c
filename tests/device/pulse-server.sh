# Sourced (not run) by run-pulse.sh and station.sh: a private PulseAudio server whose null sinks
# are clocked in real time (pulse-null.pa), which PortAudio reaches through ALSA's pulse plugin
# (libasound2-plugins), exactly as on a desktop. Everything it keeps is in the folder $D, removed
# on exit with the server and the background jobs listed in $pids.

# pulse_require PROGRAM...: exit 77 (skip) when one of them or ALSA's pulse plugin is missing.
pulse_require() {
	for p in "$@"; do
		if ! command -v "$p" >/dev/null 2>&1; then
			echo "skip: $p is not installed (.ci/setup installs it)"
			exit 77
		fi
	done
	if ! ls /usr/lib/*/alsa-lib/libasound_module_pcm_pulse.so >/dev/null 2>&1; then
		echo "skip: ALSA's pulse plugin is not installed (.ci/setup installs libasound2-plugins)"
		exit 77
	fi
}

# pulse_setup NAME CONF_DIR: make $D, point PulseAudio, libpulse and ALSA at it, and start the
# server (exit 1 when it does not start). $D/done is created on exit, to end waiting loops.
pulse_setup() {
	D=$(mktemp -d "${TMPDIR:-/tmp}/talkleaf-$1-XXXXXX")
	pids=""
	trap pulse_cleanup EXIT INT TERM
	sed "s#@DIR@#$D#g" "$2/pulse-null.pa" > "$D/server.pa"
	# Everything PulseAudio and libpulse keep goes into $D: no dbus, no systemd, no ~/.config.
	unset ALSA_CONFIG_PATH
	export HOME="$D" PULSE_RUNTIME_PATH="$D/rt" PULSE_STATE_PATH="$D/state"
	export PULSE_CONFIG_PATH="$D/cfg" PULSE_SERVER="unix:$D/native" PULSE_COOKIE="$D/cookie"
	head -c 256 /dev/urandom > "$D/cookie" # else libpulse prints "Failed to load cookie file"
	# alsa-lib loads the pulse plugin with dlopen and unloads it: LeakSanitizer can neither
	# attribute nor suppress what it keeps. Our own code's leaks are checked by the ALSA file
	# plugin runs.
	export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
	start_pulse || exit 1
}

pulse_cleanup() {
	touch "$D/done"
	for p in $pids; do kill "$p" 2>/dev/null; done
	[ -f "$D/pulse.pid" ] && kill "$(cat "$D/pulse.pid")" 2>/dev/null
	wait 2>/dev/null
	rm -rf "$D"
}

# pulse_wait_for PATTERN SECONDS FILE PID: 0 once FILE has a line matching PATTERN; 1 after
# SECONDS, or as soon as the process PID has ended. Tests wait on what the program logged, not on
# fixed sleeps: a sanitizer build on a loaded machine can be several times slower than a plain one.
pulse_wait_for() {
	i=0
	while ! grep -q "$1" "$3" 2>/dev/null; do
		kill -0 "$4" 2>/dev/null || return 1
		[ $i -lt $(($2 * 10)) ] || return 1
		sleep 0.1
		i=$((i + 1))
	done
}

# Start (or, after it was killed, restart) the server; returns 1 with its log when it does not
# answer within about 5 s.
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
