#!/bin/sh
# Every command ends within a second of SIGTERM, SIGINT or SIGQUIT, whatever step it is in, and
# leaves nothing behind: no private folder in $TMPDIR, no half-written file (docs/signals.md).
# A private folder left by a killed run (SIGKILL) is removed at the next start; a live run's is
# kept. Prints each measured figure.
# usage: test_stop.sh TALKLEAF
set -u
exe=$1
work=$(mktemp -d "${TMPDIR:-/tmp}/talkleaf-stop-test.XXXXXX")
trap 'rm -rf "$work"' EXIT
export TMPDIR="$work/tmp"
mkdir -p "$TMPDIR"
cd "$work" || exit 1
fails=0
fail() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}
# The bound: a second asked, with slack for a loaded machine.
BOUND_MS=2000

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# Slow inputs: a question of almost 30 s (ask decodes it for seconds), a conversation of many
# turns, a long text to speak.
sentence='What are the opening hours of the clinic on Saturday. '
"$exe" say --rate 100 --out long.wav --text "$sentence$sentence$sentence$sentence$sentence" \
	>/dev/null || exit 1
"$exe" say --out q.wav --text "what are your opening hours" >/dev/null || exit 1
turns=""
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do turns="$turns q.wav"; done
text=""
for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
	text="$text$sentence$sentence$sentence$sentence$sentence"
done
echo "old reply" > reply.wav

# stop NAME SIGNAL WAIT_FOR_FOLDER COMMAND...: start the command, send SIGNAL once it has made
# its private folder (or after 0.3 s), and check how fast and how cleanly it ends.
stop() {
	name=$1 sig=$2 wait_folder=$3
	shift 3
	"$@" >"$name.out" 2>"$name.err" &
	pid=$!
	i=0
	if [ "$wait_folder" = yes ]; then
		while [ -z "$(ls "$TMPDIR")" ] && kill -0 $pid 2>/dev/null && [ $i -lt 300 ]; do
			sleep 0.01
			i=$((i + 1))
		done
	else
		sleep 0.3
	fi
	if ! kill -0 $pid 2>/dev/null; then
		wait $pid
		st=$?
		if [ "${early_ok:-no}" = yes ]; then
			echo "$name: ended by itself (status $st) before the signal"
		else
			fail "$name: ended before the signal (status $st): give it a longer input"
		fi
		return
	fi
	t0=$(now_ms)
	kill -"$sig" $pid
	# wait would also wait out a hang: poll, and kill it after 10 s.
	while kill -0 $pid 2>/dev/null && [ $(($(now_ms) - t0)) -lt 10000 ]; do sleep 0.01; done
	ms=$(($(now_ms) - t0))
	kill -KILL $pid 2>/dev/null
	wait $pid
	st=$?
	echo "$name: SIG$sig -> ended in $ms ms, status $st"
	[ $ms -le $BOUND_MS ] || fail "$name: took $ms ms after SIG$sig (more than $BOUND_MS)"
	[ -z "$(ls -A "$TMPDIR")" ] && return
	fail "$name: left in \$TMPDIR: $(ls -A "$TMPDIR")"
	rm -rf "${TMPDIR:?}"/*
}

stop ask-term TERM yes "$exe" ask long.wav
stop ask-int INT yes "$exe" ask long.wav
stop ask-quit QUIT yes "$exe" ask long.wav
stop converse-term TERM yes "$exe" converse --language en --turns $turns --out reply.wav --log reply.jsonl
stop converse-int INT yes "$exe" converse --language en --turns $turns --out reply.wav
# A template of about 1e9 phrasings: the start-up took 9.5 s, deaf to signals, on the starting
# build. Loading may become fast enough to end before the signal: no failure then.
mkdir deep
t='(one|two|three|four|five|six|seven|eight|nine|ten)'
a=$t
for l in 1 2 3 4 5 6 7 8; do a="$t [$a]"; done
printf 'topic: deep\nkey: 5\ntitle: Deep\nask: %s\nsay: Deep.\n' "$a" > deep/deep.txt
early_ok=yes
stop ask-start TERM no "$exe" --scripts deep ask q.wav
early_ok=no
stop say-term TERM no "$exe" say --out reply.wav --text "$text"
stop say-int INT no "$exe" say --out reply.wav --text "$text"
# A stopped say writes nothing: the old file stays, and no hidden part is left beside it.
[ "$(cat reply.wav)" = "old reply" ] || [ "$(head -c 4 reply.wav)" = RIFF ] ||
	fail "reply.wav is neither the old file nor a whole WAV"
ls -A | grep -q '\.part$' && fail "a partial output was left: $(ls -A | grep '\.part$')"

# A folder left by a killed run goes at the next start; a live run's stays, and so does a
# folder whose pid is alive but belongs to another process (the start time differs) only when
# that process is still the owner.
"$exe" ask long.wav >/dev/null 2>&1 &
victim=$!
i=0
while [ -z "$(ls "$TMPDIR")" ] && [ $i -lt 300 ]; do sleep 0.01; i=$((i + 1)); done
kill -KILL $victim
wait $victim 2>/dev/null
killed=$(ls "$TMPDIR")
[ -n "$killed" ] || fail "the killed run made no private folder to test with"
sh -c 'exit 0' &
dead=$!
wait $dead
mkdir "$TMPDIR/talkleaf-recogniser-$dead-12345-abcdef"
touch "$TMPDIR/talkleaf-recogniser-$dead-12345-abcdef/senone-scores"
sleep 30 &
live=$!
live_start=$(cut -d')' -f2 /proc/$live/stat | awk '{ print $20 }')
mkdir "$TMPDIR/talkleaf-recogniser-$live-$live_start-ghijkl"
mkdir "$TMPDIR/talkleaf-recogniser-$live-1-mnopqr" # pid reused: not the owner
mkdir "$TMPDIR/talkleaf-else-$dead-12345-stuvwx"
"$exe" ask q.wav >/dev/null 2>&1 || fail "ask after a killed run failed"
left=$(ls "$TMPDIR" | tr '\n' ' ')
echo "after the next start: $left"
for f in $killed "talkleaf-recogniser-$dead-12345-abcdef" "talkleaf-recogniser-$live-1-mnopqr"; do
	[ -e "$TMPDIR/$f" ] && fail "$f: a killed run's folder was not removed"
done
for f in "talkleaf-recogniser-$live-$live_start-ghijkl" "talkleaf-else-$dead-12345-stuvwx"; do
	[ -e "$TMPDIR/$f" ] || fail "$f: removed, though it was not a dead run's"
done
kill $live

[ $fails -eq 0 ] || exit 1
echo "ok"
