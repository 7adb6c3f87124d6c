#!/bin/sh
# Counts, not recordings (docs/counts.md): two scripted conversations (keys; spoken questions
# made by eSpeak NG) counted into one state folder, then `talkleaf counts` as a table, CSV and
# an SVG chart, and `talkleaf card`; the default --log has no words heard, --log-words has them
# and says so.
# usage: test_counts.sh TALKLEAF
set -u
exe=$1
. "$(cd "$(dirname "$0")" && pwd)/station_lib.sh"
work_in counts
mkdir state
sox -q -R -n -r 16000 -c 1 -b 16 room.wav synth 50 pinknoise vol 0.003 || exit 1

# 1. Keys only: four topics asked by key (babies-differ twice), each from the list of topics (0,
# then 1, then the topic's keys: the menus and help on the way ask nothing), a repeat and a
# "more" that ask nothing new.
k_babies=$(topic_keys "$exe" babies-differ)
k_fault=$(topic_keys "$exe" not-your-fault)
k_late=$(topic_keys "$exe" never-too-late)
[ -n "$k_babies" ] && [ -n "$k_fault" ] && [ -n "$k_late" ] || { echo "topics missing"; exit 1; }
keys="$(keys_at 2 1 "$list_keys-$k_babies"),10:*,$(keys_at 18 1 "$list_keys-$k_fault"),26:#"
keys="$keys,$(keys_at 31 1 "$list_keys-$k_late"),$(keys_at 40 1 "$list_keys-$k_babies")"
"$exe" converse --language en --keys-only --in room.wav --out keys.wav --log keys.jsonl --log-words \
	--state-dir state --keys "$keys" 2>keys.err ||
	fail "the keys conversation failed: $(cat keys.err)"
grep -q 'keeps the words each person said' keys.err ||
	fail "--log-words did not say that the log keeps the words: $(cat keys.err)"
grep -q '"heard":null' keys.jsonl || fail "--log-words wrote no \"heard\" field"

# 2. The default log: one question the leaflet does not cover, and nothing the person said is in
# the log (no "heard" field, none of their words).
speech weather "what will the weather be like tomorrow"
"$exe" converse --language en --turns weather.wav --out private.wav --log private.jsonl 2>private.err ||
	fail "the private conversation failed: $(cat private.err)"
cat private.jsonl
grep -q '"event":"speech"' private.jsonl || fail "the question is not in the log"
if grep -q '"heard"' private.jsonl || grep -qi 'weather\|tomorrow' private.jsonl; then
	fail "the default --log keeps the words heard"
fi
grep -q 'keeps the words' private.err && fail "a log without words said it keeps them"

# 3. Spoken, counted: a topic question, a yes (to "did you ask about ..." if asked back), and
# the question the leaflet does not cover.
speech attuned "what does attuned mean"
speech yes "yes"
"$exe" converse --language en --turns attuned.wav yes.wav weather.wav --out spoken.wav --log spoken.jsonl \
	--state-dir state 2>spoken.err || fail "the spoken conversation failed: $(cat spoken.err)"
cat spoken.jsonl
grep -q '"heard"' spoken.jsonl && fail "the default --log keeps the words heard"
[ "$(grep -c '"event":"speech"' spoken.jsonl)" -eq 3 ] || fail "not three utterances in the log"
# What the spoken run must have counted, from its log's decisions (the recogniser may ask back
# about "attuned" or answer at once; either way attunement is said once).
rejected=$(grep '"event":"speech"' spoken.jsonl | grep -c '"decision":"reject"')
confirmed=$(grep '"event":"speech"' spoken.jsonl | grep -c '"decision":"confirm"')
grep -q '"said":\["topic:attunement"' spoken.jsonl || fail "attunement was never answered"

