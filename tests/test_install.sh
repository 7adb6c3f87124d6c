#!/bin/sh
# meson install puts the program, the scripts, the lexicon and the model's adaptation under the
# prefix, and the installed program finds its data there (here staged with DESTDIR, so relative
# to the program).
set -eu
build=$1
stage=$(mktemp -d "${TMPDIR:-/tmp}/talkleaf-install.XXXXXX")
trap 'rm -rf "$stage"' EXIT
meson install -C "$build" --no-rebuild --destdir "$stage" >/dev/null
exe=$(find "$stage" -type f -name talkleaf -perm -u+x | head -n 1)
[ -n "$exe" ] || { echo "no talkleaf installed"; exit 1; }
share=$(dirname "$exe")/../share/talkleaf
for f in scripts/attunement.txt scripts/prompts.txt scripts/controls.txt scripts/menus.txt \
	 scripts/who-can-help.txt lexicon/words.txt adaptation/noisy-speech.mllr; do
	[ -f "$share/$f" ] || { echo "missing $share/$f"; exit 1; }
done
# The manual page (docs/meson.build), where man finds it under the prefix.
[ -f "$(dirname "$exe")/../share/man/man1/talkleaf.1" ] ||
	{ echo "missing share/man/man1/talkleaf.1"; exit 1; }
# As many topics as the installed scripts hold, with no error or warning.
n=$(cat "$share"/scripts/*.txt | grep -c '^topic:')
out=$("$exe" check 2>&1)
echo "$out"
echo "$out" | grep -q "check: $n topics.* 0 errors, 0 warnings" ||
	{ echo "installed talkleaf did not check its own $n topics cleanly"; exit 1; }
# A topic in a sub-menu has two keys (menu, then topic); who can help is one key from anywhere.
"$exe" topics --json | grep -q '"id": "camhs", "key": "[1-8]-[1-8]"'
"$exe" topics --json | grep -q '"id": "who-can-help", "key": "9"'
