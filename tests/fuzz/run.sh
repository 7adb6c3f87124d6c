#!/bin/sh
# Fuzz one harness built with -Dfuzzing=true for SECONDS, going on from what earlier runs found:
#   tests/fuzz/run.sh build-fuzz/tests/fuzz/fuzz_script 600 [MAX_LEN [libFuzzer options...]]
# The harness's name after "fuzz_" picks its seed corpus (tests/fuzz/corpus/NAME/) and
# dictionary (tests/fuzz/NAME.dict). What the fuzzer adds goes to fuzz-work/NAME/corpus beside
# the binary, a crash or timeout to fuzz-work/NAME/ (keep it in the seed corpus with the fix:
# docs/fuzzing.md). Prints the number of executions; exits non-zero on a crash or timeout.
set -eu
exe=$1
seconds=$2
max_len=${3:-4096}
if [ $# -ge 3 ]; then shift 3; else shift $#; fi # the rest go to libFuzzer
here=$(cd "$(dirname "$0")" && pwd)
name=$(basename "$exe")
name=${name#fuzz_}
[ -d "$here/corpus/$name" ] || { echo "$0: no corpus for '$name' in $here/corpus" >&2; exit 2; }
work=$(cd "$(dirname "$exe")" && pwd)/fuzz-work/$name
mkdir -p "$work/corpus"
log=$work/last-run.log
status=0
start=$(date +%s)
# -timeout: an input that takes over 10 s is a failure, as a crash is; -rss_limit_mb: an input
# that makes the program use 2 GB is one too. The seed corpus comes second so it is only read.
"$exe" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len="$max_len" \
	-dict="$here/$name.dict" -artifact_prefix="$work/" -print_final_stats=1 "$@" \
	"$work/corpus" "$here/corpus/$name" >"$log" 2>&1 || status=$?
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
echo "fuzz_$name: ${runs:-0} executions in $(($(date +%s) - start)) s (${rate:-0}/s), corpus" \
     "$(ls "$work/corpus" | wc -l) inputs"
if [ $status -ne 0 ]; then
	grep -E "ERROR|SUMMARY|Test unit written|^    #[0-9]" "$log" | head -n 40
	echo "fuzz_$name failed (exit $status); whole log: $log"
fi
exit $status
