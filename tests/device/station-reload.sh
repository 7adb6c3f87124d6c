#!/bin/sh
# The listening station reloads its scripts on SIGHUP (systemctl reload; docs/station.md), in
# real time on a private PulseAudio server: a --scripts folder broken by a duplicate key keeps
# the old set in service (the error with its file and line on stderr), a good one replaces it,
# and the station never stops.
# usage: station-reload.sh TALKLEAF CONF_DIR
set -u
talkleaf=$1
conf_dir=$2
. "$conf_dir/pulse-server.sh"
pulse_require pulseaudio pactl
pulse_setup station-reload "$conf_dir"
. "$conf_dir/../station_lib.sh"
mkdir "$D/s" "$D/st"
topic "$D/s/school.txt" school-a 7 apples

# A station that ended must not end this script too (a key written to nobody's FIFO).
trap '' PIPE
mkfifo "$D/keys"
"$talkleaf" --station --scripts "$D/s" --state-dir "$D/st" --log "$D/station.jsonl" \
	--no-speech-timeout 60 < "$D/keys" > "$D/out" 2> "$D/err" &
station=$!
exec 3> "$D/keys"
# Keys wait in the FIFO until the station reads them: the first one stops the greeting.
sleep 2
printf . >&3
sleep 0.5
printf 7 >&3
sleep 1
printf . >&3
sleep 0.5

# Broken by a duplicate key: the old set stays.
topic "$D/s/school.txt" school-b 7 pears
kill -HUP $station
pulse_wait_for "the scripts in service stay" 30 "$D/err" $station ||
	fail "no word of the failed reload"
sleep 0.5
kill -0 $station 2>/dev/null || fail "the station ended at SIGHUP"
printf 7 >&3
sleep 1
printf . >&3
sleep 0.5

# A good folder again, with another topic: it replaces the set.
rm "$D/s/school.txt"
topic "$D/s/school.txt" school-c 8 plums
kill -HUP $station
# Kept as the last good set once it serves.
pulse_wait_for school-c 60 "$D/st/last-good/scripts/school.txt" $station ||
	fail "the good folder was not loaded"
sleep 0.5
printf 8 >&3
sleep 1
kill -TERM $station
wait $station
rc=$?
exec 3>&-
[ $rc -eq 0 ] || fail "exit $rc after SIGTERM, expected 0"
printf -- '--- stderr:\n%s\n--- log (cut):\n' "$(cat "$D/err")"
cut -c1-200 "$D/station.jsonl"
[ "$(grep -c '"key":"7","said":\["topic:school-a"' "$D/station.jsonl")" -eq 2 ] ||
	fail "key 7 was not answered from the first set both before and after the broken reload"
grep -q "s/school.txt:8: error: key 7" "$D/err" || fail "no file:line error for the broken folder"
grep -q '"event":"reload".*"reset":true' "$D/station.jsonl" || fail "no reload turn in the log"
grep -q '"key":"8","said":\["topic:school-c"' "$D/station.jsonl" ||
	fail "key 8 of the new set was not answered after the reload"
grep -q "school-c" "$D/st/last-good/scripts/school.txt" 2>/dev/null ||
	fail "the new set was not kept as the last good one"
[ $fails -eq 0 ] && echo "station reload: all good"
exit $fails
