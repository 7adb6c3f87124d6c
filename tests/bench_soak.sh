#!/bin/sh
# Soak benchmark (meson benchmark, suite soak): the station loop through `talkleaf converse
# --station`, fed turns of every kind a day at a station brings: questions (eSpeak NG voices),
# noise, silences of several lengths, and keys pressed throughout (a phone keypad's: sub-menus and
# topics, repeat, more, who can help, help and each of its controls, goodbye, keys with nothing on
# them; and a full keyboard's extra keys), most of them cutting the answer short as visitors do.
# Run once for about 100 turns and once for about 10,000, it prints each run's peak RSS (converse
# --stats) and fails when the long run's exceeds the short one's by more than 5 MB: a leak or a
# structure that grows with the turns.
#   bench_soak.sh TALKLEAF [ROUNDS_SHORT ROUNDS_LONG]
set -eu
talkleaf=$1
short=${2:-4}
long=${3:-345}
limit_kb=5120
dir=$(mktemp -d "${TMPDIR:-/tmp}/talkleaf-soak-XXXXXX")
trap 'rm -rf "$dir"' EXIT

# The person's side, generated: three questions in three voices, a command, noise.
i=0
for q in "en:what does attuned mean" "en+f3:is it my fault" "en+m3:say that again" \
	 "en+f2:what will the weather be like tomorrow"; do
	espeak-ng -v "${q%%:*}" -w "$dir/raw$i.wav" "${q#*:}"
	sox -q "$dir/raw$i.wav" -r 16000 -c 1 -b 16 "$dir/q$i.wav"
	i=$((i + 1))
done
sox -q -n -r 16000 -c 1 -b 16 "$dir/noise.wav" synth 0.6 whitenoise vol 0.1
sox -q -n -r 16000 -c 1 -b 16 "$dir/hum.wav" synth 1.5 brownnoise vol 0.05

# One round: twelve turns given when the station listens, and a key every 2.5 s of the
# conversation's clock (its own, simulated), cycling through the keypad (docs/keypad.md).
run() {
	rounds=$1
	turns=""
	r=0
	while [ $r -lt "$rounds" ]; do
		turns="$turns $dir/q$((r % 4)).wav silence:0.5 $dir/noise.wav silence:1 $dir/hum.wav"
		turns="$turns silence:0.3 $dir/noise.wav silence:2 silence:0.2 $dir/noise.wav"
		turns="$turns silence:1 $dir/noise.wav"
		r=$((r + 1))
	done
	keys=$(awk -v n=$((rounds * 24)) 'BEGIN {
		m = split("1 3 * # 9 0 2 3 # 0 4 0 5 0 6 6 0 8 2 2 0 7 . backspace", k, " ")
		for (i = 0; i < n; i++)
			printf "%s%.1f:%s", (i ? "," : ""), 1.0 + 2.5 * i, k[i % m + 1]
	}')
	# shellcheck disable=SC2086 # the turns are separate arguments
	"$talkleaf" converse --language en --station --turns $turns --keys "$keys" --stats --max-seconds 86400 \
		--log "$dir/log.jsonl" >"$dir/stats.json"
	sed -n 's/.*"turns":\([0-9]*\),"utterances":\([0-9]*\).*"max_rss_kb":\([0-9]*\).*/\1 \3 \2/p' \
		"$dir/stats.json"
}

start=$(date +%s)
set -- $(run "$short")
turns_short=$1 rss_short=$2
set -- $(run "$long")
turns_long=$1 rss_long=$2
echo "the long run: $turns_long turns, $3 of them utterances heard by the recogniser"
echo "peak RSS: $rss_short kB at $turns_short turns, $rss_long kB at $turns_long turns" \
     "(growth $((rss_long - rss_short)) kB, at most $limit_kb kB); $(($(date +%s) - start)) s"
[ $((rss_long - rss_short)) -le $limit_kb ]
