#!/bin/sh
# Options before the command (issue 20's review): a family worker may write
# `talkleaf --language en converse ...`, and it must do what `talkleaf converse --language en ...`
# does, for every command; and `talkleaf --language xx` (live) names the installed languages
# before any sound device is opened: with devices that cannot be found, and as a station that
# would otherwise wait for its card.
# usage: test_options_first.sh TALKLEAF
set -u
exe=$1
. "$(cd "$(dirname "$0")" && pwd)/station_lib.sh"
work_in options-first

# 1. The same conversation (keys only, 1 then 9 pressed) with the options after and before it.
run="--keys-only --turns silence:12 --max-seconds 12 --keys 1:1,4:9"
# shellcheck disable=SC2086
"$exe" converse --language en $run --log after.jsonl 2>after.err ||
	fail "converse --language en: $(cat after.err)"
# shellcheck disable=SC2086
"$exe" --language en $run converse --log before.jsonl 2>before.err ||
	fail "--language en ... converse: $(cat before.err)"
python3 - <<'PY' || fail "options before converse: not the same conversation"
import json
def turns(name):
    try:
        return [(t["key"], t["said"], t.get("language"))
                for t in map(json.loads, filter(str.strip, open(name)))]
    except OSError:
        return []
after, before = turns("after.jsonl"), turns("before.jsonl")
assert after and after[0] == (None, ["prompt:greeting"], "en"), after  # no choice: English
assert before == after, "before %s\nafter %s" % (before, after)
PY

# 2. Every command parses the options given before it: --help is its own, an unknown option is
# named as its own, and a value before the command reaches it (say --out).
for c in $("$exe" --help | sed -n '/^commands:/,/^$/s/^  \([a-z]*\) .*/\1/p'); do
	"$exe" --help "$c" 2>&1 | head -1 | grep -q "^usage: talkleaf $c " ||
		fail "--help $c: not $c's help: $("$exe" --help "$c" 2>&1 | head -1)"
	"$exe" --no-such-option "$c" >/dev/null 2>err.txt
	st=$?
	[ $st -eq 2 ] && grep -q "error: $c: unknown option '--no-such-option'" err.txt ||
		fail "--no-such-option $c: status $st, $(cat err.txt)"
done
"$exe" --out said.wav --rate 120 say --text "hello" 2>say.err && [ -s said.wav ] ||
	fail "--out said.wav say: no said.wav ($(cat say.err))"
# A value that names a command, written --name=VALUE before the command, stays a value.
"$exe" --text=check --out=check.wav say 2>check.err && [ -s check.wav ] ||
	fail "--text=check say: $(cat check.err)"

# 3. An unknown language is said first, with the installed codes, whatever the devices.
export PULSE_SERVER=unix:/nonexistent/talkleaf-no-server
for how in "" "--station"; do
	# shellcheck disable=SC2086
	timeout 10 "$exe" --language xx $how --input-device no-such-microphone \
		--output-device no-such-speaker </dev/null >/dev/null 2>live.err
	st=$?
	[ $st -eq 2 ] || fail "--language xx $how: status $st (2 wanted), $(cat live.err)"
	grep -q "no language 'xx' is installed (the languages are: en, pl" live.err ||
		fail "--language xx $how: the languages are not named: $(cat live.err)"
	! grep -qi "device\|microphone" live.err ||
		fail "--language xx $how: a device was tried first: $(cat live.err)"
done
[ "$fails" -eq 0 ] || exit 1
echo "options first: all good"
