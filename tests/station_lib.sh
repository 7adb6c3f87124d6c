# Shell helpers of the station's tests (sourced): fail() counts a failure in $fails; topic FILE ID
# KEY WORD appends a one-line topic, asked as "tell me about WORD"; keys_at and topic_keys turn a
# topic's keys as `talkleaf topics` prints them ("2-3": 2, then 3) into a --keys schedule;
# work_in makes the test's folder and speech its spoken questions.
fails=0
fail() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}
topic() {
	printf 'topic: %s\nkey: %s\ntitle: %s\nask: tell me about %s\nsay: %s says this.\n\n' \
		"$2" "$3" "$4" "$4" "$4" >> "$1"
}
# From anywhere to the list of topics on a phone keypad: help (0), then its 1, "start again"
# (docs/keypad.md). A topic's keys from `talkleaf topics` follow.
list_keys=0-1
# topic_keys TALKLEAF ID: the keys of topic ID from the list of topics ("2-3"), or nothing.
topic_keys() {
	"$1" topics | awk -v id="$2" '$2 == id { print $1 }'
}
# keys_at START STEP KEYS: a --keys schedule pressing KEYS (joined by '-', as "2-3") STEP seconds
# apart from START second: keys_at 18 1 0-1-2-3 prints 18:0,19:1,20:2,21:3.
keys_at() {
	echo "$3" | awk -F- -v t="$1" -v d="$2" '{
		for (i = 1; i <= NF; i++)
			printf "%s%s:%s", (i > 1 ? "," : ""), t + (i - 1) * d, $i
		print ""
	}'
}
# work_in NAME: a new folder for a test's files, removed at exit: the current folder and $TMPDIR,
# with no $STATE_DIRECTORY from outside.
work_in() {
	work=$(mktemp -d "${TMPDIR:-/tmp}/talkleaf-$1-test.XXXXXX") || exit 1
	trap 'rm -rf "$work"' EXIT
	export TMPDIR="$work"
	unset STATE_DIRECTORY
	cd "$work" || exit 1
}
# speech NAME TEXT: NAME.wav, TEXT said by eSpeak NG at 16 kHz with a second of quiet room noise
# after it.
speech() {
	espeak-ng -v en -w "raw-$1.wav" "$2" &&
		sox -q -R "raw-$1.wav" -r 16000 -c 1 -b 16 "clean-$1.wav" pad 0.3 1.0 &&
		sox -q -R -n -r 16000 -c 1 -b 16 "noise-$1.wav" synth "$(soxi -D "clean-$1.wav")" \
			pinknoise vol 0.003 &&
		sox -q -R -m "clean-$1.wav" "noise-$1.wav" "$1.wav" || exit 1
}
