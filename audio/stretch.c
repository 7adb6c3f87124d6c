/* SoundTouch (its C interface, SoundTouchDLL.h): time-stretching that keeps the pitch, by
 * overlap-adding pieces of the sound where its waveform lines up (WSOLA). LGPL-2.1, linked
 * dynamically; chosen over Rubber Band (GPL-2+), which would make the whole program GPL. */
#include "stretch.h"
#include "audio_internal.h"
#include "log.h"

#include <SoundTouchDLL.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* Samples handed to and taken from SoundTouch at a time. */
#define CHUNK 4096

/* Move what SoundTouch has ready into out[got..want); returns the new count. The flush pads with
 * silence past the end: only what the stretch is owed is kept. */
static size_t take(HANDLE st, int16_t *out, size_t got, size_t want)
{
	short buf[CHUNK];
	unsigned r;
	while ((r = soundtouch_receiveSamples_i16(st, buf, CHUNK)) > 0) {
		size_t keep = got + r > want ? want - got : r;
		memcpy(out + got, buf, keep * sizeof(int16_t));
		got += keep;
	}
	return got;
}

int audio_stretch(struct pcm *pcm, double factor, char *err, size_t errlen)
{
	if (!(factor >= AUDIO_STRETCH_MIN && factor <= AUDIO_STRETCH_MAX))
		return errf(err, errlen, -EINVAL,
			    "cannot stretch a clip %.2f times (from %.1f to %.1f times works)",
			    factor, AUDIO_STRETCH_MIN, AUDIO_STRETCH_MAX);
	if (!audio_rate_valid(pcm->rate_hz))
		return errf(err, errlen, -EINVAL,
			    "cannot stretch a clip at %d Hz (rates from %d to %d Hz work)",
			    pcm->rate_hz, AUDIO_RATE_MIN_HZ, AUDIO_RATE_MAX_HZ);
	if (factor == 1.0 || pcm->n == 0)
		return 0;
	HANDLE st = soundtouch_createInstance();
	if (!st)
		return errf(err, errlen, -ENOMEM, "cannot start SoundTouch (out of memory?)");
	soundtouch_setSampleRate(st, (unsigned)pcm->rate_hz);
	soundtouch_setChannels(st, 1);
	soundtouch_setTempo(st, (float)(1.0 / factor));

	size_t want = (size_t)llround((double)pcm->n * factor);
	int16_t *out = xcalloc(want, sizeof(int16_t));
	size_t got = 0;
	for (size_t i = 0; i < pcm->n; i += CHUNK) {
		size_t n = pcm->n - i < CHUNK ? pcm->n - i : CHUNK;
		soundtouch_putSamples_i16(st, pcm->samples + i, (unsigned)n);
		got = take(st, out, got, want);
	}
	soundtouch_flush(st);
	got = take(st, out, got, want);
	soundtouch_destroyInstance(st);
	/* Fewer than owed (SoundTouch rounds per piece): the rest stays silence, a few ms at most. */
	if (got < want)
		log_debug("stretch: %zu of %zu samples", got, want);
	free(pcm->samples);
	pcm->samples = out;
	pcm->n = want;
	return 0;
}
