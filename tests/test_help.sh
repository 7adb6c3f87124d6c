#!/bin/sh
# One help, and messages that say the program's name once (issue 21):
#  - `talkleaf --help` lists the live assistant's options (all that --help-live, its old help,
#    lists) and the commands;
#  - a mistake on the command line exits 2 with one message that names the option, argument or
#    command at fault, and no line says "talkleaf:" twice;
#  - with --man PAGE: the manual page talkleaf(1) renders, and names every command and option the
#    program's help lists, each option in its command's part of the page (the page is written by
#    hand, so this is what keeps it from drifting); an option the page names must still exist.
#    Skips (77) without man-db or groff.
# usage: test_help.sh TALKLEAF [--man PAGE (the built talkleaf.1)]
set -u
exe=$1
page=
[ "${2:-}" = --man ] && page=$3
work=$(mktemp -d "${TMPDIR:-/tmp}/talkleaf-help-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
fails=0
fail() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}

# The options a help lists: its lines "  --name ...".
options() {
	sed -n 's/^  \(--[a-z][a-z-]*\).*/\1/p'
}

# The lines of one part of the rendered page: a section (START is its heading) or a command's
# subsection ("   talkleaf say ..."), up to the next heading of either kind.
part() {
	awk -v start="$1" '
		found && (/^[A-Z]/ || /^   [^ ]/) { exit }
		found { print }
		index($0, start) == 1 { found = 1 }' "$work/page"
}

# The options a help lists, less those every command shares.
own_options() {
	options | grep -vx -e --scripts -e --verbose -e --help
}

# named OPTION FILE: FILE names OPTION as a whole word (--log is not --log-words).
named() {
	grep -Eq -- "$1([^a-z-]|\$)" "$2"
}

# The manual page (--man PAGE).
check_page() {
	[ -f "$page" ] || { echo "FAIL: no manual page built at $page"; return 1; }
	# Wide and unhyphenated, so that an option's name is never split across two lines.
	if command -v man >/dev/null 2>&1 && command -v col >/dev/null 2>&1; then
		LC_ALL=C.UTF-8 MANWIDTH=200 MANROFFOPT=-rHY=0 man -l "$page" 2>"$work/render.err" |
			col -bx >"$work/page"
	elif command -v groff >/dev/null 2>&1 && command -v col >/dev/null 2>&1; then
		groff -man -Tutf8 -rHY=0 -rLL=200n "$page" 2>"$work/render.err" | col -bx >"$work/page"
	else
		echo "SKIP: neither man nor groff (with col) to render the page"
		return 77
	fi
	[ -s "$work/render.err" ] && fail "rendering warned: $(cat "$work/render.err")"
	for s in NAME SYNOPSIS DESCRIPTION OPTIONS COMMANDS KEYS SCRIPTS FILES PRIVACY; do
		grep -qx "$s" "$work/page" || fail "the page has no $s section"
	done
	grep -q '^       talkleaf - ' "$work/page" || fail "NAME does not say 'talkleaf - ...'"

	"$exe" --help >"$work/help" || fail "talkleaf --help exits $?"
	commands=$(sed -n '/^commands:/,/^$/s/^  \([a-z][a-z-]*\) .*/\1/p' "$work/help")
	[ -n "$commands" ] || fail "talkleaf --help lists no commands"
	part OPTIONS >"$work/part"
	checked=0
	for o in $(own_options <"$work/help") --scripts --verbose --help; do
		named "$o" "$work/part" || fail "the page's OPTIONS does not name talkleaf's $o"
		checked=$((checked + 1))
	done
	own_options <"$work/help" >"$work/all"
	for c in $commands; do
		part "   talkleaf $c" >"$work/part"
		[ -s "$work/part" ] || { fail "the page has no part '   talkleaf $c' under COMMANDS"; continue; }
		"$exe" "$c" --help >"$work/help.$c" || fail "talkleaf $c --help exits $?"
		for o in $(own_options <"$work/help.$c"); do
			named "$o" "$work/part" || fail "the page's talkleaf $c does not name its $o"
			checked=$((checked + 1))
		done
		own_options <"$work/help.$c" >>"$work/all"
	done

	# Every option the page names is one of talkleaf's, but for other programs' (espeak-ng --voices,
	# systemctl enable --now).
	for o in $(grep -o -- '--[a-z][a-z-]*' "$work/page" | sort -u); do
		case $o in --voices | --now | --scripts | --verbose | --help | --version) continue ;; esac
		grep -qx -- "$o" "$work/all" || fail "the page names $o, which no talkleaf help lists"
	done
	[ "$fails" -eq 0 ] || return 1
	echo "man: the page renders; $(echo $commands | wc -w) commands and $checked options named" \
		"where they belong"
}


[ -n "$page" ] && { check_page; exit; }

"$exe" --help >"$work/help" 2>"$work/help.err" || fail "talkleaf --help exits $?"
"$exe" --help-live >"$work/live" 2>/dev/null || fail "talkleaf --help-live exits $?"
[ -s "$work/help.err" ] && fail "talkleaf --help wrote to stderr: $(cat "$work/help.err")"
n=0
for o in $(options <"$work/live"); do
	n=$((n + 1))
	options <"$work/help" | grep -qx -- "$o" ||
		fail "talkleaf --help does not list the live assistant's $o"
done
[ "$n" -ge 10 ] || fail "talkleaf --help-live lists $n options, not the live assistant's"
grep -q -- '^  --station ' "$work/help" || fail "talkleaf --help lacks --station"
for c in ask converse say check topics devices counts card; do
	grep -q "^  $c " "$work/help" || fail "talkleaf --help does not list the command $c"
done

# bad WHAT ARGS...: exits 2, nothing on stdout, stderr names WHAT and says "talkleaf:" at most
# once a line.
bad() {
	what=$1
	shift
	"$exe" "$@" >"$work/out" 2>"$work/err"
	st=$?
	[ "$st" -eq 2 ] || fail "talkleaf $* exits $st, not 2"
	[ -s "$work/out" ] && fail "talkleaf $* wrote to stdout: $(cat "$work/out")"
	[ -s "$work/err" ] || fail "talkleaf $* said nothing on stderr"
	grep -q -- "$what" "$work/err" ||
		fail "talkleaf $*: the message does not name $what: $(cat "$work/err")"
	grep -q 'talkleaf:.*talkleaf:' "$work/err" &&
		fail "talkleaf $*: the program named twice: $(cat "$work/err")"
	sed 's/^/    /' "$work/err"
}
bad "'--voice'" --voice x                       # unknown option (the live assistant's)
bad "'-x'" -x                                   # not written --name
bad "'--bogus'" --station --bogus               # unknown option after a good one
bad "'bogus'" bogus                             # unknown command
bad "'--bogus'" topics --bogus                  # a command's unknown option
bad "--log " --log                              # missing argument
bad "--scripts" --scripts                       # the shared option's missing folder
bad "--end-silence-ms" --end-silence-ms 5       # value out of range
bad "--no-speech-timeout" --no-speech-timeout x # not a number
bad "--rate" say --rate abc                     # a command's bad value
bad "--rate" say --text hi --rate               # a command's missing argument
bad "--json" topics --json=1                    # a flag given a value
bad "'extra'" check extra                       # an argument too many
[ "$fails" -eq 0 ] || exit 1
echo "help: the live assistant's $n options in talkleaf --help;" \
	"13 bad command lines, each named once"
