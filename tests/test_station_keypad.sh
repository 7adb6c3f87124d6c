#!/bin/sh
# The phone keypad end to end (issue 18, docs/keypad.md), through `talkleaf converse --station`
# with keys drawn from 0-9, * and # alone (each schedule is checked for any other key):
#  1. every topic of `talkleaf topics` is answered, reached from anywhere by 0, 1 (help, then
#     "start again": the list of topics) and the topic's keys ("2-3"); every control acts: * again,
#     # more, 0 help, and through help slower, faster, louder, quieter, back, stop, start again
#     and goodbye (the station resets and greets the next person at their first key);
#  2. 1 and 2 say yes and no to "did you ask about ...?", asked back about an unsure spoken
#     question (eSpeak NG);
#  3. 9, "who can help me", is one key from an answer, a sub-menu, the help menu, the related
#     topics offered after #, and a yes-or-no question;
#  4. louder and quieter change the output level by about 3 dB a step, by key and by voice: the
#     same answer's last 3.5 s measured with sox against the default level.
# usage: test_station_keypad.sh TALKLEAF
set -u
exe=$1
. "$(cd "$(dirname "$0")" && pwd)/station_lib.sh"
work_in keypad

# converse NAME KEYS [OPTIONS]: a station conversation, keys at KEYS ("2:1,3:4"; "": none), the
# log in NAME.jsonl and what was said in NAME.wav. A key not on a phone keypad is a failure.
converse() {
	name=$1 keys=$2
	shift 2
	bad=$(echo "$keys" | tr ',' '\n' | sed 's/^[^:]*://' | grep -v '^[0-9*#]$')
	[ -z "$bad" ] || fail "$name: keys not on a phone keypad: $(echo $bad)"
	[ -z "$keys" ] || set -- --keys "$keys" "$@"
	"$exe" converse --language en --station --log "$name.jsonl" --out "$name.wav" "$@" 2>"$name.err" ||
		fail "$name: converse failed: $(cat "$name.err")"
}
# said NAME KEY: what the turn of the first press of KEY in NAME.jsonl said first.
said() {
	sed -n "s/.*\"key\":\"$2\",\"said\":\[\"\([^\"]*\)\".*/\1/p" "$1.jsonl" 2>/dev/null | head -n 1
}

"$exe" topics --json >topics.json || exit 1
"$exe" topics >topics.txt || exit 1
set -- $(head -n 1 topics.txt)
k_a=${1:-} t_a=${2:-}
set -- $(sed -n 2p topics.txt)
k_b=${1:-} t_b=${2:-}
[ -n "$t_a" ] && [ -n "$t_b" ] || { echo "fewer than two topics: $(cat topics.txt)"; exit 1; }

# 1 and 3. A plan of steps, each keys pressed a second apart and what the last key's reply must
# say first (alternatives joined by '|'; "reset": the station resets after it).
: >plan.txt
clock=1
schedule=
step() { # KEYS WANT [reset]
	schedule="${schedule:+$schedule,}$(keys_at "$clock" 1 "$1")"
	clock=$((clock + $(echo "$1" | awk -F- '{ print NF }') + 1))
	echo "$1 $2 ${3:-}" >>plan.txt
}
while read -r keys id rest; do
	step "$list_keys-$keys" "topic:$id"
	step "#" "more:$id|prompt:no-more"
	step 9 topic:who-can-help # after the rest of an answer and its related topics
done <topics.txt
step "$list_keys-$k_a" "topic:$t_a"
step 9 topic:who-can-help # after an answer
step "$list_keys-${k_b%%-*}" prompt:menu-item
step 9 topic:who-can-help # in a sub-menu
step "$list_keys-$k_a" "topic:$t_a"
step "$list_keys-$k_b" "topic:$t_b"
step "*" "topic:$t_b"
step 0 prompt:help
step 9 topic:who-can-help # in the help menu
step "$list_keys-$k_b" "topic:$t_b"
step 0-2 prompt:slower
step 0-3 prompt:faster
step 0-4 prompt:louder
step 0-5 prompt:quieter
step 0-6 prompt:menu-item # back: the menu B was chosen in, not B again (help is no step)
step 0-7 prompt:stopped
step 0-1 prompt:menu-intro
step 0-8 prompt:goodbye reset
clock=$((clock + 8))
step "*" prompt:greeting # the next person
converse keys "$schedule" --keys-only --turns "silence:$((clock + 5))"
python3 - keys.jsonl plan.txt topics.json <<'EOF' || fail "keys: see above"
import json, sys
turns = [json.loads(line) for line in open(sys.argv[1])]
plan = [line.split() for line in open(sys.argv[2])]
topics = [t["id"] for t in json.load(open(sys.argv[3]))]
presses = [t for t in turns if t["event"] == "key"]
keys = [k for p in plan for k in p[0].split("-")]
if [t["key"] for t in presses] != keys:
    sys.exit("FAIL: keys logged %s, pressed %s" % ([t["key"] for t in presses], keys))
