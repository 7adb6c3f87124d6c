#!/bin/sh
# Device faults during answers, on a private PulseAudio server (pulse-server.sh), for the live
# assistant or the station: the server is killed for 15 s, then frozen (SIGSTOP) for 10 s, each
# while an answer plays. The program must keep running, say on stderr what is wrong, and answer
# the next key within 2 s of the server's return (the figure is printed: from the server's
# return to the first sample of the answer, that is to the word "back" on stderr, polled every
# 20 ms, plus the key turn's compute_ms). Then the server is frozen once more and the program is
# stopped (SIGINT live, SIGTERM station): it must end within 1 s all the same.
# usage: fault.sh TALKLEAF CONF_DIR live|station
# Exit 77 (skip) only when a program it needs is missing; .ci/setup installs them.
set -u
talkleaf=$1
conf_dir=$2
mode=$3
. "$conf_dir/pulse-server.sh"
pulse_require pulseaudio pactl
pulse_setup "fault-$mode" "$conf_dir"
fails=0
fail() {
	echo "FAIL: $*"
	fails=$((fails + 1))
}
ms() { echo $(($(date +%s%N) / 1000000)); }
# A phone keypad's keys (docs/keypad.md): 9, "who can help me", is an answer from anywhere; help
# then its 7 stops what is being said.
answer_key=9
stop_keys=07
stopped='"key":"7","said":\["prompt:stopped"'

flag=""
stop_sig=INT
if [ "$mode" = station ]; then
	flag=--station
	stop_sig=TERM
fi
mkfifo "$D/keys"
"$talkleaf" $flag --language en --log "$D/fault.jsonl" --no-speech-timeout 60 \
	< "$D/keys" > "$D/out" 2> "$D/err" &
prog=$!
pids="$pids $prog"
exec 3> "$D/keys"
trap '' PIPE

# $1: a pattern, $2: how many lines of the log must match it, within $3 seconds. 0 when so.
wait_log() {
	n=0
	while [ "$(cat "$D/fault.jsonl" 2>/dev/null | grep -c "$1")" -lt "$2" ]; do
		kill -0 $prog 2>/dev/null || return 1
		[ $n -lt $(($3 * 10)) ] || return 1
		sleep 0.1
		n=$((n + 1))
	done
}

# $1: how many times stderr must say the devices are back, within 10 s. Prints when, in ms.
wait_back() {
	n=0
	while [ "$(grep -c "sound devices are back" "$D/err")" -lt "$1" ]; do
		kill -0 $prog 2>/dev/null || return 1
		[ $n -lt 500 ] || return 1
		sleep 0.02
		n=$((n + 1))
	done
	ms
}

# $1: what happened ("killed 15 s", "frozen 10 s"), $2: when the server came back (ms), $3: how
# many key-9 turns the log had before. A key pressed at the server's return is answered; it is
# stopped (0, 7) so its turn is logged at once.
check_answer() {
	if ! back=$(wait_back "$4"); then
		fail "$mode, server $1: no word of the devices coming back within 10 s of its return"
		return
	fi
	sleep 1
	printf $stop_keys >&3
	if ! wait_log "\"key\":\"$answer_key\"" $(($3 + 1)) 10; then
		fail "$mode, server $1: key $answer_key not answered after the server came back"
		return
	fi
	compute=$(grep "\"key\":\"$answer_key\"" "$D/fault.jsonl" | tail -n 1 |
		sed -n 's/.*"compute_ms":\([0-9.]*\).*/\1/p')
	ms_to_answer=$(awk -v b="$back" -v t="$2" -v c="${compute:-99999}" \
		'BEGIN { printf "%d", b - t + c }')
	echo "$mode, server $1: first sample of the answer ${ms_to_answer} ms after its return" \
	     "(devices back after $((back - $2)) ms, compute ${compute} ms)"
	[ "$ms_to_answer" -le 2000 ] ||
		fail "$mode, server $1: answered ${ms_to_answer} ms after its return, over 2000"
}

# Start-up: the greeting plays; the stop keys end it.
n=0
while ! pactl list short sink-inputs 2>/dev/null | grep -q .; do
	kill -0 $prog 2>/dev/null || break
	[ $n -lt 600 ] || break
	sleep 0.1
	n=$((n + 1))
done
printf $stop_keys >&3
wait_log "$stopped" 1 10 || fail "$mode: the greeting did not start, or the stop keys went unheard"

# Killed for 15 s during an answer.
printf $answer_key >&3
sleep 1
kill -9 "$(cat "$D/pulse.pid")"
sleep 15
kill -0 $prog 2>/dev/null || fail "$mode: exited while the sound server was gone"
start_pulse || exit 1
t=$(ms)
printf $answer_key >&3
check_answer "killed 15 s" "$t" 1 1

# Frozen for 10 s during an answer.
wait_log "$stopped" 2 10
printf $answer_key >&3
sleep 1
pulse=$(cat "$D/pulse.pid")
kill -STOP "$pulse"
sleep 10
kill -0 $prog 2>/dev/null || fail "$mode: exited while the sound server was frozen"
kill -CONT "$pulse"
t=$(ms)
printf $answer_key >&3
check_answer "frozen 10 s" "$t" 3 2

# Stopped while the server is frozen in the middle of an answer.
wait_log "$stopped" 3 10
printf $answer_key >&3
sleep 1
kill -STOP "$pulse"
sleep 2
t=$(ms)
kill -$stop_sig $prog
while kill -0 $prog 2>/dev/null && [ $(($(ms) - t)) -lt 10000 ]; do sleep 0.02; done
took=$(($(ms) - t))
kill -CONT "$pulse"
if kill -0 $prog 2>/dev/null; then
	fail "$mode: still running 10 s after SIG$stop_sig with the server frozen"
	kill -KILL $prog
fi
wait $prog
rc=$?
exec 3>&-
echo "$mode: SIG$stop_sig with the server frozen: ended in $took ms (exit $rc)"
# Under ThreadSanitizer it took 1040-1190 ms (20-30 ms in the plain and ASan builds; where the
# time goes there was not measured apart): its suite gets 3 times the time, as meson's tsan
# setup gives its timeouts.
limit=1000
[ -n "${TSAN_OPTIONS:-}" ] && limit=3000
[ $took -le $limit ] || fail "$mode: SIG$stop_sig took $took ms with the server frozen, over $limit"
[ $rc -eq 0 ] || fail "$mode: exit $rc after SIG$stop_sig, expected 0"
grep -q "does not answer" "$D/err" || fail "$mode: no word on stderr of the frozen server"
grep -q '"cut_off":\["' "$D/fault.jsonl" || fail "$mode: no answer logged as cut off"
echo "--- $mode: stderr:"
cat "$D/err"
echo "--- log:"
cat "$D/fault.jsonl"
[ $fails -eq 0 ] && echo "fault $mode: all good"
exit $fails
