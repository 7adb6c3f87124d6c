#!/bin/sh
# meson install puts the program, the scripts and the lexicon under the prefix, and the installed
# program finds its data there (here staged with DESTDIR, so relative to the program).
set -eu
build=$1
stage=$(mktemp -d "${TMPDIR:-/tmp}/talkleaf-install.XXXXXX")
trap 'rm -rf "$stage"' EXIT
meson install -C "$build" --no-rebuild --destdir "$stage" >/dev/null
exe=$(find "$stage" -type f -name talkleaf -perm -u+x | head -n 1)
[ -n "$exe" ] || { echo "no talkleaf installed"; exit 1; }
share=$(dirname "$exe")/../share/talkleaf
for f in scripts/attunement.txt scripts/prompts.txt scripts/controls.txt lexicon/words.txt; do
	[ -f "$share/$f" ] || { echo "missing $share/$f"; exit 1; }
done
out=$("$exe" check 2>&1)
echo "$out"
echo "$out" | grep -q "check: 12 topics" || { echo "installed talkleaf did not check its own scripts"; exit 1; }
"$exe" topics --json | grep -q '"id": "camhs"'
