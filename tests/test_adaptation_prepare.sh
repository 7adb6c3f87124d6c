#!/bin/sh
# adaptation-prepare (voice/hearing/adaptation/estimate/) names what it cannot use and stops
# before the work: a transcript line without a tab, a word without a pronunciation, a recording
# without words, a missing transcripts file, recording or acoustic model; a bad option exits 2.
# usage: test_adaptation_prepare.sh ADAPTATION_PREPARE (TALKLEAF_SOURCE_DIR in the environment)
set -u
exe=$1
coffee=${TALKLEAF_SOURCE_DIR:?}/tests/data/real-speech/coffee
work=$(mktemp -d "${TMPDIR:-/tmp}/adaptation-prepare-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
fails=0
# expect STATUS MESSAGE ARGS...: the run exits STATUS and its stderr holds MESSAGE.
expect() {
	want_status=$1
	want=$2
	shift 2
	"$exe" "$@" >"$work/out" 2>"$work/err"
	status=$?
	if [ $status -ne "$want_status" ] || ! grep -qF -- "$want" "$work/err"; then
		echo "FAIL: $* exited $status (expected $want_status) with:"
		cat "$work/err"
		echo "expected a line with: $want"
		fails=$((fails + 1))
	fi
}

first=$(grep -v '^#' "$coffee/tune.txt" | head -1 | cut -f1)
printf '%s\ticed-mocha\n' "$first" >"$work/one.txt"
printf '# words\n%s\tcan i get a mocha\n' "$first" >"$work/words.txt"

printf '# words\nno tab on this line\n' >"$work/bad.txt"
expect 1 "$work/bad.txt:2: error: expected a recording's file, a tab and its words" \
	--list "$work/one.txt" --recordings "$coffee" "$work/bad.txt" "$work/out1"
expect 1 "$work/missing.txt: cannot open the transcripts" \
	--list "$work/one.txt" --recordings "$coffee" "$work/missing.txt" "$work/out2"
printf 'other.flac\tsome words\n' >"$work/other.txt"
expect 1 "$work/other.txt: error: no words for $first (listed in $work/one.txt)" \
	--list "$work/one.txt" --recordings "$coffee" "$work/other.txt" "$work/out3"
printf '# words\n%s\tcan i get a zzyzxqv\n' "$first" >"$work/unknown.txt"
expect 1 "$work/unknown.txt:2: error: \"zzyzxqv\" has no pronunciation in the dictionary" \
	--list "$work/one.txt" --recordings "$coffee" "$work/unknown.txt" "$work/out4"
expect 1 "$work/nowhere/$first" \
	--list "$work/one.txt" --recordings "$work/nowhere" "$work/words.txt" "$work/out5"
expect 1 "$work/model/means: the acoustic model is missing" --model "$work/model" \
	--list "$work/one.txt" --recordings "$coffee" "$work/words.txt" "$work/out6"
expect 2 "unknown option --colour" --colour "$work/words.txt" "$work/out7"

[ $fails -eq 0 ] || exit 1
echo "adaptation-prepare: every bad input named"
