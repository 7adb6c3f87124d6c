#!/bin/sh
# The manual page talkleaf(1) renders, and names every command and option the program's help
# lists, each option in its command's part of the page (the page is written by hand, so this is
# what keeps it from drifting); an option the page names must still exist.
# usage: test_man.sh TALKLEAF PAGE (the built talkleaf.1). Skips (77) without man-db or groff.
set -u
exe=$1
page=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/talkleaf-man-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
fails=0
fail() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}

[ -f "$page" ] || { echo "FAIL: no manual page built at $page"; exit 1; }
# Wide and unhyphenated, so that an option's name is never split across two lines.
if command -v man >/dev/null 2>&1 && command -v col >/dev/null 2>&1; then
	LC_ALL=C.UTF-8 MANWIDTH=200 MANROFFOPT=-rHY=0 man -l "$page" 2>"$work/render.err" |
		col -bx >"$work/page"
elif command -v groff >/dev/null 2>&1 && command -v col >/dev/null 2>&1; then
	groff -man -Tutf8 -rHY=0 -rLL=200n "$page" 2>"$work/render.err" | col -bx >"$work/page"
else
	echo "SKIP: neither man nor groff (with col) to render the page"
	exit 77
fi
[ -s "$work/render.err" ] && fail "rendering warned: $(cat "$work/render.err")"
for s in NAME SYNOPSIS DESCRIPTION OPTIONS COMMANDS KEYS SCRIPTS FILES PRIVACY; do
	grep -qx "$s" "$work/page" || fail "the page has no $s section"
done
grep -q '^       talkleaf - ' "$work/page" || fail "NAME does not say 'talkleaf - ...'"

# The lines of one part of the page: a section (START is its heading) or a command's subsection
# ("   talkleaf say ..."), up to the next heading of either kind.
part() {
	awk -v start="$1" '
		found && (/^[A-Z]/ || /^   [^ ]/) { exit }
		found { print }
		index($0, start) == 1 { found = 1 }' "$work/page"
}
# The options a help lists ("  --name ..."), less those every command shares.
options() {
	sed -n 's/^  \(--[a-z][a-z-]*\).*/\1/p' | grep -vx -e --scripts -e --verbose -e --help
}
# named OPTION FILE: FILE names OPTION as a whole word (--log is not --log-words).
named() {
	grep -Eq -- "$1([^a-z-]|\$)" "$2"
}

"$exe" --help >"$work/help" || fail "talkleaf --help exits $?"
commands=$(sed -n '/^commands:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p' "$work/help")
[ -n "$commands" ] || fail "talkleaf --help lists no commands"
part OPTIONS >"$work/part"
checked=0
for o in $(options <"$work/help") --scripts --verbose --help --version; do
	named "$o" "$work/part" || fail "the page's OPTIONS does not name talkleaf's $o"
	checked=$((checked + 1))
done
options <"$work/help" >"$work/all"
for c in $commands; do
	part "   talkleaf $c" >"$work/part"
	[ -s "$work/part" ] || { fail "the page has no part '   talkleaf $c' under COMMANDS"; continue; }
	"$exe" "$c" --help >"$work/help.$c" || fail "talkleaf $c --help exits $?"
	for o in $(options <"$work/help.$c"); do
		named "$o" "$work/part" || fail "the page's talkleaf $c does not name its $o"
		checked=$((checked + 1))
	done
	options <"$work/help.$c" >>"$work/all"
done

# Every option the page names is one of talkleaf's, but for other programs' (espeak-ng --voices,
# systemctl enable --now).
for o in $(grep -o -- '--[a-z][a-z-]*' "$work/page" | sort -u); do
	case $o in --voices | --now | --scripts | --verbose | --help | --version) continue ;; esac
	grep -qx -- "$o" "$work/all" || fail "the page names $o, which no talkleaf help lists"
done
[ "$fails" -eq 0 ] || exit 1
echo "man: the page renders; $(echo $commands | wc -w) commands and $checked options named" \
	"where they belong"
