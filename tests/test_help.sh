#!/bin/sh
# One help, and messages that say the program's name once (issue 21):
#  - `talkleaf --help` lists the live assistant's options (all that --help-live, its old help,
#    lists) and the commands;
#  - a mistake on the command line exits 2 with one message that names the option, argument or
#    command at fault, and no line says "talkleaf:" twice.
# usage: test_help.sh TALKLEAF
set -u
exe=$1
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
