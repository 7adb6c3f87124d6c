#!/bin/sh
# "slower" slows what was just said, and "back" from the first topic (issue 21), through
# `talkleaf converse` with keys from a phone keypad, over a scripts folder whose topic's clip: is
# a 440 Hz tone and its more-clip: a 660 Hz one (3 s each, made with sox):
#  1. after # (more), slower (0, then 2) says the more part again: the log's said list is
#     prompt:slower, more:tone;
#  2. a clip said slower (the more-clip there, the clip after 0, 1, 1) lasts 140/120 times as
#     long (the rate step against the default, +-5%) at its own pitch (+-2%): each tone's runs
#     are found in the reply by zero crossings, measured and printed;
#  3. back (0, then 6) from the first topic says the menu it was chosen from, not "There is
#     nothing to go back to".
#  4. `say tone --rate 100 --out` (the preview of the same clip) lasts 140/100 times as long as
#     the clip (+-5%), at its own pitch, as the assistant would play it at that rate.
# usage: test_slower_back.sh TALKLEAF
set -u
exe=$1
. "$(cd "$(dirname "$0")" && pwd)/station_lib.sh"
work_in slower

mkdir s
sox -q -n -r 22050 -c 1 -b 16 s/low.wav synth 3 sine 440 vol 0.5 &&
	sox -q -n -r 22050 -c 1 -b 16 s/high.wav synth 3 sine 660 vol 0.5 || exit 1
printf 'topic: tone\nkey: 1\ntitle: Tones\nask: tell me about tones\nclip: low.wav\n%s\n\n' \
	'more-clip: high.wav' >s/topics.txt
printf 'topic: talk\nkey: 2\ntitle: Talking\nask: tell me about talking\nsay: %s\n' \
	'Talking says this.' >>s/topics.txt

# converse NAME KEYS: keys at KEYS, 15 s apart (every reply is heard out, but help); the log in
# NAME.jsonl, what was said in NAME.wav.
converse() {
	"$exe" --scripts s converse --language en --keys-only --no-speech-timeout 60 --keys "$(keys_at 1 15 "$2")" \
		--turns silence:$(($(echo "$2" | awk -F- '{ print NF }') * 15 + 20)) \
		--log "$1.jsonl" --out "$1.wav" 2>"$1.err" ||
		fail "$1: converse failed: $(cat "$1.err")"
}
converse slower 1-#-0-2-0-1-1
converse back 2-0-6
"$exe" --scripts s say tone --rate 100 --out say.wav 2>say.err >/dev/null ||
	fail "say --rate 100 failed: $(cat say.err)"
[ $fails -eq 0 ] || exit 1

python3 - <<'PY' || fail "see above"
import array, json, sys, wave
from itertools import accumulate

fails = 0
def check(ok, what):
    global fails
    print(("ok: " if ok else "FAIL: ") + what)
    fails += not ok

def turns(name):
    return [json.loads(l) for l in open(name + ".jsonl")]

def tone_runs(path, hz, win_s=0.05, tol=0.04, min_s=0.5):
    """(seconds, Hz by zero crossings) of each steady stretch of a tone near hz, in order."""
    w = wave.open(path)
    rate = w.getframerate()
    a = array.array("h", w.readframes(w.getnframes()))
    zc = [0] + list(accumulate(int(i > 0 and (a[i] >= 0) != (a[i - 1] >= 0))
                               for i in range(len(a))))
    win = int(rate * win_s)
    def loud(i):  # inside the tone, not the silence around it
        return max(abs(x) for x in a[max(i - 10, 0):i + 10]) > 1000
    found, start = [], None
    for i in range(0, len(a) - win + 1, win):
        f = (zc[i + win] - zc[i]) / 2 / win_s
        ok = abs(f - hz) <= tol * hz and loud(i + win // 2)
        if ok and start is None:
            start = i
        if (not ok or i + 2 * win > len(a)) and start is not None:
            end = i + win if ok else i
            if (end - start) / rate >= min_s:
                found.append((start, end))
            start = None
    runs = []
    for lo, hi in found:
        while lo > 0 and loud(lo - 1):
            lo -= 1
        while hi < len(a) and loud(hi):
            hi += 1
        secs = (hi - lo) / rate
        runs.append((secs, (zc[hi] - zc[lo]) / 2 / secs))
    return runs

# 1. The turn of the slower key (the first 2) says the more part again.
said = [t["said"] for t in turns("slower") if t["key"] == "2"]
check(said and said[0][:2] == ["prompt:slower", "more:tone"],
      "after more, slower says %s (want prompt:slower, more:tone)" % (said[0] if said else None))

# 2. Each tone twice: at the default rate, then slower (120 against 140 words a minute).
want = 140 / 120
for hz, what in ((440, "clip"), (660, "more-clip")):
    runs = tone_runs("slower.wav", hz)
    print("%s (%d Hz): runs of %s" % (what, hz,
          ", ".join("%.3f s at %.1f Hz" % r for r in runs)))
    if len(runs) != 2:
        check(False, "%s: %d runs of a steady %d Hz tone (want 2: default, slower)"
              % (what, len(runs), hz))
        continue
    (d0, f0), (d1, f1) = runs
    ratio = d1 / d0
    check(abs(ratio / want - 1) <= 0.05,
          "%s said slower is %.3f times as long (want %.3f +-5%%)" % (what, ratio, want))
    check(abs(f1 / hz - 1) <= 0.02 and abs(f0 / hz - 1) <= 0.02,
          "%s keeps its pitch: %.1f Hz, then %.1f Hz slower (made at %d Hz)" % (what, f0, f1, hz))

# 3. Back from the first topic: the menu it was chosen from (the main menu).
said = [t["said"] for t in turns("back") if t["key"] == "6"]
check(said and said[0][:1] == ["prompt:menu-intro"],
      "back from the first topic says %s (want prompt:menu-intro first)"
      % (said[0] if said else None))
# 4. The preview at 100 words a minute: the clip stretched as the assistant would (140 / 100).
runs = tone_runs("say.wav", 440)
print("say --rate 100 (440 Hz): runs of %s" % ", ".join("%.3f s at %.1f Hz" % r for r in runs))
check(len(runs) == 1 and abs(runs[0][0] / (3 * 140 / 100) - 1) <= 0.05
      and abs(runs[0][1] / 440 - 1) <= 0.02,
      "say --rate 100 plays the 3 s clip for %s (want %.2f s +-5%% at 440 Hz)"
      % ("%.3f s" % runs[0][0] if len(runs) == 1 else "%d runs" % len(runs), 3 * 140 / 100))
sys.exit(1 if fails else 0)
PY
[ $fails -eq 0 ] || exit 1
echo "ok"
