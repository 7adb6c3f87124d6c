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