# 4. The table: every figure of the two runs.
"$exe" counts --state-dir state >table.txt 2>table.err || fail "counts failed: $(cat table.err)"
cat table.txt
total=$(grep '^total ' table.txt)
# total: asked, by voice, by key, answered, asked back, not understood
set -- $total
[ "${3:-}" = 2 ] || fail "asked by voice: ${3:-none}, want 2 (attuned, weather)"
[ "${4:-}" = 4 ] || fail "asked by key: ${4:-none}, want 4"
[ "${2:-}" = 6 ] || fail "asked: ${2:-none}, want 6"
[ "${5:-}" = 5 ] || fail "answered: ${5:-none}, want 5 (4 keys, attunement)"
[ "${6:-}" = "$confirmed" ] || fail "asked back: ${6:-none}, want $confirmed (the log)"
[ "${7:-}" = "$rejected" ] || fail "not understood: ${7:-none}, want $rejected (the log)"
[ $((rejected + confirmed)) -ge 1 ] || fail "the weather question was neither rejected nor asked back"
said() { awk -v id="$1" '$2 == id { print $3 }' table.txt; }
[ "$(said babies-differ)" = 2 ] || fail "babies-differ said $(said babies-differ), want 2"
[ "$(said not-your-fault)" = 1 ] || fail "not-your-fault said $(said not-your-fault), want 1"
[ "$(said never-too-late)" = 1 ] || fail "never-too-late said $(said never-too-late), want 1"
[ "$(said attunement)" = 1 ] || fail "attunement said $(said attunement), want 1"
[ "$(said camhs)" = 0 ] || fail "camhs said $(said camhs), want 0"

