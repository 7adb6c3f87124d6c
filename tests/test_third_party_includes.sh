#!/bin/sh
# Each third-party library is behind one file: this fails when a .c or .h outside tests/ includes
# a library's header anywhere else (tests may include the libraries they drive), printing
# "path:line: includes X, allowed only in Y" for each, and when a library's one file is missing
# (renamed without updating the table below).
# usage: test_third_party_includes.sh SOURCE_ROOT
set -u
root=${1:-.}
cd "$root" || exit 1

# HEADER ALLOWED: a header ends in .h and must match exactly; a folder ends in / and covers
# everything under it. ALLOWED "tests/" means only tests may include it. A header may have
# several files, joined by commas (a library's wrapper split by job behind a private header).
rules="portaudio.h audio/portaudio.c,audio/portaudio_speaker.c,audio/portaudio_internal.h
alsa/ audio/alsa.c
sndfile.h audio/sndfile.c
speex/ audio/speexdsp.c
SoundTouchDLL.h audio/stretch.c
soundtouch/ audio/stretch.c
espeak-ng/ voice/speaking/espeak.c
espeak/ voice/speaking/espeak.c
pocketsphinx.h voice/hearing/pocketsphinx.c,voice/hearing/pocketsphinx_align.c
pocketsphinx/ voice/hearing/pocketsphinx.c,voice/hearing/pocketsphinx_align.c
sphinxbase/ voice/hearing/pocketsphinx.c,voice/hearing/pocketsphinx_align.c
cmocka.h tests/"

fails=0
for allowed in $(printf '%s\n' "$rules" | awk '{ print $2 }' | tr ',' '\n' | sort -u); do
	case $allowed in
	*/) [ -d "$allowed" ] ;;
	*) [ -f "$allowed" ] ;;
	esac || {
		echo "$allowed: missing: a library's one file was renamed; update $0"
		fails=$((fails + 1))
	}
done

# Every C file outside tests/, .git and build folders (those meson made hold meson-private/).
files=$(find . \( -path ./tests -o -name .git -o -exec test -d '{}/meson-private' \; \) -prune \
	-o -type f \( -name '*.c' -o -name '*.h' \) -print | sed 's|^\./||' | sort)
[ -n "$files" ] || {
	echo "no C files found under $root"
	exit 1
}

violations=$(printf '%s\n' "$files" | tr '\n' '\0' | xargs -0 awk -v rules="$rules" '
	BEGIN {
		n = split(rules, lines, "\n")
		for (i = 1; i <= n; i++) {
			split(lines[i], f, " ")
			header[i] = f[1]
			allowed[i] = f[2]
		}
	}
	/^[ \t]*#[ \t]*include[ \t]*[<"]/ {
		inc = $0
		sub(/^[ \t]*#[ \t]*include[ \t]*[<"]/, "", inc)
		sub(/[>"].*$/, "", inc)
		for (i = 1; i <= n; i++) {
			h = header[i]
			hit = h ~ /\/$/ ? substr(inc, 1, length(h)) == h : inc == h
			if (hit && index("," allowed[i] ",", "," FILENAME ",") == 0)
				printf "%s:%d: includes %s, allowed only in %s\n", FILENAME, FNR, inc,
				       allowed[i]
		}
	}')
if [ -n "$violations" ]; then
	printf '%s\n' "$violations"
	fails=$((fails + $(printf '%s\n' "$violations" | wc -l)))
fi
[ $fails -eq 0 ] || exit 1
echo "third-party headers: each included only in its one file ($(printf '%s\n' "$files" | wc -l) files)"
