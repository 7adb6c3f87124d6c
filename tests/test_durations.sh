#!/bin/sh
# Short and paced (issue 18): `talkleaf check --durations` times the prompts as a parent hears
# them, composed by a real dialogue driven with keys, at the default rate:
#  - the shipped scripts: the greeting <= 8 s, help before its menu <= 12 s, every page of the
#    main menu, of each sub-menu and of the help menu <= 15 s, and no warning;
#  - a copy of the scripts with a long greeting, or a menu with long titles: a warning naming
#    the file and line to shorten.
# usage: test_durations.sh TALKLEAF SCRIPTS_DIR
set -u
exe=$1
scripts=$2
. "$(cd "$(dirname "$0")" && pwd)/station_lib.sh"
work_in durations

# The figures: "  LABEL   SECONDS s" after the "prompts as heard" heading.
"$exe" check --durations >out.txt 2>err.txt || fail "check --durations failed: $(cat err.txt)"
cat out.txt
python3 - <<'EOF' || fail "figures over their limits"
import re, sys
text = open("out.txt").read()
if "prompts as heard" not in text:
    print("no prompt figures")
    sys.exit(1)
figs = {}
for line in text[text.index("prompts as heard"):].splitlines()[1:]:
    m = re.match(r"  (\S.*?)\s+([0-9.]+) s$", line)
    if m:
        figs[m.group(1)] = float(m.group(2))
ok = True
def limit(label, most):
    global ok
    if label not in figs:
        print("no figure for", label)
        ok = False
    elif not 1.0 < figs[label] <= most:
        print("%s: %.1f s (limit %.0f s)" % (label, figs[label], most))
        ok = False
limit("greeting", 8)
limit("help before its menu", 12)
pages = ["main menu page 1", "menu about-attachment page 1", "menu difficulties page 1",
         "menu help-and-hope page 1", "help menu page 1", "help menu page 2"]
for page in pages:
    limit(page, 15)
for label in figs:
    if "page" in label and label not in pages:
        limit(label, 15)
sys.exit(0 if ok else 1)
EOF
if grep -q "takes .* s to say" err.txt; then fail "warnings on the shipped scripts: $(cat err.txt)"; fi

# A long greeting in a copy: a warning at its say: line.
cp -r "$scripts" long
python3 - <<'EOF'
p = "long/prompts.txt"
t = open(p).read()
t = t.replace("prompt: greeting\n", "prompt: greeting\nsay: Welcome to the listening station "
              "of the school, where you can hear about children, families and attachment.\n", 1)
open(p, "w").write(t)
p = "long/camhs.txt"  # a long title in the menu help-and-hope
t = open(p).read()
t = t.replace("title: CAMHS",
              "title: CAMHS, the child and adolescent mental health services near you", 1)
open(p, "w").write(t)
EOF
line=$(grep -n '^prompt: greeting' long/prompts.txt | cut -d: -f1)
"$exe" --scripts long check --durations >long-out.txt 2>long-err.txt
grep -qF "long/prompts.txt:$((line + 1)): warning: greeting takes" long-err.txt ||
	fail "no warning at long/prompts.txt:$((line + 1)) for the greeting: $(cat long-err.txt)"
line=$(grep -n '^menu: help-and-hope' long/menus.txt | cut -d: -f1)
grep -qF "long/menus.txt:$line: warning: menu help-and-hope page 1 takes" long-err.txt ||
	fail "no warning at long/menus.txt:$line for the long menu: $(cat long-err.txt)"

[ $fails -eq 0 ] || exit 1
echo "durations: all passed"
