#!/bin/sh
# The Polish leaflet by the phone keypad alone (issue 20), through `talkleaf converse --station
# --keys-only` with keys drawn from 0-9, * and # only:
#  1. with --language pl: every Polish topic (scripts/pl: its menus and keys, read from the
#     files) is answered, reached from anywhere by 0, 1 (the list of topics) and its keys, and #
#     goes on; every control acts: * again, # more, 0 help and the help menu's next page, and
#     through help slower, faster, louder, quieter, back, stop, start again and goodbye (the
#     station resets and greets the next person); every turn is in Polish;
#  2. without --language: the built-in languages' choice first (English, then Polish), 2 chooses
#     Polish, and the language control (0, then 0) brings the choice back from the help menu;
#     * says it again; 1 gives English, 2 Polish again.
# usage: test_polish_keypad.sh TALKLEAF SCRIPTS
set -u
exe=$1 scripts=$2
. "$(cd "$(dirname "$0")" && pwd)/station_lib.sh"
work_in polish-keypad

# converse NAME KEYS [OPTIONS]: a station conversation by keys only; the log in NAME.jsonl.
converse() {
	name=$1 keys=$2
	shift 2
	bad=$(echo "$keys" | tr ',' '\n' | sed 's/^[^:]*://' | grep -v '^[0-9*#]$')
	[ -z "$bad" ] || fail "$name: keys not on a phone keypad: $(echo $bad)"
	"$exe" converse --station --keys-only --keys "$keys" --log "$name.jsonl" --out "$name.wav" \
		"$@" 2>"$name.err" || fail "$name: converse failed: $(cat "$name.err")"
}

# The Polish topics' keys from the list of topics, from their files: "2-3 id" (in-menu's key in
# pl/menus.txt, then the topic's) or "9 id" (a topic on the main menu).
awk '
	FILENAME ~ /menus\.txt$/ && /^menu:/ { menu = $2 }
	FILENAME ~ /menus\.txt$/ && /^key:/ && menu != "" { menukey[menu] = $2; menu = "" }
	FILENAME !~ /menus\.txt$/ && /^topic:/ { id = $2; order[++n] = id }
	FILENAME !~ /menus\.txt$/ && /^in-menu:/ { inmenu[id] = $2 }
	FILENAME !~ /menus\.txt$/ && /^key:/ && id != "" { key[id] = $2 }
	END {
		for (i = 1; i <= n; i++) {
			t = order[i]
			print (t in inmenu ? menukey[inmenu[t]] "-" : "") key[t], t
		}
	}' "$scripts/pl/menus.txt" $(ls "$scripts"/pl/*.txt | grep -v -e /menus.txt -e /prompts.txt \
	-e /controls.txt -e /language.txt) >topics.txt
[ "$(wc -l <topics.txt)" -eq 13 ] || fail "want 13 Polish topics, found: $(cat topics.txt)"
# A and B: two topics in a sub-menu (keys "m-k"), for the controls.
set -- $(grep -e '^[0-9]-[0-9] ' topics.txt | sed -n 1p)
k_a=${1:-} t_a=${2:-}
set -- $(grep -e '^[0-9]-[0-9] ' topics.txt | sed -n 2p)
k_b=${1:-} t_b=${2:-}
[ -n "$t_a" ] && [ -n "$t_b" ] || { echo "fewer than two Polish topics in sub-menus"; exit 1; }

