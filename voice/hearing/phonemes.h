/* Automatic pronunciations: eSpeak NG's phonemes (its ASCII notation, as `espeak-ng -x`) mapped
 * to the CMU phone set the recogniser's dictionary uses, for words neither the dictionary nor
 * the lexicon knows. eSpeak NG itself is reached only through voice/synthesiser.h. */
#pragma once

#include <stddef.h>

struct synth;

/* Map eSpeak NG phonemes ("k'amz", "a#tj'u:nm@nt") to CMU phones ("K AE M Z",
 * "AH T Y UW N M AH N T"). Stress marks, pauses and word separators are dropped. Returns 0,
 * -EINVAL when nothing could be mapped, -ENOSPC when out is too small. */
int phonemes_espeak_to_cmu(const char *espeak, char *out, size_t outlen);

/* The same for a non-rhotic (Southern British) speaker: "after" AE F T AH, "care" K EH. */
int phonemes_espeak_to_cmu_nonrhotic(const char *espeak, char *out, size_t outlen);

/* A recogniser_config.pronounce callback: data is a struct synth *. */
int phonemes_pronounce(void *synth, const char *word, char *phones, size_t len);

/* A recogniser_config.accent callback (same data): the non-rhotic British pronunciation. */
int phonemes_pronounce_british(void *synth, const char *word, char *phones, size_t len);
