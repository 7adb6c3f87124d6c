#!/bin/sh
# Remake the acoustic model's adaptation (voice/hearing/adaptation/README.md): the labelled
# features of the tuning half's coffee orders in noise (adaptation-prepare), then the transform
# (adaptation-estimate), written to OUT. With --compare FILE, also print the largest difference
# between OUT's numbers and FILE's. Never writes over the committed transform unless --replace.
# usage: remake.sh BUILD_DIR OUT.mllr [--compare FILE] [--replace]
set -eu
here=$(cd "$(dirname "$0")" && pwd)
committed=$(cd "$here/.." && pwd)/noisy-speech.mllr
[ $# -ge 2 ] || {
	echo "usage: $0 BUILD_DIR OUT.mllr [--compare FILE] [--replace]" >&2
	exit 2
}
build=$1
out=$2
shift 2
compare=
replace=no
while [ $# -gt 0 ]; do
	case $1 in
	--compare)
		[ $# -ge 2 ] || { echo "$0: --compare needs a file" >&2; exit 2; }
		compare=$2
		shift 2
		;;
	--replace) replace=yes; shift ;;
	*) echo "$0: unknown argument: $1" >&2; exit 2 ;;
	esac
done
tools=$build/voice/hearing/adaptation/estimate
for tool in adaptation-prepare adaptation-estimate; do
	[ -x "$tools/$tool" ] || {
		echo "$tools/$tool: missing (build first: meson compile -C $build)" >&2
		exit 1
	}
done
out_dir=$(cd "$(dirname "$out")" 2>/dev/null && pwd) || {
	echo "$out: its folder does not exist" >&2
	exit 1
}
if [ "$out_dir/$(basename "$out")" = "$committed" ] && [ $replace != yes ]; then
	echo "$out: that is the committed transform; add --replace to write over it" >&2
	exit 1
fi
if [ -n "$compare" ] && [ ! -r "$compare" ]; then
	echo "$compare: cannot read the transform to compare with" >&2
	exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/adaptation-XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
"$tools/adaptation-prepare" "$here/transcripts.txt" "$work"
"$tools/adaptation-estimate" "$out" "$work"/*.bin
echo "wrote $out"
if [ -n "$compare" ]; then
	# Both files' numbers in order; the shapes must match too.
	tr -s ' \n' '\n\n' <"$out" >"$work/a"
	tr -s ' \n' '\n\n' <"$compare" >"$work/b"
	paste "$work/a" "$work/b" | awk -v a="$out" -v b="$compare" '
		$1 == "" || $2 == "" { if ($1 != $2) bad = 1; next }
		{ d = $1 - $2; if (d < 0) d = -d; if (d > max) max = d; n++ }
		END {
			if (bad) { printf "%s and %s differ in shape\n", a, b; exit 1 }
			printf "max |difference| against %s: %.3g (%d numbers)\n", b, max, n
		}'
fi