# A plan of steps: KEYS pressed a second apart, what the last key's reply must say first
# (alternatives joined by '|'), the language of that turn ("-": none, during the choice), and
# "reset" when the station must reset after it.
clock=1
schedule=
step() { # PLAN KEYS WANT LANGUAGE [reset]
	schedule="${schedule:+$schedule,}$(keys_at "$clock" 1 "$2")"
	clock=$((clock + $(echo "$2" | awk -F- '{ print NF }') + 1))
	echo "$2 $3 $4 ${5:-}" >>"$1"
}
# check NAME PLAN [START...]: the log NAME.jsonl against PLAN; the first turn said START.
check() {
	python3 - "$1.jsonl" "$2" "$scripts" "${3:-}" <<'EOF' || fail "$1: see above"
import itertools, json, sys
turns = [json.loads(line) for line in open(sys.argv[1])]
plan = [line.split() for line in open(sys.argv[2])]
start = sys.argv[4].split(",") if sys.argv[4] else None
presses = [t for t in turns if t["event"] == "key"]
pressed = "-".join(p[0] for p in plan).split("-")
if [t["key"] for t in presses] != pressed:
    sys.exit("FAIL: keys logged %s, pressed %s" % ([t["key"] for t in presses], pressed))
wrong = [] if not start or turns[0]["said"] == start else [
    "start: said %s, want %s" % (turns[0]["said"], start)]
# each step's last key: what it said first, in which language, and whether the station reset
for p, end in zip(plan, itertools.accumulate(len(p[0].split("-")) for p in plan)):
    t = presses[end - 1]
    got = ((t["said"] or ["(nothing)"])[0], t.get("language") or "-", t["reset"])
    if got[0] not in p[1].split("|") or got[1] != p[2] or got[2] != (p[3:] == ["reset"]):
        wrong.append("keys %s: said %s in %s (reset %s), want %s in %s (reset %s)"
                     % ((p[0],) + got + (p[1], p[2], p[3:] == ["reset"])))
print("%s: %d presses, %d steps" % (sys.argv[1], len(presses), len(plan)))
for w in wrong:
    print("FAIL:", w)
sys.exit(1 if wrong else 0)
EOF
}

# 1. --language pl: every topic and control.
: >walk.txt
while read -r keys id; do
	step walk.txt "$list_keys-$keys" "topic:$id" pl
	step walk.txt "#" "more:$id|prompt:no-more" pl
done <topics.txt
step walk.txt "$list_keys-$k_a" "topic:$t_a" pl
step walk.txt "*" "topic:$t_a" pl
step walk.txt 0 prompt:help pl
step walk.txt "#" prompt:help-item pl # the help menu's next page
step walk.txt "$list_keys-$k_b" "topic:$t_b" pl
step walk.txt 0-2 prompt:slower pl
step walk.txt 0-3 prompt:faster pl
step walk.txt 0-4 prompt:louder pl
step walk.txt 0-5 prompt:quieter pl
step walk.txt 0-6 prompt:menu-item pl # back: the sub-menu B was chosen in
step walk.txt 0-7 prompt:stopped pl
step walk.txt 0-1 prompt:menu-intro pl # start again: the list of topics
step walk.txt 0-8 prompt:goodbye pl reset
clock=$((clock + 8))
step walk.txt "*" prompt:greeting pl # the next person
converse walk "$schedule" --language pl --turns "silence:$((clock + 5))"
check walk walk.txt prompt:greeting
# Every answer in Polish: the answered topics are the 13 of scripts/pl.
for id in $(awk '{ print $2 }' topics.txt); do
	grep -q "\"topic:$id\"" walk.jsonl || fail "walk: topic $id never answered"
done
grep -v '"language":"pl"' walk.jsonl | grep . && fail "walk: a turn not in Polish (above)"

# 2. The choice of the built-in languages, and the language control from the help menu.
: >choice.txt
clock=1
schedule=
step choice.txt 2 prompt:greeting pl
step choice.txt "$list_keys-$k_a" "topic:$t_a" pl
step choice.txt 0-0 language-choice:en - # the language control: the choice again
step choice.txt "*" language-choice:en -
step choice.txt 1 prompt:greeting en
step choice.txt 0-0 language-choice:en -
step choice.txt 2 prompt:greeting pl
converse choice "$schedule" --turns "silence:$((clock + 3))"
check choice choice.txt language-choice:en,language-choice:pl

[ $fails -eq 0 ] || { echo "$fails failures"; exit 1; }
echo "polish keypad: all passed"
