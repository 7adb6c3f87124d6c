/* Time-stretching without changing pitch (SoundTouch, private to audio/stretch.c): a recorded
 * clip said "slower" or "faster" lasts longer or shorter at the same pitch, as eSpeak NG's own
 * rate does for spoken sentences. */
#pragma once

#include <stddef.h>

#include "audio.h"

/* Stretches below or above these are refused: past them SoundTouch's overlap-add is audibly
 * choppy, and the rate steps stay well inside (100..180 words a minute against 140). */
#define AUDIO_STRETCH_MIN 0.5
#define AUDIO_STRETCH_MAX 2.0

/* Replace pcm's samples with the same sound lasting `factor` times as long (1.4: 40% longer,
 * slower) at the same pitch and rate: round(n * factor) samples. factor 1 leaves pcm as it is.
 * Returns 0, or a negative errno with "what is wrong (what to do)" in err: -EINVAL for a factor
 * outside AUDIO_STRETCH_MIN..MAX or a rate audio_rate_valid refuses, -ENOMEM when SoundTouch
 * cannot start; pcm is unchanged on error. The
 * caller keeps owning pcm (pcm_done frees it). */
int audio_stretch(struct pcm *pcm, double factor, char *err, size_t errlen);
