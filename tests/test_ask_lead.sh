#!/bin/sh
# `talkleaf ask` hears a file the same whatever quiet leads it (issue 19, item 5;
# docs/recognition-tuning.md, "Files heard as turns"): eSpeak NG says controls and leaflet
# questions, each written with 0, 0.1 and 0.5 s of quiet room noise before it (sox -R) and only
# eSpeak NG's own quiet after; ask must give the same intent and decision for all three, and the
# same as `converse --turns` gives the 0.5 s file as its first turn. Prints the table.
# usage: test_ask_lead.sh TALKLEAF
set -u
exe=$1
. "$(cd "$(dirname "$0")" && pwd)/station_lib.sh"
work_in ask-lead

# Controls (a tightly trimmed "slower" was heard as "louder") and leaflet questions ("is it my
# fault" as "my fault"). Only phrases whose decision holds when the audio moves by 1-9 ms: many
# change with the 10 ms frames' phase (docs/recognition-tuning.md), which converse's turn has
# wherever the greeting ends.
cat >phrases.txt <<'EOF'
slower
not so fast
you're talking too slow
no i didn't
tell me more
is it my fault
what does attuned mean
what do camhs do
how common is attachment disorder
are lots of people insecure
EOF
leads='0 0.1 0.5'

i=0
while IFS= read -r p; do
	i=$((i + 1))
	espeak-ng -v en -w "raw$i.wav" "$p" &&
		sox -q -R "raw$i.wav" -r 16000 -c 1 -b 16 "q$i-0.wav" || exit 1
	for lead in $leads; do
		[ "$lead" = 0 ] && continue
		sox -q -R -n -r 16000 -c 1 -b 16 "quiet$i.wav" synth "$lead" pinknoise vol 0.003 &&
			sox -q -R "quiet$i.wav" "q$i-0.wav" "q$i-$lead.wav" || exit 1
	done
done <phrases.txt
n=$(wc -l <phrases.txt)

files=""
for i in $(seq "$n"); do
	for lead in $leads; do files="$files q$i-$lead.wav"; done
done
# shellcheck disable=SC2086 # the file names have no spaces
"$exe" ask --json $files >ask.jsonl 2>ask.err || { cat ask.err; fail "ask failed"; exit 1; }
for i in $(seq "$n"); do
	"$exe" converse --language en --turns "q$i-0.5.wav" --log "c$i.jsonl" --out /dev/null 2>"c$i.err" ||
		fail "converse on q$i-0.5.wav failed: $(cat "c$i.err")"
done
[ $fails -eq 0 ] || exit 1

LEADS=$leads python3 - <<'PY' || exit 1
import json, os
phrases = open("phrases.txt").read().splitlines()
leads = os.environ["LEADS"].split()
ask = {}
for line in open("ask.jsonl"):
    j = json.loads(line)
    ask[j["file"]] = "%s/%s" % (j.get("intent"), j.get("decision", "error"))
fails = 0
print("%-34s" % "phrase" + "".join("%-32s" % ("ask, %s s before" % l) for l in leads)
      + "converse, 0.5 s")
for i, p in enumerate(phrases, 1):
    got = [ask.get("q%d-%s.wav" % (i, l), "missing") for l in leads]
    conv = "missing"
    for line in open("c%d.jsonl" % i):
        j = json.loads(line)
        if j.get("event") == "speech":
            conv = "%s/%s" % (j.get("intent"), j.get("decision"))
            break
    same = len(set(got)) == 1 and got[0] == conv
    print("%-34s" % p + "".join("%-32s" % g for g in got) + conv + ("" if same else "  DIFFERS"))
    fails += not same
print("%d of %d phrases heard differently by lead-in or against converse" % (fails, len(phrases)))
raise SystemExit(1 if fails else 0)
PY
