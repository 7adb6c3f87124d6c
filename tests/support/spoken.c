#include "spoken.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "audio.h"
#include "log.h"
#include "synthesiser.h"

int16_t *spoken_16k(struct synth *synth, const char *text, double pad_s, size_t *n)
{
	char err[256] = "";
	struct pcm pcm = { 0 };
	if (synth_speak(synth, text, &pcm, err, sizeof(err)) < 0)
		fail_msg("synth_speak \"%s\": %s", text, err);
	size_t pad = (size_t)(pad_s * pcm.rate_hz + 0.5), len_in = pcm.n + 2 * pad;
	int16_t *padded = xcalloc(len_in ? len_in : 1, sizeof(*padded));
	memcpy(padded + pad, pcm.samples, pcm.n * sizeof(*padded));
	struct audio_source *src;
	assert_int_equal(audio_source_open_memory(padded, len_in, pcm.rate_hz, text, &src, err,
						  sizeof(err)),
			 0);
	size_t cap = len_in * AUDIO_RATE_HZ / (size_t)pcm.rate_hz + AUDIO_RATE_HZ, len = 0, got = 0;
	int16_t *out = xmalloc(cap * sizeof(*out));
	do {
		if (len == cap)
			out = xreallocarray(out, cap *= 2, sizeof(*out));
		assert_int_equal(audio_source_read(src, out + len, cap - len, &got, err, sizeof(err)),
				 0);
		len += got;
	} while (got > 0);
	audio_source_destroy(src);
	free(padded);
	pcm_done(&pcm);
	*n = len;
	return out;
}
