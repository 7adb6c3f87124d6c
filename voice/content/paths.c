#include "paths.h"

#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"

static char exe_path[PATH_MAX];

/* True when this program runs from the build folder, where the data is still in the source tree. */
static int running_from_build(void)
{
	static int cached = -1;
	if (cached < 0) {
		ssize_t n = readlink("/proc/self/exe", exe_path, sizeof(exe_path) - 1);
		size_t blen = strlen(TALKLEAF_BUILD_DIR);
		cached = 0;
		if (n > 0) {
			exe_path[n] = '\0';
			cached = strncmp(exe_path, TALKLEAF_BUILD_DIR, blen) == 0 &&
				 exe_path[blen] == '/';
		}
	}
	return cached;
}

/* Installed: PREFIX/bin/talkleaf finds PREFIX/share/talkleaf, so a moved or DESTDIR-staged
 * installation works too; the configured data folder is the fallback. */
static const char *data_dir(void)
{
	static char dir[PATH_MAX + 32];
	if (!dir[0]) {
		char copy[PATH_MAX];
		snprintf(copy, sizeof(copy), "%s", exe_path);
		snprintf(dir, sizeof(dir), "%s/../share/talkleaf", dirname(copy));
		if (!exe_path[0] || !paths_is_dir(dir))
			snprintf(dir, sizeof(dir), "%s", TALKLEAF_DATA_DIR);
	}
	return dir;
}

/* `source` under the source tree when run from the build folder, else `installed` under the data
 * folder, in `buf` (static in the caller). */
static const char *data_path(char *buf, size_t len, const char *source, const char *installed)
{
	if (running_from_build())
		snprintf(buf, len, "%s/%s", TALKLEAF_SOURCE_DIR, source);
	else
		snprintf(buf, len, "%s/%s", data_dir(), installed);
	return buf;
}

const char *paths_scripts_dir(void)
{
	static char path[PATH_MAX + 64];
	return data_path(path, sizeof(path), "scripts", "scripts");
}

const char *paths_lexicon_dir(void)
{
	static char path[PATH_MAX + 64];
	return data_path(path, sizeof(path), "lexicon", "lexicon");
}

const char *paths_adaptation(void)
{
	static char path[PATH_MAX + 64];
	return data_path(path, sizeof(path), "voice/hearing/adaptation/noisy-speech.mllr",
			 "adaptation/noisy-speech.mllr");
}

const char *paths_acoustic_model(void)
{
	return POCKETSPHINX_MODEL_DIR "/en-us/en-us";
}

const char *paths_dictionary(void)
{
	return POCKETSPHINX_MODEL_DIR "/en-us/cmudict-en-us.dict";
}

bool paths_is_dir(const char *path)
{
	struct stat st;
	return path && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}
