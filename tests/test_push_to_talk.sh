#!/bin/sh
# Push to talk (issue 19, docs/keypad.md): `converse --push-to-talk` hears speech only after a
# key (and the greeting at the start), after a tone. "Is it my fault" is said three times, when
# the assistant listens: after the greeting; after the answer (before any key), then 6 s of
# quiet; and once more after the next reply:
#  1. no key: the first question is answered, after the greeting and its tone; the other two are
#     not heard (no turn, nothing in "heard", no recording). The second question's end is where
#     the key of run 2 goes, 2 s later;
#  2. a key (*) in the quiet: it says the answer again, then the tone; the third question is
#     answered. Two questions heard in all, two tones;
#  3. without --push-to-talk (the control, same turns and key): the second question, before the
#     key, is answered: the speech runs 1 and 2 ignored was there to hear.
# usage: test_push_to_talk.sh TALKLEAF
set -u
exe=$1
. "$(cd "$(dirname "$0")" && pwd)/station_lib.sh"
work_in push-to-talk
speech q "is it my fault"
turns="q.wav q.wav silence:6 q.wav"

mkdir rec1 rec2
# shellcheck disable=SC2086 # the turns are words
"$exe" -v converse --language en --push-to-talk --turns $turns --log-words --log nokey.jsonl \
	--record-dir rec1 2>nokey.err ||
	fail "converse --push-to-talk failed: $(grep '^talkleaf:' nokey.err)"
ignored=$(sed -n 's/.*push to talk: speech at \([0-9.]*\)-\([0-9.]*\) s before a key.*/\2/p' \
	nokey.err | head -1)
[ -n "$ignored" ] ||
	fail "--push-to-talk without a key: no speech ignored: $(grep '^talkleaf:' nokey.err)"
key_s=$(awk -v t="${ignored:-0}" 'BEGIN { printf "%.2f", t + 2 }')
# shellcheck disable=SC2086
"$exe" converse --language en --push-to-talk --turns $turns --keys "$key_s:*" --log-words --log key.jsonl \
	--record-dir rec2 2>key.err || fail "converse --push-to-talk failed: $(cat key.err)"
# shellcheck disable=SC2086
"$exe" converse --language en --turns $turns --keys "$key_s:*" --log-words --log plain.jsonl 2>plain.err ||
	fail "converse failed: $(cat plain.err)"

KEY_S=$key_s REC1=$(ls rec1 | wc -l) REC2=$(ls rec2 | wc -l) python3 - <<'PY' || fail "push to talk"
import json, os, sys
key_s = float(os.environ["KEY_S"])
def turns(name):
    if not os.path.exists(name):
        return []
    return [json.loads(l) for l in open(name) if l.strip()]
def tones(log):
    return sum(t["said"].count("tone") for t in log)
problems = []
def check(cond, what):
    if not cond:
        problems.append(what)
def answered(t):
    return "topic:not-your-fault" in t["said"]

nokey = turns("nokey.jsonl")
heard = [t for t in nokey if t["heard"] is not None]
check(len(heard) == 1 and answered(heard[0]),
      "no key: the question after the greeting alone is heard and answered: %s" % nokey)
check(nokey and nokey[0]["said"][-1:] == ["tone"] and tones(nokey) == 1,
      "no key: one tone, after the greeting: %s" % nokey)
check(os.environ["REC1"] == "1", "no key: %s utterances recorded, not 1" % os.environ["REC1"])

key = turns("key.jsonl")
speech = [t for t in key if t["event"] == "speech"]
heard = [t for t in key if t["heard"] is not None]
keys = [t for t in key if t["event"] == "key"]
check(len(speech) == 2 and len(heard) == 2 and all(answered(t) for t in speech),
      "the key: two questions heard and answered, not %d: %s" % (len(heard), key))
check(len(speech) == 2 and speech[0]["speech_start_s"] < key_s < speech[1]["speech_start_s"],
      "the key at %.2f s: one question heard before it, one after: %s" % (key_s, speech))
check(len(keys) == 1 and keys[0]["said"][-1:] == ["tone"] and tones(key) == 2,
      "the key: its reply ends with the tone, two tones in all: %s" % key)
check(os.environ["REC2"] == "2", "the key: %s utterances recorded, not 2" % os.environ["REC2"])

plain = turns("plain.jsonl")
before = [t for t in plain if t["event"] == "speech" and t["speech_start_s"] < key_s]
check(len(before) == 2 and all(answered(t) for t in before),
      "without --push-to-talk: both questions before the key are answered: %s" % plain)
check(tones(plain) == 0, "without --push-to-talk or --tone: a tone: %s" % plain)
for p in problems:
    print("FAIL:", p)
if not problems:
    print("push to talk: the question at %.2f s (before the key at %.2f s) not heard; after the "
          "tone, at %.2f s, answered" % (before[1]["speech_start_s"], key_s,
                                         speech[1]["speech_start_s"]))
sys.exit(1 if problems else 0)
PY

[ $fails -eq 0 ] || exit 1
echo "push to talk: all passed"
