/* A question spoken by eSpeak NG as the recogniser hears it: 16-bit samples at AUDIO_RATE_HZ,
 * resampled by the audio layer. cmocka asserts inside; test code only. */
#pragma once

#include <stddef.h>
#include <stdint.h>

struct synth;

/* `text` spoken by synth, with pad_s seconds of digital silence either side (added before the
 * resampling, so the resampler sees the edges as a file would give them). Owned by the caller
 * (free); *n samples. */
int16_t *spoken_16k(struct synth *synth, const char *text, double pad_s, size_t *n);
