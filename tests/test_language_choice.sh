#!/bin/sh
# The language choice, --language and keypad-only speech (issue 20; docs/keypad.md, "Choosing
# the language"; docs/languages.md): `converse` over the built-in scripts, which have two languages
# (English, the main one, and Polish, keypad only).
#  1. no key: the choice is said first, each line in its own voice (en+f3, then pl), then again
#     after a silence, then the English greeting;
#  2. keys: 2 (while the choice is said) gives the Polish greeting; 0 the Polish help menu, and 0
#     there ("0, then 0") the choice again; * says it again; then silence: the choice once more,
#     then the English greeting;
#  3. a station: Polish chosen, then nobody: the idle reset waits for the next person at the
#     choice (a key that is no language says it, 1 chooses English);
#  4. --language pl: no choice, the Polish greeting first; --language xx: an error naming the
#     installed languages;
#  5. "is it my fault" (eSpeak NG, sox -R) is answered in English (--language en), but gets no
#     answer at all in Polish (nothing said, no "not heard"), chosen by key with the English
#     recogniser loaded, and with --language pl.
# usage: test_language_choice.sh TALKLEAF
set -u
exe=$1
. "$(cd "$(dirname "$0")" && pwd)/station_lib.sh"
work_in language-choice
speech q "is it my fault"

"$exe" -v converse --keys-only --turns silence:40 --max-seconds 40 --log said.jsonl \
	2>said.err || fail "converse failed: $(grep -v debug said.err)"
"$exe" converse --keys-only --turns silence:60 --max-seconds 60 --keys "1:2,4:0,6:0,8:*" \
	--log keys.jsonl 2>keys.err || fail "converse with keys failed: $(cat keys.err)"
"$exe" converse --station --keys-only --no-speech-timeout 4 --turns silence:90 \
	--max-seconds 80 --keys "1:2,60:5,63:1" --log station.jsonl 2>station.err ||
	fail "converse --station failed: $(cat station.err)"
"$exe" converse --keys-only --language pl --turns silence:10 --max-seconds 10 --log pl.jsonl \
	2>pl.err || fail "converse --language pl failed: $(cat pl.err)"
if "$exe" converse --keys-only --language xx --turns silence:5 2>xx.err; then
	fail "converse --language xx did not fail"
fi
grep -q "no language 'xx' is installed (the languages are: en, pl" xx.err ||
	fail "--language xx: no error naming en and pl: $(cat xx.err)"
"$exe" converse --language en --turns q.wav --log en-speech.jsonl 2>en-speech.err ||
	fail "converse --language en failed: $(cat en-speech.err)"
"$exe" -v converse --turns q.wav q.wav --keys "1:2" --log chosen-speech.jsonl \
	2>chosen-speech.err || fail "converse, Polish chosen, failed: $(cat chosen-speech.err)"
"$exe" converse --language pl --turns q.wav q.wav --log pl-speech.jsonl 2>pl-speech.err ||
	fail "converse --language pl with speech failed: $(cat pl-speech.err)"

# The voices used while the choice and the greeting were said, in order.
grep -o 'speaking with voice [^ ]*' said.err | awk '{ print $4 }' | tr '\n' ' ' > voices.txt
python3 - <<'PY' || fail "the language choice"
import json, os
problems = []
def turns(name):
    if not os.path.exists(name):
        return []
    return [json.loads(l) for l in open(name) if l.strip()]
def check(cond, what, log):
    if not cond:
        problems.append("%s: %s" % (what, "\n  ".join(json.dumps(t) for t in log)))
CHOICE = ["language-choice:en", "language-choice:pl"]
def said(t):
    return t["said"]

log = turns("said.jsonl")
check([said(t) for t in log[:3]] == [CHOICE, CHOICE, ["prompt:greeting"]] and
      log[2].get("language") == "en",
      "no key: the choice, the choice again, then the English greeting", log)
voices = open("voices.txt").read().split()
check(voices[:5] == ["en+f3", "pl", "en+f3", "pl", "en+f3"],
      "each line of the choice in its own voice (%s)" % voices, log)

log = turns("keys.jsonl")
want = [(None, CHOICE, None), ("2", ["prompt:greeting"], "pl"), ("0", None, "pl"),
        ("0", CHOICE, None), ("*", CHOICE, None), (None, CHOICE, None),
        (None, ["prompt:greeting"], "en")]
ok = len(log) >= len(want)
for t, (key, items, lang) in zip(log, want):
    ok = ok and t["key"] == key and (items is None or said(t) == items) and \
        t.get("language") == lang
check(ok and said(log[2])[0] == "prompt:help" and "prompt:help-item" in said(log[2]),
      "keys 2, 0, 0, *, then silence: Polish greeting, Polish help, the choice (three "
      "times), the English greeting", log)

log = turns("station.jsonl")
reset = [i for i, t in enumerate(log) if t["reset"]]
after = log[reset[0] + 1:] if reset else []
check(reset and log[reset[0]].get("language") == "pl" and
      [(t["key"], said(t)) for t in after[:2]] == [("5", CHOICE), ("1", ["prompt:greeting"])]
      and after[1].get("language") == "en",
      "a station's reset (in Polish) waits at the choice: 5 says it, 1 greets in English", log)

log = turns("pl.jsonl")
check(log and said(log[0]) == ["prompt:greeting"] and log[0].get("language") == "pl",
      "--language pl: the Polish greeting first, no choice", log)

log = turns("en-speech.jsonl")
check(any(t["event"] == "speech" and "topic:not-your-fault" in said(t) for t in log),
      "--language en: 'is it my fault' answered (the speech is there to hear)", log)
for name in ("chosen-speech.jsonl", "pl-speech.jsonl"):
    log = turns(name)
    spoken = [t for t in log if t["event"] == "speech"]
    replies = [i for t in log for i in said(t)
               if i in ("prompt:not-heard", "prompt:not-sure") or i.startswith("topic:")]
    check(log and not spoken and not replies,
          "%s: English speech in Polish: no turn, nothing said in reply" % name, log)
for p in problems:
    print("FAIL: " + p)
raise SystemExit(1 if problems else 0)
PY
[ "$(grep -c 'not heard (keypad only here)' chosen-speech.err)" -eq 2 ] ||
	fail "Polish chosen: the two questions were not dropped unheard: $(grep -v 'debug: dialogue' chosen-speech.err | tail -20)"
[ "$fails" -eq 0 ] || exit 1
echo "language choice: all good"