wrong = []
i = 0
answered, more, see_also = set(), 0, 0
for p in plan:
    i += len(p[0].split("-"))
    t = presses[i - 1]
    first = t["said"][0] if t["said"] else "(nothing)"
    if first not in p[1].split("|"):
        wrong.append("keys %s: said %s, want %s" % (p[0], first, p[1]))
    if p[2:] == ["reset"] and not t["reset"]:
        wrong.append("keys %s: no reset after it" % p[0])
    answered |= {s[6:] for s in t["said"] if s.startswith("topic:")}
    more += first.startswith("more:")
    see_also += p[0] == "#" and "prompt:see-also" in t["said"]
if set(topics) - answered:
    wrong.append("topics never answered: %s" % sorted(set(topics) - answered))
if not more or not see_also:
    wrong.append("# never said the rest of an answer (%d) or offered related topics (%d)"
                 % (more, see_also))
print("keys: %d presses, %d topics answered, %d answers went on with #, %d offered related topics"
      % (len(presses), len(answered), more, see_also))
for w in wrong:
    print("FAIL:", w)
sys.exit(1 if wrong else 0)
EOF

# 2 and 3. Yes and no: the first of a few unsure questions that the station asks back about
# (a recogniser change may answer one outright); 1, 2 or 9 is pressed a second into the question.
asked=
for q in "fault" "insecure" "tell me about attachment"; do
	speech unsure "$q"
	converse find "" --turns unsure.wav --max-seconds 30
	line=$(grep '"event":"speech".*"decision":"confirm"' find.jsonl | head -n 1)
	if [ -n "$line" ]; then
		asked=$(echo "$line" | sed -n 's/.*"intent":"\([^"]*\)".*/\1/p')
		at=$(echo "$line" | sed -n 's/.*"endpoint_s":\([0-9.]*\).*/\1/p')
		echo "asked back about '$q' ($asked) at $at s"
		break
	fi
done
if [ -z "$asked" ]; then
	fail "none of the unsure questions was asked back: $(cat find.jsonl)"
else
	at=$(awk -v t="$at" 'BEGIN { print t + 1 }')
	for k in 1 2 9; do
		converse "answer$k" "$at:$k" --turns unsure.wav --max-seconds 30
		grep -q '"decision":"confirm".*"said":\["prompt:confirm"' "answer$k.jsonl" ||
			fail "key $k: the question was not being asked: $(cat "answer$k.jsonl")"
	done
	[ "$(said answer1 1)" = "topic:$asked" ] ||
		fail "yes (1): said $(said answer1 1), want topic:$asked"
	[ "$(said answer2 2)" = prompt:confirm-no ] ||
		fail "no (2): said $(said answer2 2), want prompt:confirm-no"
	[ "$(said answer9 9)" = topic:who-can-help ] ||
		fail "9 at a yes-or-no question: said $(said answer9 9), want topic:who-can-help"
fi

# 4. Louder and quieter, measured: the answer on 9 at the default level, and after one step by
# key (0 then 4 or 5) or by voice; each run ends 4 s into that answer, so the WAV's last 3.5 s
# are the same words in every run.
rms() { sox "$1.wav" -n trim -3.5 stat 2>&1 | awk '/^RMS +amplitude/ { print $3 }'; }
converse level "1:9" --keys-only --turns silence:30 --max-seconds 5
base=$(rms level)
if [ "$(said level 9)" != topic:who-can-help ] || [ -z "$base" ]; then
	fail "level: 9 not answered"
	base=1
fi
converse key-louder "1:0,2:4,3:9" --keys-only --turns silence:30 --max-seconds 7
converse key-quieter "1:0,2:5,3:9" --keys-only --turns silence:30 --max-seconds 7
# By voice, twice: first to find when the reply starts, then 9 half a second into it.
speech louder "louder"
speech softer "softer"
for w in louder:louder softer:quieter; do
	control=${w#*:} w=${w%:*}
	converse "find-$w" "" --turns "$w.wav" --max-seconds 30
	at=$(grep "\"event\":\"speech\".*\"said\":\[\"prompt:$control\"" "find-$w.jsonl" |
		sed -n 's/.*"endpoint_s":\([0-9.]*\).*/\1/p')
	[ -n "$at" ] || { fail "voice $w: not acted on: $(cat "find-$w.jsonl")"; continue; }
	converse "voice-$w" "$(awk -v t="$at" 'BEGIN { print t + 0.5 }'):9" --turns "$w.wav" \
		--max-seconds "$(awk -v t="$at" 'BEGIN { print t + 4.5 }')"
done
for run in key-louder key-quieter voice-louder voice-softer; do
	[ "$(said "$run" 9)" = topic:who-can-help ] || { fail "$run: 9 not answered"; continue; }
	db=$(awk -v a="$(rms "$run")" -v b="$base" 'BEGIN { printf "%.2f", 20 * log(a / b) / log(10) }')
	echo "$run: RMS $(rms "$run") against $base at the default level: $db dB"
	case $run in
	*louder) want="1.5 4.5" ;;
	*) want="-4.5 -1.5" ;;
	esac
	awk -v d="$db" -v w="$want" 'BEGIN { split(w, r, " "); exit !(d > r[1] && d < r[2]) }' ||
		fail "$run: $db dB, want between ${want% *} and ${want#* } (3 dB a step)"
done

[ $fails -eq 0 ] || { echo "$fails failures"; exit 1; }
echo "station keypad: all passed"
