#!/bin/sh
# Barge-in on a handset (issue 18): `converse --station` hears speech while it speaks, as a
# station's handset has no echo path. "Can you help me", spoken 2 s into the greeting:
#  - by default with --station: the greeting is cut off (the log's "interrupted") and help is
#    said; the latency from the start of speech to the cut is printed (the endpoint's trailing
#    silence and the decision);
#  - with --no-barge-in (a loudspeaker the microphone hears): the greeting plays to its end and
#    the speech is ignored.
# usage: test_barge_in.sh TALKLEAF
set -u
exe=$1
. "$(cd "$(dirname "$0")" && pwd)/station_lib.sh"
work_in barge-in

# eSpeak NG at 16 kHz, 2 s into quiet room noise (a real microphone never gives digital silence),
# then 4 s more: the greeting lasts about 7 s.
espeak-ng -v en -w raw.wav "can you help me" &&
	sox -q -R raw.wav -r 16000 -c 1 -b 16 clean.wav pad 2.0 4.0 &&
	sox -q -R -n -r 16000 -c 1 -b 16 noise.wav synth "$(soxi -D clean.wav)" pinknoise vol 0.003 &&
	sox -q -R -m clean.wav noise.wav help.wav || exit 1

"$exe" converse --language en --station --in help.wav --out on.wav --log on.jsonl 2>on.err ||
	fail "converse --station failed: $(cat on.err)"
"$exe" converse --language en --station --no-barge-in --in help.wav --out off.wav --log off.jsonl 2>off.err ||
	fail "converse --station --no-barge-in failed: $(cat off.err)"

python3 - <<'PY' || fail "barge-in"
import json, sys
def turns(name):
    return [json.loads(l) for l in open(name) if l.strip()]
ok = True
def check(cond, what):
    global ok
    if not cond:
        print("FAIL:", what)
        ok = False
on = turns("on.jsonl")
greeting = on[0]
check(greeting["event"] == "start" and "prompt:greeting" in greeting["said"] + greeting["cut_off"],
      "the first turn is not the greeting: %s" % greeting)
check(greeting["interrupted"], "--station: the greeting was not cut off: %s" % greeting)
speech = [t for t in on if t["event"] == "speech"]
check(len(speech) >= 1 and "prompt:help" in speech[0]["said"],
      "--station: help was not said: %s" % on)
if speech and greeting["interrupted"]:
    t = speech[0]
    # The cut comes when the utterance is decided: its endpoint, plus the decision's time.
    cut = t["endpoint_s"] + (t["compute_ms"] or 0) / 1000.0
    latency = cut - t["speech_start_s"]
    print("barge-in: speech at %.2f s, greeting cut at %.2f s: %.2f s after speech started "
          "(%.2f s after it ended)" % (t["speech_start_s"], cut, latency, cut - t["speech_end_s"]))
    check(latency < 2.5, "the cut came %.2f s after the speech started" % latency)
off = turns("off.jsonl")
check(not off[0]["interrupted"], "--no-barge-in: the greeting was cut off: %s" % off[0])
check(all("prompt:help" not in t["said"] for t in off),
      "--no-barge-in: speech during the greeting was answered: %s" % off)
sys.exit(0 if ok else 1)
PY

[ $fails -eq 0 ] || exit 1
echo "barge-in: all passed"
