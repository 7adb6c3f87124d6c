/* The parts of Debian's en-us acoustic model (pocketsphinx-en-us) that estimating its adaptation
 * needs, read from the model's own files: the Gaussians (means, variances) and, for each codebook,
 * its mixture weights averaged over the senones that share it (sendump, mdef). The model is
 * phonetically tied: one codebook per base phone, each of three streams of 128 Gaussians.
 * Used by the adaptation tools only (not the recogniser). */
#pragma once

#include <stddef.h>

#define MODEL_CODEBOOKS 42  /* one per base phone, in the model's phone order (mdef) */
#define MODEL_STREAMS 3     /* cepstra, their deltas and double deltas (-svspec 0-12/13-25/26-38) */
#define MODEL_DENSITIES 128 /* Gaussians in each codebook's stream */
#define MODEL_STREAM_LENGTH 13
#define MODEL_FEATURE_LENGTH (MODEL_STREAMS * MODEL_STREAM_LENGTH)
#define MODEL_GAUSSIANS (MODEL_CODEBOOKS * MODEL_STREAMS * MODEL_DENSITIES)

/* Gaussian g of codebook c, stream s, density k: g = (c * MODEL_STREAMS + s) * MODEL_DENSITIES + k.
 */
static inline int model_gaussian(int codebook, int stream, int density)
{
	return (codebook * MODEL_STREAMS + stream) * MODEL_DENSITIES + density;
}

/* The model's Gaussians, MODEL_GAUSSIANS rows of MODEL_STREAM_LENGTH each. Caller-owned. */
struct model_gaussians {
	float mean[MODEL_GAUSSIANS][MODEL_STREAM_LENGTH];
	float var[MODEL_GAUSSIANS][MODEL_STREAM_LENGTH];
};

/* Read `dir`/means and `dir`/variances (Sphinx-3 Gaussian files) into g, checking they have the
 * shape above. Returns 0, -ENOENT (a file missing) or -EINVAL (another shape, or cut short),
 * the file named in err. */
int model_gaussians_read(const char *dir, struct model_gaussians *g, char *err, size_t errlen);

/* Each codebook's mixture weights: weight[model_gaussian(c, s, k)] is the mean over the senones of
 * codebook c (mdef: a senone's base phone) of their weight of Gaussian k in stream s, from the
 * model's quantised weights (sendump), scaled to sum to 1 in each codebook and stream.
 * `weight` holds MODEL_GAUSSIANS numbers. Returns 0, -ENOENT or -EINVAL with the file in err. */
int model_codebook_weights(const char *dir, float *weight, char *err, size_t errlen);
