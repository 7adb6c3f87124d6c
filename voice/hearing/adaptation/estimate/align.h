/* Speech force-aligned to its words by PocketSphinx, each frame labelled with its base phone
 * (its codebook in the en-us model), and written with the model's features of it. Made by
 * voice/hearing/pocketsphinx_align.c, beside the recogniser's own use of PocketSphinx, and built
 * into the adaptation tools only. The front end runs as the recogniser's scores pass
 * runs it (voice/hearing/pocketsphinx.c): the noise estimate learnt from the utterance first,
 * then the whole utterance at once, for the model's batch cepstral mean. */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct aligner;

/* Load the acoustic model `model_dir` and the pronunciations of `dictionary` (a CMU dictionary:
 * the first pronunciation of each word is used); `work_dir` is an existing folder for the
 * aligner's own files (removed by aligner_destroy). Returns 0, or -ENOENT / -EINVAL / -EIO with
 * the file named in err. The caller owns *out. */
int aligner_create(const char *model_dir, const char *dictionary, const char *work_dir,
		   struct aligner **out, char *err, size_t errlen);
/* Accepts NULL. */
void aligner_destroy(struct aligner *a);

/* The phones of `words` (spaces between them) as a grammar the aligner can follow: each phone a
 * "word", optional silence between words. Returns a new string (free()), or NULL with the word
 * the dictionary lacks in err. */
char *aligner_grammar(const struct aligner *a, const char *words, char *err, size_t errlen);

/* Align pcm (n samples at 16 kHz, as the recogniser would decode it) to `grammar` and append the
 * labelled features to `out` in the format of mllr.h (labelled_frames_read). Returns the number
 * of frames written, 0 when no alignment was found (nothing written), or -EIO with err. */
int aligner_hear(struct aligner *a, const int16_t *pcm, size_t n, const char *grammar, FILE *out,
		 char *err, size_t errlen);
