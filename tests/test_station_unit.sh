#!/bin/sh
# The station's systemd unit is valid: systemd-analyze verify on the built unit, pointed at the
# built program (the installed one may not exist yet). Skipped (77) where systemd is absent.
set -eu
unit="$1"
exe="$2"
command -v systemd-analyze >/dev/null 2>&1 || { echo "no systemd-analyze: skipped"; exit 77; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
sed "s#^ExecStart=[^ ]*#ExecStart=$exe#" "$unit" > "$dir/talkleaf-station.service"
grep -q "^ExecStart=$exe --station$" "$dir/talkleaf-station.service"
out=$(systemd-analyze verify "$dir/talkleaf-station.service" 2>&1) || { echo "$out"; exit 1; }
# verify prints problems it does not count as errors (unknown settings among them).
if echo "$out" | grep -i "unknown\|invalid\|failed" ; then exit 1; fi
echo "unit ok"
