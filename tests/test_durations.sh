#!/bin/sh
# Short and paced (issue 18): `talkleaf check --durations` times the prompts as a parent hears
# them, composed by a real dialogue driven with keys, at the default rate:
#  - the shipped scripts: the greeting <= 8 s, help before its menu <= 12 s, every page of the
#    main menu, of each sub-menu and of the help menu <= 15 s, and no warning;
#  - with English and Polish installed (issue 20), the help menu as heard offers the language
#    control: its page is labelled "(language)", in each language, within 15 s, and longer than
#    the same page with --language (one language fixed: no language item);
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
python3 - <<'EOF' || fail "figures missing or over their limits"
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
         "menu help-and-hope page 1", "help menu page 1"]
for page in pages:
    limit(page, 15)
# The help menu page holding the language item, once per installed language.
for code in ["", "pl "]:
    held = [l for l in figs if l.startswith(code + "help menu page") and l.endswith("(language)")]
    if len(held) != 1:
        print("%shelp menu: %d pages with the language item (want 1)" % (code, len(held)))
        ok = False
    for label in held:
        limit(label, 15)
for label in figs:
    if "page" in label and label not in pages:
        limit(label, 15)
sys.exit(0 if ok else 1)
EOF
if grep -q "takes .* s to say" err.txt; then fail "warnings on the shipped scripts: $(cat err.txt)"; fi

# One language fixed: no language item, so that page is shorter than as a choice hears it.
for code in en pl; do
	"$exe" check --durations --language $code >fixed.txt 2>fixed-err.txt ||
		fail "check --durations --language $code failed: $(cat fixed-err.txt)"
	prefix=$([ $code = en ] || echo "$code ")
	python3 - "$prefix" <<'EOF' || fail "$code: the help menu with a fixed language"
import re, sys
prefix = sys.argv[1]
def pages(path):
    out = {}
    for m in re.finditer(r"^  (%shelp menu page (\d+)(?: \(language\))?)\s+([0-9.]+) s$"
                         % re.escape(prefix), open(path).read(), re.M):
        out[int(m.group(2))] = (m.group(1), float(m.group(3)))
    return out
chosen, fixed = pages("out.txt"), pages("fixed.txt")
held = [p for p, (label, _) in chosen.items() if label.endswith("(language)")]
if not held or any(label.endswith("(language)") for label, _ in fixed.values()):
    print("language item: with the choice on pages", held, "; fixed", sorted(fixed.values()))
    sys.exit(1)
p = held[0]
if p not in fixed or not fixed[p][1] + 1.0 < chosen[p][1]:
    print("page %d: %s with the choice, %s fixed (want longer by more than 1 s)"
          % (p, chosen[p][1], fixed.get(p)))
    sys.exit(1)
print("%shelp menu page %d: %.1f s with the language item, %.1f s without"
      % (prefix, p, chosen[p][1], fixed[p][1]))
EOF
done

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
