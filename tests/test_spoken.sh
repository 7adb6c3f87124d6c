#!/bin/sh
# Numbers as people say them (issue 21): `talkleaf check --spoken` prints each say:/more: and
# prompt line that the text preparation changes, as eSpeak NG will get it, with its file and
# line; a line whose numbers are left as written ("4 out of 10") is not printed. Stops at the
# first failure.
# usage: test_spoken.sh TALKLEAF SCRIPTS_DIR
set -u
work=$(mktemp -d "${TMPDIR:-/tmp}/talkleaf-spoken-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
cp -r "$2" "$work/copy" && cd "$work" || exit 1

# A copy of the scripts with a helpline in a topic and opening hours in the greeting.
python3 - <<'PY'
p = "copy/who-can-help.txt"
t = open(p).read()
i = t.index("\nsay:") + 1
t = t[:i] + "say: Call 0800 123 456, open 9am to 5.30pm from 3rd May.\n" + t[i:]
open(p, "w").write(t)
p = "copy/prompts.txt"
t = open(p).read()
t = t.replace("prompt: greeting\n", "prompt: greeting\nsay: We are open 09:00-17:00.\n", 1)
open(p, "w").write(t)
PY
line() { grep -n "^say: $2" "copy/$1" | cut -d: -f1; }
topic=$(line who-can-help.txt 'Call 0800')
prompt=$(line prompts.txt 'We are open')
count=$(line how-common.txt 'About 4 out of 10')

"$1" --scripts copy check --spoken >out.txt 2>err.txt
status=$?
cat out.txt err.txt
[ $status -eq 0 ] || { echo "FAIL: check --spoken exited $status"; exit 1; }
for want in "copy/who-can-help.txt:$topic: Call oh eight oh oh, one two three, four five six, open nine a.m. to five thirty p.m. from the third of May. That number again: oh eight oh oh, one two three, four five six." \
	    "copy/prompts.txt:$prompt: We are open nine a.m. to five p.m."; do
	grep -qxF "$want" out.txt || { echo "FAIL: no line: $want"; exit 1; }
done
if grep -qF "how-common.txt:$count:" out.txt; then
	echo "FAIL: how-common.txt:$count (4 out of 10) printed though it is read as written"
	exit 1
fi
echo "spoken: all passed"
