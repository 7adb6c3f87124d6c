#!/bin/sh
# What talkleaf writes is never what it reads, and a script cannot make it read outside its
# folder (docs/signals.md):
#  - --out, --log and --record-dir never overwrite an input (under any name) or a script, and a
#    run that is killed leaves the user's old file whole;
#  - clip: paths lead only into the script's folder (or the installed scripts'), through no link.
# usage: test_outputs.sh TALKLEAF SCRIPTS (a small scripts folder: tests/data/scripts-min)
set -u
exe=$1
scripts_min=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/talkleaf-outputs-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
export TMPDIR="$work"
cd "$work" || exit 1
fails=0
fail() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}

"$exe" say --out q.wav --text "what are your opening hours" >/dev/null || exit 1
sum=$(cksum < q.wav)
mkdir scripts
cp "$scripts_min"/*.txt scripts/ || exit 1
ln q.wav q-link.wav

# refused NAME COMMAND...: exits 2 with "that is an input", and q.wav is untouched.
refused() {
	name=$1
	shift
	"$@" >"$name.out" 2>&1
	st=$?
	[ $st -eq 2 ] || [ $st -eq 1 ] || fail "$name: exit status $st, not a refusal"
	grep -q "that is an input" "$name.out" || fail "$name: no refusal: $(cat "$name.out")"
	[ "$(cksum < q.wav)" = "$sum" ] || fail "$name: the input q.wav was changed"
}
refused converse-same "$exe" converse --language en --in q.wav --out q.wav
refused converse-link "$exe" converse --language en --in q.wav --out q-link.wav
refused converse-turn "$exe" converse --language en --turns q.wav --out ./q.wav
refused converse-log "$exe" converse --language en --in q.wav --out r.wav --log q.wav
refused converse-log-out "$exe" converse --language en --in q.wav --out r.wav --log r.wav
cp scripts/hello.txt hello.bak
refused say-script "$exe" --scripts scripts say --out scripts/hello.txt --text hi
cmp -s hello.bak scripts/hello.txt || fail "say-script: the script was changed"
mkdir rec
cp q.wav rec/utterance-0001.wav
refused converse-record "$exe" converse --language en --turns rec/utterance-0001.wav --record-dir rec --out r.wav
"$exe" converse --language en --in q.wav --out r.wav --log r.jsonl >/dev/null 2>&1 ||
	fail "converse to other files was refused"

# A run killed while it writes leaves the old reply whole (it writes beside it and renames).
echo "old reply" > reply.wav
turns=""
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do turns="$turns q.wav"; done
"$exe" converse --language en --turns $turns --out reply.wav >/dev/null 2>&1 &
pid=$!
i=0
while [ "$(cat reply.wav)" = "old reply" ] && ! ls -A | grep -q '\.part$' && [ $i -lt 500 ]; do
	sleep 0.01
	i=$((i + 1))
done
sleep 0.3
kill -KILL $pid
wait $pid 2>/dev/null
[ "$(cat reply.wav)" = "old reply" ] || fail "a killed converse left reply.wav half-written"

# clip: paths
mkdir -p clips/sub outside
cp q.wav clips/sub/ok.wav
cp q.wav outside/secret.wav
ln -s "$work/outside/secret.wav" clips/link.wav
ln -s "$work/outside" clips/linkdir
cp scripts/*.txt clips/
topic() { printf 'topic: %s\nkey: %s\ntitle: %s\nask: %s\nclip: %s\n\n' "$1" "$2" "$1" "$3" "$4"; }
{
	topic inside 5 alpha sub/ok.wav
	topic up 6 beta ../../../../../../../../etc/passwd
	topic link 7 gamma link.wav
	topic linkdir 8 delta linkdir/secret.wav
	topic absolute 9 epsilon /etc/passwd
} > clips/clips.txt
"$exe" --scripts clips check > check.out 2>&1
cat check.out | grep clip
for l in 11 17 23 29; do
	grep -q "^clips/clips.txt:$l: error: clip .* is outside the scripts folder" check.out ||
		fail "clips/clips.txt:$l: no error for a clip outside the folder"
done
grep -q "clips.txt:5:" check.out && fail "the clip inside the folder was refused"
"$exe" --scripts clips say up > say.out 2>&1 && fail "say played a clip outside the folder"

[ $fails -eq 0 ] || exit 1
echo "ok"
