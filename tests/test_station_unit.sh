#!/bin/sh
# The station's systemd unit is valid (systemd-analyze verify on the built unit, pointed at the
# built program: the installed one may not exist yet) and hardened: `systemd-analyze security
# --offline=true` rates it at most 2.0 (docs/station-unit.md). Skipped (77) where systemd is absent.
set -eu
unit="$1"
exe="$2"
limit=2.0
command -v systemd-analyze >/dev/null 2>&1 || { echo "no systemd-analyze: skipped"; exit 77; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
sed "s#^ExecStart=[^ ]*#ExecStart=$exe#" "$unit" > "$dir/talkleaf-station.service"
grep -q "^ExecStart=$exe --station$" "$dir/talkleaf-station.service"
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

# What the station needs stays: its sound devices, its console and the audio group.
for need in "DeviceAllow=char-alsa rw" "DeviceAllow=/dev/tty1 rw" "SupplementaryGroups=audio" \
	    "TTYPath=/dev/tty1"; do
	grep -q "^$need\$" "$unit" || { echo "the unit lost $need"; exit 1; }
done

# The station inside the unit's system-call restrictions (filter, W^X, AF_UNIX only, no
# namespaces, personality locked), applied by station_unit_filter.py as systemd would: any call
# outside them kills it with SIGSYS. Sound through ALSA's file plugins (device/asound-file.conf):
# it greets, answers key 6 and leaves cleanly on SIGTERM.
here=$(cd "$(dirname "$0")" && pwd)
for p in python3 espeak-ng sox; do
	command -v $p >/dev/null 2>&1 || { echo "no $p: the station was not run in the filter"; exit 0; }
done
espeak-ng -v en -w "$dir/q.wav" "what does attuned mean"
sox -q "$dir/q.wav" -r 16000 -c 1 -b 16 -t raw "$dir/q.raw" pad 1 1
mkfifo "$dir/keys"
trap "" PIPE # a station killed by the filter must not end this script before it says so
# LeakSanitizer's check at exit (a sanitizer build) traces the process, which the filter forbids.
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
ALSA_CONFIG_PATH="$here/device/asound-file.conf" PA_TEST_IN="$dir/q.raw" \
	PA_TEST_OUT="$dir/played.wav" python3 "$here/station_unit_filter.py" \
	"$dir/talkleaf-station.service" "$exe" --station --log "$dir/log.jsonl" \
	<"$dir/keys" >"$dir/out" 2>"$dir/err" &
station=$!
exec 3>"$dir/keys"
sleep 3
printf 6 >&3
sleep 3
kill -TERM $station 2>/dev/null || true
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
if [ $rc -eq 77 ]; then cat "$dir/out"; exit 0; fi
if [ $rc -ne 0 ] || ! grep -q '"key":"6","said":\["topic:' "$dir/log.jsonl"; then
	echo "--- the station in the unit's filter: exit $rc (159: a system call outside it; 137: killed)"
	cat "$dir/out" "$dir/err" "$dir/log.jsonl" 2>/dev/null
	exit 1
fi
echo "the station ran in the unit's system-call filter: greeted, answered key 6, exit 0"
