#!/bin/sh
# A station never stops for its content (docs/station.md), through `talkleaf converse --station`
# (keys only, fast): a --scripts folder with a duplicate key is reported with its file and line
# on stderr, and the built-in set serves (a built-in topic key is answered), never an exit; a
# good folder is kept as the last good set in --state-dir, and serves when the folder breaks,
# with its languages: the choice still offers its Polish (pl/, over the built-in scripts/pl).
# usage: test_station_content.sh TALKLEAF
set -u
talkleaf=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
. "$(dirname "$0")/station_lib.sh"
mkdir "$dir/good" "$dir/bad" "$dir/state"
topic "$dir/good/school.txt" school-a 7 apples
topic "$dir/bad/school.txt" school-a 7 apples
topic "$dir/bad/school.txt" school-b 7 pears
mkdir "$dir/good/pl" "$dir/good/pl/lexicon"
printf 'language: pl\nname: Polski\nvoice: pl\nrecognition: none\n' > "$dir/good/pl/language.txt"
# The school's own Polish topic; the built-in Polish prompts name its id (their {key:...}).
printf 'topic: not-your-fault\nkey: 7\ntitle: szkoła\nsay: Szkoła mówi to.\n' \
	> "$dir/good/pl/school.txt"
printf 'word: szkoła\nsounds-like: szkoua\n' > "$dir/good/pl/lexicon/words.txt"
# The built-in set's first topic and its keys ("1-1"), from the shipped scripts.
set -- $("$talkleaf" topics 2>/dev/null | head -n 1)
builtin_keys=${1:-} builtin=${2:-}
[ -n "$builtin" ] || { echo "no built-in topic in talkleaf topics"; exit 1; }

run() { # NAME SCRIPTS KEYS [options]
	name=$1 scripts=$2 keys=$3
	shift 3
	"$talkleaf" --scripts "$scripts" converse --language en --station --keys-only --turns silence:20 \
		--keys "$keys" --log "$dir/$name.jsonl" "$@" 2> "$dir/$name.err"
	rc=$?
	echo "--- $name: exit $rc"
	cat "$dir/$name.err"
	[ $rc -eq 0 ] || fail "$name: exit $rc (a station must serve)"
}

# 1. Broken, nothing kept yet: the built-in set serves; the error names the file and line.
run broken "$dir/bad" "$(keys_at 5 1 "$builtin_keys")"
grep -q "bad/school.txt:8: error: key 7" "$dir/broken.err" ||
	fail "broken: no file:line error on stderr"
grep -q "serving the built-in scripts" "$dir/broken.err" ||
	fail "broken: stderr does not say what serves instead"
grep -q "\"said\":\[\"topic:$builtin\"" "$dir/broken.jsonl" ||
	fail "broken: built-in keys $builtin_keys were not answered with topic $builtin"

# 2. A good folder serves and is kept whole in the state folder.
run good "$dir/good" 5:7 --state-dir "$dir/state"
grep -q '"key":"7","said":\["topic:school-a"' "$dir/good.jsonl" ||
	fail "good: key 7 was not answered"
cmp -s "$dir/good/school.txt" "$dir/state/last-good/scripts/school.txt" ||
	fail "good: not kept as the last good set"
cmp -s "$dir/good/pl/lexicon/words.txt" "$dir/state/last-good/scripts/pl/lexicon/words.txt" ||
	fail "good: the Polish folder and its lexicon were not kept"
[ -z "$(find "$dir/state" -name '.last-good*')" ] || fail "good: a partial copy was left"

# 3. Broken again: the last good set serves (its key 7), with the error on stderr.
run last "$dir/bad" 5:7 --state-dir "$dir/state"
grep -q "bad/school.txt:8: error: key 7" "$dir/last.err" || fail "last: no file:line error"
grep -q "serving the last good scripts" "$dir/last.err" ||
	fail "last: stderr does not say the last good set serves"
grep -q '"key":"7","said":\["topic:school-a"' "$dir/last.jsonl" ||
	fail "last: key 7 of the last good set was not answered"
cmp -s "$dir/good/school.txt" "$dir/state/last-good/scripts/school.txt" ||
	fail "last: the broken folder replaced the last good set"

# 4. Broken, no --language: the last good set still offers the choice, and 2 gives its Polish
# (the school's topic over the built-in Polish prompts, both from the copy).
"$talkleaf" --scripts "$dir/bad" converse --station --keys-only --turns silence:6 \
	--keys 1:2,3:7 --log "$dir/choice.jsonl" --state-dir "$dir/state" 2> "$dir/choice.err" ||
	fail "choice: exit $? (a station must serve): $(cat "$dir/choice.err")"
grep -q "serving the last good scripts" "$dir/choice.err" ||
	fail "choice: the last good set does not serve: $(cat "$dir/choice.err")"
grep -q '"said":\["language-choice:en","language-choice:pl"\]' "$dir/choice.jsonl" ||
	fail "choice: the last good set does not offer Polish: $(head -n 1 "$dir/choice.jsonl")"
grep -q '"key":"7","said":\["topic:not-your-fault".*"language":"pl"' "$dir/choice.jsonl" ||
	fail "choice: key 7 was not answered in Polish: $(cat "$dir/choice.jsonl")"

# 5. Good again: kept again, the old copy (sub-folders and all) exchanged and removed whole.
run again "$dir/good" 5:7 --state-dir "$dir/state"
[ -z "$(find "$dir/state" -name '.last-good*')" ] || fail "again: the old copy was left"
cmp -s "$dir/good/pl/school.txt" "$dir/state/last-good/scripts/pl/school.txt" ||
	fail "again: the Polish folder was not kept"

[ $fails -eq 0 ] && echo "station content: all good"
exit $fails
