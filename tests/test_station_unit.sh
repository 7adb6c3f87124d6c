#!/bin/sh
# The station's systemd unit is valid (systemd-analyze verify on the built unit, pointed at the
# built program: the installed one may not exist yet) and hardened: `systemd-analyze security
# --offline=true` rates it at most 2.0 (docs/station-unit.md). It reaches its sound card the way
# docs/station-unit.md says: ALSA directly, on the card TALKLEAF_CARD names in the file its
# EnvironmentFile= and the installed udev rule both read; the rule marks that card, and only it,
# for PulseAudio and PipeWire to leave alone; the station run as the unit runs it opens that card
# by name, and says in its journal, naming the card, when the card is busy. Skipped (77) where
# systemd is absent.
# usage: test_station_unit.sh UNIT TALKLEAF RULE CARD_PROGRAM BUSY_PLUGIN BUILD_ROOT
set -eu
unit="$1"
exe="$2"
rule="$3"
card_program="$4"
busy_plugin="$5"
build_root="$6"
here=$(cd "$(dirname "$0")" && pwd)
limit=2.0
command -v systemd-analyze >/dev/null 2>&1 || { echo "no systemd-analyze: skipped"; exit 77; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
sed "s#^ExecStart=[^ ]*#ExecStart=$exe#" "$unit" > "$dir/talkleaf-station.service"

# The unit's command line as systemd runs it (continued lines joined), with TALKLEAF_CARD=$1 (an
# ALSA card id: no spaces).
exec_start() {
	sed -e ':a' -e '/\\$/{N;s/[[:space:]]*\\\n[[:space:]]*/ /;ba' -e '}' "$dir/talkleaf-station.service" |
		sed -n 's/^ExecStart=//p' | sed "s/\${TALKLEAF_CARD}/$1/g"
}
[ "$(exec_start CARD)" = "$exe --station --input-device CARD --output-device CARD" ] ||
	{ echo "the unit does not open the card TALKLEAF_CARD names: $(exec_start CARD)"; exit 1; }
out=$(systemd-analyze verify "$dir/talkleaf-station.service" 2>&1) || { echo "$out"; exit 1; }
# verify prints problems it does not count as errors (unknown settings among them).
if echo "$out" | grep -i "unknown\|invalid\|failed" ; then exit 1; fi
echo "unit ok"

# --offline=true needs systemd 250 or later; older ones cannot rate a unit file.
if ! rating=$(systemd-analyze security --offline=true --no-pager \
		"$dir/talkleaf-station.service" 2>&1); then
	echo "$rating"
	if echo "$rating" | grep -q "offline"; then echo "no offline analysis: skipped"; exit 77; fi
	exit 1
fi
figure=$(echo "$rating" | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
[ -n "$figure" ] || { echo "$rating"; echo "no exposure figure in the analysis"; exit 1; }
echo "systemd-analyze security --offline=true: $figure (at most $limit)"
if awk -v f="$figure" -v l="$limit" 'BEGIN { exit !(f > l) }'; then
	echo "$rating" | grep "✗"
	echo "the unit's exposure $figure is above $limit (harden it: docs/station-unit.md)"
	exit 1
fi

# The card's name is in one file, read by the unit and by the udev rule; meson install puts the
# rule where udev reads rules and the program it runs where the rule says.
conf=$(sed -n 's/^EnvironmentFile=-//p' "$unit")
case "$conf" in
*/default/talkleaf-station) ;;
*) echo "the unit reads its card from '$conf', not .../default/talkleaf-station"; exit 1 ;;
esac
grep -q "^Environment=TALKLEAF_CARD=\$" "$unit" || { echo "the unit lost TALKLEAF_CARD's default"; exit 1; }
grep -q "^conf=\${2:-$conf}\$" "$card_program" || { echo "$card_program does not read $conf"; exit 1; }
installed() {
	python3 -c 'import json, sys
print(json.load(open(sys.argv[1] + "/meson-info/intro-installed.json")).get(sys.argv[2], ""))' \
		"$build_root" "$1"
}
rule_at=$(installed "$rule")
card_program_at=$(installed "$card_program")
case "$rule_at" in
*/lib/udev/rules.d/70-talkleaf-station.rules) ;;
*) echo "the udev rule is installed at '$rule_at', where udev does not read rules"; exit 1 ;;
esac
[ -n "$card_program_at" ] || { echo "$card_program is not installed"; exit 1; }
# The rule parses, and marks the named card (and no other) for PulseAudio and PipeWire to leave.
printf '# the station\nTALKLEAF_CARD="Handset"\n' > "$dir/station.env"
marks=$(python3 "$here/station_udev_rule.py" "$rule" "$card_program_at" "$card_program" Handset \
	"$dir/station.env")
[ "$marks" = "$(printf 'ACP_IGNORE=1\nPULSE_IGNORE=1')" ] ||
	{ echo "the rule marks the station's card with: '$marks'"; exit 1; }
marks=$(python3 "$here/station_udev_rule.py" "$rule" "$card_program_at" "$card_program" PCH \
	"$dir/station.env")
[ -z "$marks" ] || { echo "the rule marks another card: $marks"; exit 1; }
echo "the udev rule keeps PulseAudio and PipeWire off the card TALKLEAF_CARD names, only that one"

