#!/bin/sh
# Numbers are read as the language's code says, not as its voice's name suggests (issue 20's
# review): a school's scripts whose main language is English (language: en) with the voice
# gmw/en-GB-x-rp, and a Welsh folder (language: cy) that borrows the English voice en.
# `talkleaf say --phonemes` prints the text given to eSpeak NG: a phone number in English words
# for the first, digits for the second; `say --voice` with no language still goes by the voice.
# usage: test_numbers_language.sh TALKLEAF SCRIPTS (a folder of scripts to copy)
set -u
exe=$1 scripts=$2
. "$(cd "$(dirname "$0")" && pwd)/station_lib.sh"
work_in numbers-language

cp -R "$scripts" s && mkdir -p s/cy || exit 1
printf 'language: en\nname: English\nvoice: gmw/en-GB-x-rp\n' > s/language.txt
printf 'language: cy\nname: Cymraeg\nvoice: en\nrecognition: none\n' > s/cy/language.txt
english="Call oh eight oh oh, one two three, four five six. That number again: oh eight oh oh,"
digits="0 8 0 0, 1 2 3, 4 5 6. 0 8 0 0, 1 2 3, 4 5 6."
# expect WANT ARGS...: the first line `talkleaf --scripts s say ARGS --phonemes` prints starts
# with WANT.
expect() {
	want=$1
	shift
	got=$("$exe" --scripts s say "$@" --phonemes 2>err.txt | head -1)
	case $got in
	"$want"*) ;;
	*) fail "say $*: \"$got\", wanted \"$want...\" $(cat err.txt)" ;;
	esac
}
expect "$english" --text "Call 0800 123 456."
expect "Ffoniwch $digits" --language cy --text "Ffoniwch 0800 123 456."
expect "Call $digits" --voice pl --text "Call 0800 123 456."
expect "$english" --voice en+m3 --text "Call 0800 123 456."
[ "$fails" -eq 0 ] || exit 1
echo "numbers by language: all good"
