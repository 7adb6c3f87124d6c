#!/bin/sh
# Text from Word and Windows (issue 18): `talkleaf check` and `say --phonemes` over a --scripts
# folder written as a school would write it.
#  - curly quotes, dashes, ellipsis and non-breaking spaces read as the plain ones: no unknown
#    word, and the same phonemes as the plain text;
#  - a Windows-1252 byte (0x92) or a Latin-1 byte (0xE9) is an error naming file, line, column
#    and the character it probably was; an overlong sequence too; a byte-order mark is fine;
#  - a lexicon/ folder inside the scripts folder is read after the built-in lexicon (its words
#    win), and check's "add it to the lexicon" advice names that folder's file.
# usage: test_authoring.sh TALKLEAF
set -u
exe=$1
. "$(cd "$(dirname "$0")" && pwd)/station_lib.sh"
work_in authoring
# expect NAME PATTERN FILE: FILE contains the fixed string PATTERN.
expect() {
	grep -qF -- "$2" "$3" || fail "$1: no '$2' in: $(cat "$3")"
}

# A topic as Word writes it: ’ (U+2019), – (U+2013), … (U+2026), a non-breaking space (U+00A0),
# “ ” (U+201C/D); and the same topic typed plainly.
mkdir curly plain
printf 'topic: worry\nkey: 1\ntitle: Don\342\200\231t worry\nask: don\342\200\231t worry\nask: is it my fault\nsay: Don\342\200\231t worry \342\200\223 it\342\200\231s\302\240fine\342\200\246\nsay: You said \342\200\234sorry\342\200\235.\n' \
	> curly/worry.txt
printf "topic: worry\nkey: 1\ntitle: Don't worry\nask: don't worry\nask: is it my fault\nsay: Don't worry - it's fine...\nsay: You said \"sorry\".\n" \
	> plain/worry.txt
# Each folder fills key 9, "who can help me" (docs/keypad.md), as a school would: check warns on
# a folder without it.
who='topic: who-can-help\nkey: 9\ntitle: Who can help\nask: who can help me\nsay: '
printf "$who%b\n" 'Ask at the school\342\200\231s desk \342\200\223 they\342\200\231ll help.' \
	> curly/who.txt
printf "$who%s\n" "Ask at the school's desk - they'll help." > plain/who.txt
"$exe" --scripts curly check >curly.out 2>curly.err
st=$?
[ $st -eq 0 ] || fail "curly: check exits $st: $(cat curly.err)"
expect curly "0 unknown words" curly.out
expect curly "0 errors, 0 warnings" curly.out
"$exe" --scripts curly say --phonemes worry >curly.ph 2>&1 || fail "curly: say --phonemes failed"
"$exe" --scripts plain say --phonemes worry >plain.ph 2>&1 || fail "plain: say --phonemes failed"
cmp -s curly.ph plain.ph || fail "curly: spoken unlike the plain text: $(cat curly.ph) / $(cat plain.ph)"
grep -q "d'0n t'i:" curly.ph && fail "curly: spoken as 'don tee': $(cat curly.ph)"
"$exe" --scripts curly say --phonemes who-can-help >curly-who.ph 2>&1
"$exe" --scripts plain say --phonemes who-can-help >plain-who.ph 2>&1
cmp -s curly-who.ph plain-who.ph ||
	fail "curly: who-can-help spoken unlike the plain text: $(cat curly-who.ph) / $(cat plain-who.ph)"
# Text pasted on the command line is read as the scripts' text is.
"$exe" say --phonemes --text "Don’t worry – it’s fine…" >text-curly.ph 2>&1
"$exe" say --phonemes --text "Don't worry - it's fine..." >text-plain.ph 2>&1
cmp -s text-curly.ph text-plain.ph ||
	fail "say --text: curly text spoken unlike plain: $(cat text-curly.ph) / $(cat text-plain.ph)"

