/* Audio in memory: samples with their rate. */
#include "audio.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

void pcm_done(struct pcm *pcm)
{
	if (!pcm)
		return;
	free(pcm->samples);
	pcm->samples = NULL;
	pcm->n = 0;
}

int16_t pcm_clip16(double v)
{
	return (int16_t)(v > 32767 ? 32767 : v < -32768 ? -32768 : lrint(v));
}

void pcm_scale(struct pcm *pcm, double gain)
{
	for (size_t i = 0; pcm && i < pcm->n; i++) {
		double v = pcm->samples[i] * gain;
		pcm->samples[i] = (int16_t)(v > INT16_MAX ? INT16_MAX : v < INT16_MIN ? INT16_MIN : v);
	}
}

double pcm_seconds(const struct pcm *pcm)
{
	if (!pcm || pcm->rate_hz <= 0)
		return 0.0;
	return (double)pcm->n / pcm->rate_hz;
}
