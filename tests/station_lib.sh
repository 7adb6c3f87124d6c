# Shell helpers of the station's content tests (sourced): fail() counts a failure in $fails, and
# topic FILE ID KEY WORD appends a one-line topic, asked as "tell me about WORD".
fails=0
fail() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}
topic() {
	printf 'topic: %s\nkey: %s\ntitle: %s\nask: tell me about %s\nsay: %s says this.\n\n' \
		"$2" "$3" "$4" "$4" "$4" >> "$1"
}
