#!/bin/sh
# `talkleaf check` per language (issue 20): on copies of the built-in scripts,
#  - the shipped scripts (English and Polish) pass, with no missing or untranslated warnings;
#  - a Polish topic removed and a Polish prompt left as the English one are both named, with
#    the file and line (the English block the topic is missing from; the Polish line);
#  - a keypad-only prompt or control title asking to speak ("powiedz", "say") fails check at its
#    file and line;
#  - a school's Welsh with two topics is checked too: a prompt it takes from English is named;
#  - --durations labels each language's figures with its code, in its own voice.
# usage: test_languages_check.sh TALKLEAF SCRIPTS_DIR
set -u
exe=$1
scripts=$2
. "$(cd "$(dirname "$0")" && pwd)/station_lib.sh"
work_in languages-check

# line FILE PATTERN: the number of FILE's first line matching PATTERN (grep -n).
line() {
	grep -n -m1 -- "$2" "$1" | cut -d: -f1
}
# set_field FILE BLOCK FIELD TEXT: the first FIELD line after the line BLOCK in FILE becomes
# "FIELD TEXT".
set_field() {
	python3 - "$@" <<'EOF'
import sys
p, block, field, text = sys.argv[1:]
t = open(p).read()
i = t.index(block + "\n")
j = t.index(field, i)
k = t.index("\n", j)
open(p, "w").write(t[:j] + field + " " + text + t[k:])
EOF
}
# has FILE TEXT: FILE holds TEXT as a fixed string, else a failure showing FILE.
has() {
	grep -qF -- "$2" "$1" || fail "no line: $2
in $1:
$(cat "$1")"
}

# The shipped scripts: no errors, no warnings, Polish checked against English.
"$exe" check >out.txt 2>err.txt || fail "check fails on the shipped scripts: $(cat err.txt)"
has out.txt "check pl (Polski): 13 topics; 0 missing, 0 untranslated, 0 spelled out, 0 asking to speak"
has out.txt " 0 errors, 0 warnings"

# One Polish topic gone (and the see: lines naming it), one Polish prompt left in English.
cp -r "$scripts" s
rm s/pl/camhs.txt
python3 - <<'EOF'
import glob, re
for p in glob.glob("s/pl/*.txt"):
    t = open(p).read()
    u = re.sub(r"^see: (.*)$", lambda m: "see: " + ", ".join(
        i.strip() for i in m.group(1).split(",") if i.strip() != "camhs"), t, flags=re.M)
    u = re.sub(r"^see: $", "", u, flags=re.M)
    if u != t:
        open(p, "w").write(u)
EOF
set_field s/pl/prompts.txt "prompt: goodbye" say: "Thank you for listening. Goodbye."
"$exe" --scripts "$work/s" check >out.txt 2>err.txt || fail "check fails: $(cat err.txt)"
has err.txt "$work/s/camhs.txt:$(line s/camhs.txt '^topic: camhs'): warning: topic 'camhs' is missing in Polski ($work/s/pl/): translate this block into a file there"
has err.txt "$work/s/pl/prompts.txt:$(line s/pl/prompts.txt '^say: Thank you for listening. Goodbye.'): warning: a say: line of prompt 'goodbye' is the same as the main language's ($work/s/prompts.txt:$(line s/prompts.txt '^say: Thank you for listening. Goodbye.')): translate it into Polski"
has out.txt "check pl (Polski): 12 topics; 1 missing, 1 untranslated, 0 spelled out, 0 asking to speak"

# Keypad only: a prompt asking to speak in Polish, a control title asking in English.
rm -rf s
cp -r "$scripts" s
set_field s/pl/prompts.txt "prompt: goodbye" say: "Powiedz, o co chodzi."
set_field s/pl/controls.txt "control: repeat" title: "say it again"
if "$exe" --scripts "$work/s" check >out.txt 2>err.txt; then
	fail "check passes a keypad-only prompt that asks to speak"
fi
has err.txt "$work/s/pl/prompts.txt:$(line s/pl/prompts.txt '^say: Powiedz, o co chodzi.'): error: prompt 'goodbye' asks the parent to speak ('powiedz'), but Polski is keypad only (no recogniser hears it): say which key to press instead"
has err.txt "$work/s/pl/controls.txt:$(line s/pl/controls.txt '^title: say it again'): error: the title of control 'repeat' asks the parent to speak ('say'), but Polski is keypad only (no recogniser hears it): name what it does instead"

# A voice eSpeak NG does not have: an error at its voice: line.
sed -i 's/^voice: pl$/voice: zz-none/' s/pl/language.txt
"$exe" --scripts "$work/s" check >out.txt 2>err.txt && fail "check passes a language with no voice"
has err.txt "$work/s/pl/language.txt:$(line s/pl/language.txt '^voice: zz-none'): error: eSpeak NG voice zz-none: "

# A school's Welsh, two topics in its own folder: what it takes from English is named.
rm -rf s
cp -r "$scripts" s
rm -r s/pl
mkdir s/cy
printf 'language: cy\nname: Cymraeg\nvoice: cy\nrecognition: none\n' > s/cy/language.txt
printf 'topic: not-your-fault\nkey: 1\ntitle: Nid eich bai chi\nsay: Nid eich bai chi yw e.\n\n' > s/cy/topics.txt
printf 'topic: camhs\nkey: 2\ntitle: Help gan CAMHS\nsay: Mae CAMHS yn helpu plant.\n' >> s/cy/topics.txt
"$exe" --scripts "$work/s" check >out.txt 2>err.txt
has err.txt "$scripts/prompts.txt:$(line "$scripts/prompts.txt" '^prompt: reset'): warning: prompt 'reset' is missing in Cymraeg ($work/s/cy/), so this one is said instead: translate it into a file there"
has err.txt "$work/s/the-dance.txt:$(line s/the-dance.txt '^topic: the-dance'): warning: topic 'the-dance' is missing in Cymraeg ($work/s/cy/): translate this block into a file there"
has out.txt "check cy (Cymraeg): 2 topics;"

# --durations: Polish figures labelled pl, in the pl voice; English as before.
"$exe" check --durations >out.txt 2>err.txt || fail "check --durations fails: $(cat err.txt)"
has out.txt "pl spoken duration at 140 words a minute (answer, more), voice pl:"
has out.txt "pl prompts as heard, at 140 words a minute:"
has out.txt "  pl greeting "
has out.txt "  greeting "
has out.txt "language choice, each language in its own voice:"
grep -q "takes .* s to say" err.txt && fail "durations over their limits: $(cat err.txt)"
# Every Polish answer (say:) within 20 s, the choice within the greeting's 8 s.
awk '/^pl spoken duration/ { on = 1; next } /^[^ ]/ { on = 0 }
     on && $1 == "pl" { n++; if ($3 > 20 || $3 <= 1) bad = bad " " $2 "=" $3 }
     $1 == "language" && $2 == "choice" && NF == 4 && $3 > 8 { bad = bad " choice=" $3 }
     END { if (n < 13 || bad != "") { print n " answers;" bad; exit 1 } }' out.txt ||
	fail "Polish answers over 20 s or missing: $(cat out.txt)"

# --language: one language only; an unknown code lists the installed ones.
"$exe" check --language pl >out.txt 2>err.txt || fail "check --language pl fails: $(cat err.txt)"
has out.txt "check pl (Polski): 13 topics;"
"$exe" check --language xx >out.txt 2>err.txt && fail "check --language xx passes"
has err.txt "no language 'xx' is installed (the installed ones: en, pl)"

[ "$fails" -eq 0 ]