# not_utf8 NAME CONTENT MESSAGE: a topic file NAME/t.txt holding CONTENT (printf format) fails
# check with exactly one error, MESSAGE (after "NAME/t.txt:").
not_utf8() {
	mkdir "$1"
	# shellcheck disable=SC2059
	printf "$2" > "$1/t.txt"
	"$exe" --scripts "$1" check >"$1.out" 2>"$1.err"
	st=$?
	[ $st -eq 1 ] || fail "$1: check exits $st, not 1"
	expect "$1" "$1/t.txt:$3" "$1.err"
	[ "$(grep -c error: "$1.err")" -eq 1 ] || fail "$1: not exactly one error: $(cat "$1.err")"
}
# A file saved as Windows-1252: 0x92 is its ’.
not_utf8 cp1252 'topic: worry\nkey: 1\ntitle: Worry\nask: worry\nsay: Don\222t worry.\n' \
	"5: error: byte 0x92 at column 9 is not UTF-8; in Windows-1252 it is $(printf '\342\200\231') (save the file as UTF-8"
# A file saved as Latin-1: 0xE9 is its é.
not_utf8 latin1 'topic: cafe\nkey: 1\ntitle: The caf\351\nask: the cafe\nsay: Meet in the cafe.\n' \
	"3: error: byte 0xE9 at column 15 is not UTF-8; in Latin-1 and Windows-1252 it is $(printf '\303\251')"
# An overlong sequence (0xC0 0xA7 would be an apostrophe) is no character at all; a BOM is fine.
not_utf8 overlong '\357\273\277topic: worry\nkey: 1\ntitle: Worry\nask: worry\nsay: Don\300\247t worry.\n' \
	"5: error: bytes 0xC0 0xA7 at column 9 are not UTF-8"

# A school's own pronunciations: SCRIPTS/lexicon/*.txt, read after the built-in lexicon; check's
# advice for a word nobody knows names that file, before and after it exists.
mkdir -p school
printf 'topic: nurture\nkey: 1\ntitle: Nurture\nask: tell me about nurture group\nask: the zorblat hub\nsay: Our nurture group meets daily.\n' \
	> school/nurture.txt
"$exe" --scripts school say --phonemes --text "nurture" >before.ph 2>&1
"$exe" --scripts school check >advice.out 2>advice.err
expect advice "'zorblat' (add it to school/lexicon/words.txt with a hear: line)" advice.err
mkdir school/lexicon
printf 'word: nurture\nhear: N ER CH ER\nspeak: n\047u:ti:\n' > school/lexicon/words.txt
"$exe" --scripts school say --phonemes --text "nurture" >after.ph 2>&1
cmp -s before.ph after.ph && fail "school lexicon: the phonemes did not change: $(cat after.ph)"
expect "school lexicon" "n'u:ti:" after.ph
"$exe" --scripts school check >school.out 2>school.err
st=$?
[ $st -eq 0 ] || fail "school lexicon: check exits $st: $(cat school.err)"
expect "school advice" "'zorblat' (add it to school/lexicon/words.txt with a hear: line)" school.err
printf 'word: zorblat\nhear: Z AO R B L AE T\n' >> school/lexicon/words.txt
"$exe" --scripts school check >school2.out 2>school2.err
expect "school lexicon hear" "0 unknown words" school2.out
# ... and a Windows-1252 byte there is an error too.
printf 'word: caf\351\nsounds-like: caffay\n' > school/lexicon/places.txt
"$exe" --scripts school check >lexbad.out 2>lexbad.err
st=$?
[ $st -eq 1 ] || fail "school lexicon 0xE9: check exits $st, not 1"
expect "school lexicon 0xE9" "school/lexicon/places.txt:1: error: byte 0xE9 at column 10 is not UTF-8" lexbad.err

if [ $fails -ne 0 ]; then
	echo "$fails failures"
	exit 1
fi
echo "authoring: all passed"