# What the station needs stays: its sound devices, its console and the audio group.
for need in "DeviceAllow=char-alsa rw" "DeviceAllow=/dev/tty1 rw" "SupplementaryGroups=audio" \
	    "TTYPath=/dev/tty1"; do
	grep -q "^$need\$" "$unit" || { echo "the unit lost $need"; exit 1; }
done

# The station as the unit runs it (its command line, TALKLEAF_CARD set), inside the unit's
# system-call restrictions (filter, W^X, AF_UNIX only, no namespaces, personality locked), applied
# by station_unit_filter.py as systemd would: any call outside them kills it with SIGSYS. Sound
# through ALSA's file plugins (device/asound-station.conf): the card "handset" hears q.raw and
# plays into a file of its own, apart from ALSA's default device.
for p in python3 espeak-ng sox; do
	command -v $p >/dev/null 2>&1 || { echo "no $p: the station was not run in the filter"; exit 0; }
done
espeak-ng -v en -w "$dir/q.wav" "what does attuned mean"
sox -q "$dir/q.wav" -r 16000 -c 1 -b 16 -t raw "$dir/q.raw" pad 1 1
sed "s#@BUSY_LIB@#$busy_plugin#" "$here/device/asound-station.conf" > "$dir/asound.conf"
trap "" PIPE # a station killed by the filter must not end this script before it says so

# run_station NAME CARD WAIT: start it with TALKLEAF_CARD=CARD, press 9 (who can help, from anywhere) after WAIT seconds, stop it
# (SIGTERM) WAIT seconds later. Sets rc (159: a system call outside the filter; 137: killed).
run_station() {
	mkfifo "$dir/$1.keys"
	# LeakSanitizer's check at exit (a sanitizer build) traces the process, which the filter
	# forbids.
	# shellcheck disable=SC2046 # the unit's command line, split as systemd splits it
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
	ALSA_CONFIG_PATH="$dir/asound.conf" PA_TEST_IN="$dir/q.raw" PA_TEST_OUT="$dir/$1.wav" \
		PA_TEST_DEFAULT_OUT="$dir/$1-default.wav" python3 "$here/station_unit_filter.py" \
		"$dir/talkleaf-station.service" $(exec_start "$2") --language en --log "$dir/$1.jsonl" \
		<"$dir/$1.keys" >"$dir/$1.out" 2>"$dir/$1.err" &
	station=$!
	exec 3>"$dir/$1.keys"
	sleep "$3"
	printf 9 >&3
	sleep "$3"
	running=yes
	kill -TERM $station 2>/dev/null || running=no
	# As systemd does (TimeoutStopSec=5): SIGKILL when it has not left 5 s after SIGTERM.
	i=0
	while kill -0 $station 2>/dev/null && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -KILL $station 2>/dev/null && echo "the station did not leave within 5 s of SIGTERM"
	rc=0
	wait $station || rc=$?
	exec 3>&-
	if [ $rc -eq 77 ]; then cat "$dir/$1.out"; exit 0; fi
	return 0
}
show() {
	echo "--- the station with TALKLEAF_CARD=$2, in the unit's filter: exit $rc"
	cat "$dir/$1.out" "$dir/$1.err" "$dir/$1.jsonl" 2>/dev/null
	exit 1
}

# The card the unit names: greets and answers key 9 on it (not on ALSA's default), leaves with 0.
run_station named handset 3
if [ $rc -ne 0 ] || ! grep -q '"key":"9","said":\["topic:who-can-help' "$dir/named.jsonl" ||
	[ ! -s "$dir/named.wav" ] || [ -e "$dir/named-default.wav" ]; then
	ls -l "$dir"
	show named handset
fi
echo "the station ran as the unit runs it, in its system-call filter: greeted and answered key 9" \
	"on the card TALKLEAF_CARD named, exit 0"

# A card another program holds: the journal says so, naming the card and what to do, and the
# station keeps trying until it is stopped, which is a clean end (0, or SIGTERM's 143 when the
# stop came during a step that cannot poll: systemd counts both as success).
run_station busy busy_handset 1
if [ "$running" != yes ] || { [ $rc -ne 0 ] && [ $rc -ne 143 ]; } ||
	! grep -q 'the microphone "busy_handset" is busy: another program has it open, most likely a desktop.s sound server (PipeWire or PulseAudio) (reserve the card for talkleaf as docs/station-unit.md says, or stop that program); trying again' \
		"$dir/busy.err"; then
	show busy busy_handset
fi
echo "a busy card: named in the journal with what to do; the station kept trying"

# A card that is not there: named too.
run_station missing nosuch 1
if [ "$running" != yes ] || ! grep -q 'no microphone called "nosuch"' "$dir/missing.err"; then
	show missing nosuch
fi
echo "a missing card: named in the journal; the station kept trying"

# The speaker's turn (opened second, its own message path): a busy card named too.
ALSA_CONFIG_PATH="$dir/asound.conf" PA_TEST_IN="$dir/q.raw" PA_TEST_OUT="$dir/speaker.wav" \
	PA_TEST_DEFAULT_OUT="$dir/speaker-default.wav" "$exe" devices --open \
	--input-device handset --output-device busy_handset >/dev/null 2>"$dir/speaker.err" || true
grep -q 'the speaker "busy_handset" is busy: another program has it open' "$dir/speaker.err" ||
	{ echo "--- a busy speaker:"; cat "$dir/speaker.err"; exit 1; }
echo "a busy speaker: named too"
