/* Mean-only MLLR of the en-us model (acoustic_model.h): one transform for each feature stream, a
 * 13x13 rotation and a bias, estimated in closed form from frames labelled with their codebook.
 * Used by the adaptation tools only (not the recogniser). */
#pragma once

#include <stdio.h>
#include <stddef.h>

#include "acoustic_model.h"

/* A frame of features (the model's 39: three streams of 13) and its codebook (base phone). */
struct labelled_frame {
	int codebook;
	float x[MODEL_FEATURE_LENGTH];
};

/* Frames read from files of labelled features. Owned by the caller: labelled_frames_done. */
struct labelled_frames {
	struct labelled_frame *f;
	size_t n, cap;
};

/* The file format align.h writes: for each utterance an int32 count of frames, then for each
 * frame an int32 codebook (-1: not aligned) and 39 float32 features, in this machine's order. */

/* Add the labelled frames of `path` to `frames` (unaligned ones left out); the number of
 * utterances into *utterances (may be NULL). Returns 0, -ENOENT, or -EINVAL naming the file and
 * the utterance that is cut short or has a codebook the model does not. */
int labelled_frames_read(struct labelled_frames *frames, const char *path, size_t *utterances,
			 char *err, size_t errlen);
void labelled_frames_done(struct labelled_frames *frames);

/* One transform a stream: w[s][i][0] is the bias of row i, w[s][i][1 + j] the rotation. */
struct mllr_transform {
	double w[MODEL_STREAMS][MODEL_STREAM_LENGTH][MODEL_STREAM_LENGTH + 1];
};

/* The transform that leaves the means as they are. */
void mllr_identity(struct mllr_transform *t);

/* The means of `model` moved by t, into mean. */
void mllr_apply(const struct mllr_transform *t, const struct model_gaussians *model,
		float (*mean)[MODEL_STREAM_LENGTH]);

/* Estimate t from `frames`: `iterations` times, the Gaussians' posteriors (within each frame's
 * codebook, weighted by `weight`, MODEL_GAUSSIANS numbers) under the means as last moved, and
 * the transform solved again from the model's original means. 0 iterations: the identity. The
 * mean log-likelihood per frame of the frames before and after into *before and *after (may
 * be NULL). Returns 0, or -EDOM when there are no frames. */
int mllr_estimate(const struct model_gaussians *model, const float *weight,
		  const struct labelled_frames *frames, int iterations, struct mllr_transform *t,
		  double *before, double *after);

/* Write t in PocketSphinx's MLLR text format (ps_mllr_read): one transform, the number of
 * streams, then for each stream its length, the rotation's rows, the bias, and variance scales
 * of 1. Returns 0, or -EIO naming the file. */
int mllr_write(const struct mllr_transform *t, const char *path, char *err, size_t errlen);
