#include "paths.h"

#include <limits.h>
#include <string.h>
#include <unistd.h>

#include "config.h"

/* True when this program runs from the build folder, where the data is still in the source tree. */
static int running_from_build(void)
{
	static int cached = -1;
	if (cached < 0) {
		char exe[PATH_MAX];
		ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
		size_t blen = strlen(TALKLEAF_BUILD_DIR);
		cached = 0;
		if (n > 0) {
			exe[n] = '\0';
			cached = strncmp(exe, TALKLEAF_BUILD_DIR, blen) == 0 && exe[blen] == '/';
		}
	}
	return cached;
}

const char *paths_scripts_dir(void)
{
	return running_from_build() ? TALKLEAF_SOURCE_DIR "/scripts" : TALKLEAF_DATA_DIR "/scripts";
}

const char *paths_lexicon_dir(void)
{
	return running_from_build() ? TALKLEAF_SOURCE_DIR "/lexicon" : TALKLEAF_DATA_DIR "/lexicon";
}

const char *paths_acoustic_model(void)
{
	return POCKETSPHINX_MODEL_DIR "/en-us/en-us";
}

const char *paths_dictionary(void)
{
	return POCKETSPHINX_MODEL_DIR "/en-us/cmudict-en-us.dict";
}
