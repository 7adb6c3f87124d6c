/* How much of a recording's speech lies above 4 kHz: the part of the spectrum that an 8 kHz stage
 * (a telephone line, a Bluetooth headset in hands-free mode, an 8 kHz file) removed for good. The
 * recogniser's acoustic model was trained on 16 kHz speech and needs that band for consonants
 * such as s, f and th; resampling cannot put it back. */
#include "audio.h"
#include "log.h"

#include <math.h>
#include <stdlib.h>

/* Down to this rate and back keeps what lies below about 4.3 kHz (the resampler's low-pass ends
 * short of half the rate): the difference from the input is the band above. An 8 kHz stage
 * leaves nothing there but the 8-to-16 kHz resampler's own leakage around 4 kHz, which a split
 * at 4 kHz itself counted (narrowband speech measured -30 dB that way, -78 dB this way; wideband
 * -10 to -30 dB both ways). */
#define BAND_SPLIT_RATE 9000
#define BAND_FRAME (2 * AUDIO_FRAME_10MS) /* 20 ms */
/* Frames within this of the loudest carry the speech; the rest is room or line noise. */
#define BAND_SPEECH_DB 25.0

double audio_high_band_db(const int16_t *pcm, size_t n)
{
	if (n < BAND_FRAME)
		return 0;
	int16_t *low_rate = NULL, *low = NULL;
	size_t n_low_rate = 0, nl = 0;
	audio_resample_all(pcm, n, AUDIO_RATE_HZ, BAND_SPLIT_RATE, &low_rate, &n_low_rate);
	audio_resample_all(low_rate, n_low_rate, BAND_SPLIT_RATE, AUDIO_RATE_HZ, &low, &nl);
	free(low_rate);
	size_t nf = (nl < n ? nl : n) / BAND_FRAME;
	double *all = xcalloc(nf ? nf : 1, sizeof(*all)), *high = xcalloc(nf ? nf : 1, sizeof(*high));
	double loudest = 0;
	for (size_t f = 0; f < nf; f++) {
		for (size_t i = f * BAND_FRAME; i < (f + 1) * BAND_FRAME; i++) {
			double x = pcm[i], d = (double)pcm[i] - (double)low[i];
			all[f] += x * x;
			high[f] += d * d;
		}
		loudest = fmax(loudest, all[f]);
	}
	double sum_all = 0, sum_high = 0;
	for (size_t f = 0; f < nf; f++)
		if (all[f] > 0 && all[f] >= loudest * pow(10, -BAND_SPEECH_DB / 10)) {
			sum_all += all[f];
			sum_high += high[f];
		}
	free(all);
	free(high);
	free(low);
	if (sum_all <= 0)
		return 0;
	return 10 * log10(fmax(sum_high, 1e-3) / sum_all);
}