# No temporary file is left beside the day's file; the file has numbers only.
[ "$(ls -A state | grep -vc '^counts-[0-9-]*\.txt$')" -eq 0 ] || fail "stray files: $(ls -A state)"
if grep -qi 'weather\|attuned\|tomorrow' state/*; then fail "the counts keep words"; fi

# 5. CSV, the SVG chart and the card, checked with Python's CSV and XML parsers.
"$exe" counts --state-dir state --csv >counts.csv || fail "counts --csv failed"
"$exe" counts --state-dir state --svg chart.svg || fail "counts --svg failed"
"$exe" card --svg card.svg || fail "card --svg failed"
"$exe" card >card.txt || fail "card failed"
"$exe" topics --json >topics.json || exit 1
python3 - "$rejected" <<'EOF' || fail "CSV, chart or card"
import csv, json, os, sys, xml.etree.ElementTree as ET
rejected = int(sys.argv[1])
topics = json.load(open("topics.json"))
rows = list(csv.DictReader(open("counts.csv")))
ok = True
def check(cond, what):
    global ok
    if not cond:
        print("FAIL:", what)
        ok = False
check(len(rows) >= 1, "no day in the CSV")
def total(col):
    return sum(int(r[col]) for r in rows)
check(total("asked") == 6 and total("asked_key") == 4 and total("asked_voice") == 2,
      "CSV asked")
check(total("answered") == 5 and total("not_understood") == rejected, "CSV answered")
check(total("topic:babies-differ") == 2 and total("topic:attunement") == 1, "CSV topics")
check(all("topic:" + t["id"] in rows[0] for t in topics), "CSV lacks a topic column")
SVG = "{http://www.w3.org/2000/svg}"
for name in ("chart.svg", "card.svg"):
    root = ET.parse(name).getroot()  # raises on XML that is not well formed
    check(root.tag == SVG + "svg", name + ": not SVG")
    texts = [(t.text or "") for t in root.iter(SVG + "text")]
    joined = "\n".join(texts).lower()
    for t in topics:
        check(t["title"].lower() in joined, name + ": no " + t["title"])
    if name == "card.svg":
        # The key map: each topic's key ("2-3") as its menu's digit, then its own under it.
        low = [x.lower() for x in texts]
        menus = {}
        src = os.environ.get("TALKLEAF_SOURCE_DIR")
        if src:
            block = {}
            for line in open(os.path.join(src, "scripts", "menus.txt")).read().split("\n") + [""]:
                if ":" in line and not line.startswith("#"):
                    k, v = line.split(":", 1)
                    block[k.strip()] = v.strip()
                elif block:
                    menus[block["key"]] = block["title"]
                    block = {}
            check(len(menus) >= 2, "no menus read from menus.txt")
        for key, title in menus.items():
            check(title.lower() in low and low[low.index(title.lower()) - 1] == key,
                  name + ": no menu %s on %s" % (title, key))
        def find(title):  # "who can help (from anywhere)" is the title too
            hits = [j for j, x in enumerate(low) if x == title or x.startswith(title + " (")]
            return hits[0] if hits else -1
        for t in topics:
            i = find(t["title"].lower())
            keys = t["key"].split("-")
            check(i > 0 and texts[i - 1] == keys[-1], name + ": no key %s before %s"
                  % (keys[-1], t["title"]))
            if len(keys) == 2 and keys[0] in menus and i > 0:
                check(find(menus[keys[0]].lower()) in range(0, i), name + ": %s not under %s"
                      % (t["title"], menus[keys[0]]))
        nine = [t for t in topics if t["key"] == "9"]
        check(len(nine) == 1 and find(nine[0]["title"].lower()) > 0 and
              "anywhere" in low[find(nine[0]["title"].lower())], name + ": no 9 entry")
        for key in ("*", "#", "0"):
            check(key in texts, name + ": no key " + key)
card = open("card.txt").read()
check(all(t["title"] in card for t in topics), "card text lacks a topic")
check("ask out loud" in card, "the English card does not say a parent can ask")
sys.exit(0 if ok else 1)
EOF

# 5b. The card in Polish (keypad only): Polish titles and words from scripts/pl/prompts.txt, no
# English, and no line inviting a parent to speak.
"$exe" card --language pl >card-pl.txt || fail "card --language pl failed"
"$exe" card --language pl --svg card-pl.svg || fail "card --language pl --svg failed"
"$exe" card --language xx >/dev/null 2>card-xx.err && fail "card --language xx did not fail"
grep -q "xx" card-xx.err || fail "card --language xx: no message naming xx"
if [ -n "${TALKLEAF_SOURCE_DIR:-}" ]; then
	python3 - "$TALKLEAF_SOURCE_DIR/scripts" <<'EOF' || fail "the Polish card"
import glob, os, sys, xml.etree.ElementTree as ET
src = sys.argv[1]
def titles(folder):
    out = []
    for f in glob.glob(os.path.join(folder, "*.txt")):
        text = open(f, encoding="utf-8").read()
        if "\ntopic:" in "\n" + text:
            out += [l.split(":", 1)[1].strip() for l in text.split("\n") if l.startswith("title:")]
    return out
pl, en = titles(os.path.join(src, "pl")), titles(src)
card = open("card-pl.txt", encoding="utf-8").read()
svg = "\n".join(t.text or "" for t in
                ET.parse("card-pl.svg").getroot().iter("{http://www.w3.org/2000/svg}text"))
fails = []
if len(pl) < 13:
    fails.append("found %d Polish titles" % len(pl))
for t in pl:
    if t not in card or t.lower() not in svg.lower():  # the SVG capitalises titles
        fails.append("no Polish title " + t)
for t in en:
    if t != "CAMHS" and t in card:
        fails.append("an English title on the Polish card: " + t)
for words in ("Press a number", "ask out loud", "Other keys", "When asked"):
    if words in card or words in svg:
        fails.append("English words on the Polish card: " + words)
if not card.startswith("Wybierz numer tematu:") or "1 tak, 2 nie." not in card:
    fails.append("the card's own words are not the Polish prompts")
for f in fails:
    print("FAIL:", f)
sys.exit(1 if fails else 0)
EOF
fi

# 6. A day range without counts gives zeros; a bad date is refused.
"$exe" counts --state-dir state --from 2000-01-01 --to 2000-01-02 | grep -q '^total  *0 ' ||
	fail "a range without counts is not all zeros"
"$exe" counts --state-dir state --from yesterday >/dev/null 2>&1 && fail "a bad date was taken"
"$exe" counts >/dev/null 2>&1 && fail "counts without a state folder did not fail"
# The state folder may also come from systemd's $STATE_DIRECTORY.
STATE_DIRECTORY="$work/state" "$exe" counts | grep -q '^total  *6 ' ||
	fail "\$STATE_DIRECTORY is not the default state folder"

# A chart or a card never overwrites a script.
if [ -n "${TALKLEAF_SOURCE_DIR:-}" ]; then
	cp "$TALKLEAF_SOURCE_DIR/scripts/camhs.txt" camhs.txt
	"$exe" card --svg "$TALKLEAF_SOURCE_DIR/scripts/camhs.txt" 2>/dev/null &&
		fail "card --svg wrote over a script"
	cmp -s camhs.txt "$TALKLEAF_SOURCE_DIR/scripts/camhs.txt" || fail "a script was changed"
fi

[ $fails -eq 0 ] || exit 1
echo "counts: all passed"
