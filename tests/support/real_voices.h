/* The recordings of real people listed in tests/data/real-voices.txt (Debian's
 * pocketsphinx-testdata), read as 16 kHz mono: the recognition test and benchmark hear them as
 * speech the leaflet does not cover. Test code only. */
#pragma once

#include <stddef.h>
#include <stdint.h>

struct real_voice {
	char *file; /* as listed: relative to PocketSphinx's test data folder */
	char *text; /* what is said */
	int16_t *pcm;
	size_t n;
};

/* Read the list `list` and every recording in it from `data_dir`. Returns the number read
 * (*out owned by the caller: real_voices_free), or -1 with a message naming the file and line,
 * or the recording, in err. */
int real_voices_load(const char *list, const char *data_dir, struct real_voice **out, char *err,
		     size_t errlen);
void real_voices_free(struct real_voice *v, size_t n);
