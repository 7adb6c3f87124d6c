/* eSpeak NG behind one file: espeak.c is the only file that includes it. The synthesiser
 * (synthesiser.c) drives it through these calls. Private to voice/speaking/.
 *
 * eSpeak NG keeps its state in process-wide globals, so the engine has exactly one owner at a
 * time: the synth that claimed it. It runs synchronously, on the caller's thread. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "synthesiser.h"

/* True while a synth owns the engine. */
bool espeak_engine_busy(void);

/* Become the engine's owner (only when espeak_engine_busy() is false): checks that `data_dir`
 * (NULL for the system's) holds eSpeak NG data, and starts eSpeak NG on first use (once a
 * process: later claims reuse it). Returns 0, -EBUSY (running from another data folder), -ENOENT
 * (data missing), -EIO, with a message in err. */
int espeak_engine_claim(const char *data_dir, char *err, size_t errlen);
/* Give up ownership (the engine itself stays loaded until exit). */
void espeak_engine_release(void);

/* The engine's sample rate in Hz, or <= 0 when it reports none. */
int espeak_engine_rate_hz(void);

/* Select `voice` (a voice file name such as "en+f3") with its rate (measured words a minute),
 * pitch (0-100) and volume (0-200). Returns 0, -ENOENT (no such voice), -EIO, with err. */
int espeak_voice_set(const char *voice, int rate_wpm, int pitch, int volume, char *err,
		     size_t errlen);
/* Change the rate (measured words a minute). Returns 0 or -EIO. */
int espeak_rate_set(int rate_wpm);

/* Say `prepared` (text_prepare's output; `phonemes` when it holds [[ ]] input), giving each chunk
 * of samples to fn. Returns 0, 1 when fn stopped it, or -EIO with err. */
int espeak_say(const char *prepared, bool phonemes, synth_chunk_fn fn, void *userdata, char *err,
	       size_t errlen);

/* text_clause_fn for text_to_phonemes: eSpeak NG's phonemes of the clause at *pos (userdata is
 * unused). The string is eSpeak NG's, valid until the next call. */
const char *espeak_clause_phonemes(void *userdata, const void **pos);
