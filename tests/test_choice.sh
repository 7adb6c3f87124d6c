#!/bin/sh
# A choice instead of a dead end (issue 19, item 3; docs/keypad.md, "A choice between two
# topics"): `converse` over eSpeak NG speech.
#  1. "attuned dance" is heard between what attuned means and the dance: both are offered, on 1
#     and 2 ("did you mean ...? press 1. or ...? press 2."), never answered;
#  2. its title, "attachment as a dance", answers the dance; "neither of them" answers nothing
#     ("please ask again");
#  3. the key 2, pressed while the choice is said, answers the dance (2 is "no" in a yes/no);
#  4. four questions under two other voices louder than the speaker (sox -R: repeatable): each
#     is not heard; "it is noisy here, you can press a number instead" comes once, and no
#     re-prompt asks for speech again.
# usage: test_choice.sh TALKLEAF
set -u
exe=$1
. "$(cd "$(dirname "$0")" && pwd)/station_lib.sh"
work_in choice
speech both "attuned dance"
speech second "attachment as a dance"
speech neither "neither of them"
# Two other voices, the loudest sound in the room.
b1="the children went to the shop and bought some bread and milk for the morning, then they"
b1="$b1 walked home along the river"
b2="my sister called yesterday about the party on saturday, she wants us to bring the cake and"
b2="$b2 some chairs"
espeak-ng -v en -s 190 -w b1.wav "$b1" && espeak-ng -v en+f3 -s 170 -w b2.wav "$b2" &&
	sox -q -R b1.wav -r 16000 -c 1 -b 16 b1r.wav &&
	sox -q -R b2.wav -r 16000 -c 1 -b 16 b2r.wav pad 0.7 0 &&
	sox -q -R -m b1r.wav b2r.wav babble.wav &&
	sox -q -R -m -v 1 clean-both.wav -v 1 babble.wav noisy.wav trim 0 3 || exit 1

"$exe" converse --language en --turns both.wav second.wav --log-words --log second.jsonl 2>second.err ||
	fail "converse failed: $(cat second.err)"
"$exe" converse --language en --turns both.wav neither.wav --log-words --log neither.jsonl 2>neither.err ||
	fail "converse failed: $(cat neither.err)"
# The key 0.3 s after the question's end: while the choice is being said.
key_s=$(python3 -c 'import json, sys
print("%.2f" % (json.loads(open(sys.argv[1]).readlines()[1])["endpoint_s"] + 0.3))' second.jsonl) ||
	fail "no question in second.jsonl"
"$exe" converse --language en --turns both.wav silence:10 --keys "$key_s:2" --log-words --log key.jsonl \
	2>key.err || fail "converse failed: $(cat key.err)"
"$exe" converse --language en --turns noisy.wav noisy.wav noisy.wav noisy.wav --log-words --log noisy.jsonl \
	2>noisy.err || fail "converse failed: $(cat noisy.err)"

python3 - <<'PY' || fail "choice"
import json, sys
def turns(name):
    return [json.loads(l) for l in open(name) if l.strip()][1:]
problems = []
def check(cond, what):
    if not cond:
        problems.append(what)
CHOICE = ["prompt:choice", "prompt:choice-or"]
for name in ("second", "neither", "key"):
    t = turns(name + ".jsonl")
    check(t and t[0]["said"] == CHOICE and not any(s.startswith("topic:") for s in t[0]["said"]),
          "%s: 'attuned dance' gets the choice, not an answer: %s" % (name, t[:1]))
t = turns("second.jsonl")
check(len(t) > 1 and t[1]["said"][:1] == ["topic:the-dance"],
      "'attachment as a dance' answers the dance: %s" % t[1:])
t = turns("neither.jsonl")
check(len(t) > 1 and t[1]["said"] == ["prompt:confirm-no"],
      "'neither of them' answers nothing: %s" % t[1:])
t = turns("key.jsonl")
check(len(t) > 1 and t[1]["key"] == "2" and t[1]["said"][:1] == ["topic:the-dance"],
      "the key 2 answers the dance: %s" % t[1:])
t = [x for x in turns("noisy.jsonl") if x["event"] == "speech"]
said = [s for x in t for s in x["said"]]
check(len(t) == 4 and said.count("prompt:noisy") == 1 and t[0]["said"][-1:] == ["prompt:noisy"],
      "four questions in the noise: 'it is noisy here' once, after the first: %s" % t)
check(not any(s.startswith("prompt:reprompt") or s == "prompt:not-sure" for s in said),
      "in the noise no prompt asks for speech again: %s" % said)
for p in problems:
    print("FAIL:", p)
sys.exit(1 if problems else 0)
PY

[ $fails -eq 0 ] || exit 1
echo "choice: offered, chosen by voice and by key; the noisy room told once"
