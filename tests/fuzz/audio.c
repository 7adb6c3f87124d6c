/* libFuzzer target: a sound file as `ask --in`, `converse --in` and clip: lines read it. The
 * bytes are written to a file; the file source (libsndfile, mixed to mono, resampled to
 * AUDIO_RATE_HZ by speexdsp) reads it to the end, and the clip loader reads it whole. Either
 * fails with a message or gives samples. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "audio.h"
#include "log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define BLOCK 4096
/* More than any input up to -max_len can decode to, resampled: a source that never ends. */
#define SAMPLES_MAX (64L * 1024 * 1024)

static char *path;

static void remove_file(void)
{
	unlink(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!path) {
		const char *tmp = getenv("TMPDIR");
		path = xasprintf("%s/talkleaf-fuzz-audio-%d.wav", tmp && *tmp ? tmp : "/tmp",
				 (int)getpid());
		atexit(remove_file);
	}
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
		abort();

	char err[512] = "";
	struct audio_source *src;
	if (audio_source_open_file(path, &src, err, sizeof err) == 0) {
		static int16_t buf[BLOCK];
		long total = 0;
		for (;;) {
			size_t got = 0;
			if (audio_source_read(src, buf, BLOCK, &got, err, sizeof err) < 0 || got == 0)
				break;
			if (got > BLOCK || (total += (long)got) > SAMPLES_MAX)
				abort();
		}
		audio_source_destroy(src);
	} else if (!err[0]) {
		abort();
	}

	struct pcm clip;
	err[0] = '\0';
	if (audio_clip_load(path, &clip, err, sizeof err) == 0) {
		if (!clip.samples || clip.n == 0 || clip.rate_hz <= 0)
			abort();
		pcm_done(&clip);
	} else if (!err[0]) {
		abort();
	}
	return 0;
}
