#!/bin/sh
# Real people's coffee orders (tests/data/real-speech/coffee, the reporting part of its fixed
# split) heard by `talkleaf ask --json` against their content (tests/data/scripts-drinks): no
# order may be answered outright with a drink other than the one it asks for (issue 19). A
# confirmation ("did you ask about a mocha?") or a rejection is not wrong here: the benchmark
# counts those (meson test --benchmark recognition). Two halves run side by side (~0.5 s an order).
# usage: test_real_speech.sh TALKLEAF SOURCE_DIR
set -u
exe=$1
src=$2
data=$src/tests/data/real-speech/coffee
scripts=$src/tests/data/scripts-drinks
tmp=$(mktemp -d "${TMPDIR:-/tmp}/talkleaf-real-speech.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

grep -v '^#' "$data/report.txt" >"$tmp/report" || exit 1
n=$(wc -l <"$tmp/report")
[ "$n" -ge 100 ] || { echo "FAIL: $data/report.txt lists $n orders, not at least 100"; exit 1; }
half=$(((n + 1) / 2))
head -n "$half" "$tmp/report" >"$tmp/a"
tail -n "+$((half + 1))" "$tmp/report" >"$tmp/b"
for part in a b; do
	(cd "$data" && cut -f1 "$tmp/$part" | xargs "$exe" --scripts "$scripts" ask --json \
		>"$tmp/$part.jsonl" 2>"$tmp/$part.err"; echo $? >"$tmp/$part.rc") &
done
wait
for part in a b; do
	[ "$(cat "$tmp/$part.rc")" = 0 ] || { echo "FAIL: ask failed:"; cat "$tmp/$part.err"; exit 1; }
done

# ask --json gives the choice's other topic, the noisy-room flag and the one-entry rule too.
missing=$(cat "$tmp/a.jsonl" "$tmp/b.jsonl" |
	jq -r 'select((has("second_topic_id") and has("noisy") and has("sole_phrasing")) | not) | .file')
[ -z "$missing" ] || { echo "FAIL: ask --json lacks second_topic_id, noisy or sole_phrasing:"; echo "$missing"; exit 1; }

# file, drink asked for, then what ask decided, side by side; every order must have its line.
cat "$tmp/a.jsonl" "$tmp/b.jsonl" |
	jq -r '[.file, (.intent // "none"), .decision, .confidence, .heard] | @tsv' >"$tmp/heard"
awk -F'\t' -v n="$n" -v floor=82 '
	NR == FNR { label[$1] = $2; next }
	{
		seen++
		count[$3]++
		if ($3 == "answer" && $2 != label[$1]) {
			printf "WRONG: %s asks for %s; answered %s (confidence %s), heard \"%s\"\n",
				$1, label[$1], $2, $4, $5
			wrong++
		}
	}
	END {
		printf "%d orders: %d answered, %d confirmed, %d rejected; %d answered wrongly\n",
			seen, count["answer"], count["confirm"], count["reject"], wrong
		if (seen != n) {
			printf "FAIL: %d results for %d orders\n", seen, n
			exit 1
		}
		# An order both searches heard as sentences of one drink only (the same sentence,
		# or a word apart: "an" / "a") is answered (issue 19 item 2): 9 of 100 were before
		# that rule, 63 with the very same sentence only,
		# 82 now (of 100; the benchmark, which decodes each file as it is
		# rather than as a turn the endpointer cut, 85).
		if (count["answer"] < floor) {
			printf "FAIL: only %d of %d orders answered outright (at least %d expected)\n",
				count["answer"], seen, floor
			exit 1
		}
		exit wrong > 0
	}' "$tmp/report" "$tmp/heard"
