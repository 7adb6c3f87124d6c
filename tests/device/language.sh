#!/bin/sh
# `talkleaf --language pl` live (issue 20) on a private PulseAudio server (pulse-server.sh): no
# language choice, the Polish greeting first, and a key answered in Polish (9, who can help,
# then 7 to stop it), in the log and on the speaker.
# usage: language.sh TALKLEAF CONF_DIR
# Exit 77 (skip) only when a program it needs is missing; .ci/setup installs them.
set -u
talkleaf=$1
conf_dir=$2
. "$conf_dir/pulse-server.sh"
pulse_require pulseaudio pactl parec
pulse_setup language "$conf_dir"
. "$conf_dir/../station_lib.sh"

parec --latency-msec=20 -d speaker.monitor --rate=16000 --channels=1 --format=s16le \
	> "$D/played.raw" &
pids="$pids $!"
mkfifo "$D/keys"
"$talkleaf" --language pl --log "$D/live.jsonl" --no-speech-timeout 60 < "$D/keys" \
	> "$D/out" 2> "$D/err" &
prog=$!
pids="$pids $prog"
exec 3> "$D/keys"
trap '' PIPE
# A turn is logged once it has been heard or cut off: 9 cuts the greeting off, 7 the answer
# (keys wait in the FIFO until the program reads them).
sleep 2
printf 9 >&3
pulse_wait_for '"key":null,"said":\["prompt:greeting"' 60 "$D/live.jsonl" $prog || fail "no greeting within 60 s"
sleep 2
printf 7 >&3
pulse_wait_for '"key":"7"' 30 "$D/live.jsonl" $prog || fail "no turn for the key 7 within 30 s"
kill -INT $prog 2>/dev/null
wait $prog || fail "exit $? after SIGINT, expected 0"
exec 3>&-
python3 - "$D/live.jsonl" <<'PY' || fail "the log: $(cat "$D/live.jsonl" "$D/err")"
import json, sys
log = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
assert log[0]["said"] == ["prompt:greeting"] and log[0]["language"] == "pl", log[0]
keyed = [t for t in log if t["key"] == "9"]
assert keyed and keyed[0]["said"][0] == "topic:who-can-help" and keyed[0]["language"] == "pl", log
PY
# Something was played: the speaker's monitor has more than silence.
loud=$(sox -t raw -r 16000 -c 1 -b 16 -e signed-integer "$D/played.raw" -n stat 2>&1 |
	awk '/Maximum amplitude/ { print ($3 > 0.05) }')
[ "$loud" = 1 ] || fail "nothing loud was played on the speaker"
[ "$fails" -eq 0 ] || exit 1
echo "live --language pl: greeted and answered in Polish"
