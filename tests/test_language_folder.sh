#!/bin/sh
# A language a school adds with no code change (issue 20): the built-in scripts copied to a
# folder, plus cy/ with a language.txt (voice cy, keypad only), two topics in Welsh and three
# prompts (the rest fall back to the built-in English, which check names as missing).
#  1. `talkleaf --scripts TMP check` names a prompt, a control and a topic Welsh lacks, with
#     file and line, and the English prompts Welsh falls back to that ask to speak as errors;
#  2. `converse --language cy --keys-only` greets in Welsh and reaches both topics by key; they
#     are spoken with the voice language.txt names (the same run with voice en sounds different,
#     and a second cy run is the same to the sample);
#  3. without --language the choice offers TMP's languages only, in their order (main, then by
#     code: English, Cymraeg, Polski); the digit said for Cymraeg gives Welsh, the next Polish.
# usage: test_language_folder.sh TALKLEAF SCRIPTS
set -u
exe=$1 scripts=$2
. "$(cd "$(dirname "$0")" && pwd)/station_lib.sh"
work_in language-folder

cp -R "$scripts" TMP && mkdir -p TMP/cy || exit 1
cat >TMP/cy/language.txt <<'EOF'
language: cy
name: Cymraeg
voice: cy
recognition: none
EOF
cat >TMP/cy/ymlyniad.txt <<'EOF'
topic: ymlyniad
key: 1
title: ymlyniad
say: Mae ymlyniad yn disgrifio sut mae plentyn yn perthyn i'r person sy'n gofalu amdano fwyaf.
EOF
cat >TMP/cy/dim-rhiant-perffaith.txt <<'EOF'
topic: dim-rhiant-perffaith
key: 2
title: does dim rhiant perffaith
say: Does dim rhieni perffaith, ac rydyn ni i gyd yn gwneud camgymeriadau weithiau.
EOF
cat >TMP/cy/prompts.txt <<'EOF'
prompt: language-choice
say: Yn Gymraeg, pwyswch {key}.

prompt: greeting
say: Croeso. Am y pynciau, pwyswch {key:more}.

prompt: menu-item
say: {title}, pwyswch {key}.
EOF

# 1. check: what Welsh lacks, by name, file and line.
"$exe" --scripts TMP check >check.out 2>&1 && fail "check passed a Welsh folder of English prompts"
for want in "prompts.txt:[0-9]*: warning: prompt 'help' is missing in Cymraeg" \
	"controls.txt:[0-9]*: warning: control 'repeat' is missing in Cymraeg" \
	"TMP/camhs.txt:[0-9]*: warning: topic 'camhs' is missing in Cymraeg" \
	"prompts.txt:[0-9]*: error: prompt 'not-sure' asks the parent to speak"; do
	grep -q "$want" check.out || fail "check does not say \"$want\": $(cat check.out)"
done
grep -q "check pl (Polski): 13 topics; 0 missing" check.out ||
	fail "check: the copied Polish is not complete: $(grep 'check pl' check.out)"

# said NAME: each turn of NAME.jsonl as "event key language said..." lines.
said() {
	python3 -c '
import json, sys
for line in open(sys.argv[1]):
    t = json.loads(line)
    print(t["event"], t["key"] or "-", t.get("language") or "-", " ".join(t["said"]))
' "$1.jsonl"
}
# converse NAME KEYS [OPTIONS]: keys only, the log in NAME.jsonl, what was said in NAME.wav.
converse() {
	name=$1 keys=$2
	shift 2
	"$exe" --scripts TMP converse --keys-only --keys "$keys" --log "$name.jsonl" \
		--out "$name.wav" "$@" 2>"$name.err" ||
		fail "$name: converse failed: $(cat "$name.err")"
}

# 2. --language cy: both topics by key, in Welsh.
converse welsh "1:1,9:2" --language cy --turns silence:17
said welsh >welsh.txt
cat >want.txt <<'EOF'
start - cy prompt:greeting
key 1 cy topic:ymlyniad prompt:after-answer
key 2 cy topic:dim-rhiant-perffaith prompt:after-answer
EOF
head -n 3 welsh.txt | cmp -s - want.txt || fail "welsh: said $(cat welsh.txt), want $(cat want.txt)"
converse welsh-again "1:1,9:2" --language cy --turns silence:17
cmp -s welsh.wav welsh-again.wav || fail "welsh: two runs of the same keys sound different"
sed -i 's/^voice: cy$/voice: en/' TMP/cy/language.txt
converse welsh-en "1:1,9:2" --language cy --turns silence:17
sed -i 's/^voice: en$/voice: cy/' TMP/cy/language.txt
cmp -s welsh.wav welsh-en.wav && fail "welsh: the same with voice en in language.txt (not cy)"

# 3. The choice: TMP's languages, and the digit of each.
converse choose-cy "1:2,3:2" --turns silence:7
said choose-cy >choose-cy.txt
cat >want.txt <<'EOF'
start - - language-choice:en language-choice:cy language-choice:pl
key 2 cy prompt:greeting
key 2 cy topic:dim-rhiant-perffaith prompt:after-answer
EOF
head -n 3 choose-cy.txt | cmp -s - want.txt ||
	fail "choice: said $(cat choose-cy.txt), want $(cat want.txt)"
converse choose-pl "1:3" --turns silence:4
said choose-pl | sed -n 2p | grep -q '^key 3 pl prompt:greeting$' ||
	fail "choice: 3 did not give Polish: $(said choose-pl)"

[ $fails -eq 0 ] || { echo "$fails failures"; exit 1; }
echo "language folder: all passed"
