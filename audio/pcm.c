/* Audio in memory: samples with their rate. */
#include "audio.h"

#include <stdlib.h>

void pcm_done(struct pcm *pcm)
{
	if (!pcm)
		return;
	free(pcm->samples);
	pcm->samples = NULL;
	pcm->n = 0;
}

double pcm_seconds(const struct pcm *pcm)
{
	if (!pcm || pcm->rate_hz <= 0)
		return 0.0;
	return (double)pcm->n / pcm->rate_hz;
}
