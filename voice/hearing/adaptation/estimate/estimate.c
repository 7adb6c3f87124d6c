/* adaptation-estimate: the mean-only MLLR transform of the en-us model from labelled features
 * (adaptation-prepare's), written in PocketSphinx's MLLR text format. The Gaussians' posteriors
 * are taken within each frame's codebook, weighted by the codebook's mixture weights averaged
 * over its senones (acoustic_model.h). Progress and figures on stderr. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "acoustic_model.h"
#include "config.h"
#include "log.h"
#include "mllr.h"

/* As voice/hearing/adaptation/noisy-speech.mllr was made. */
#define DEFAULT_ITERATIONS 2

static const char usage[] =
	"usage: adaptation-estimate [options] OUT.mllr FEATURES...\n"
	"Estimate a mean-only MLLR transform of the en-us acoustic model from labelled features\n"
	"(adaptation-prepare) and write it to OUT.mllr.\n"
	"  --model DIR        the acoustic model (default " POCKETSPHINX_MODEL_DIR "/en-us/en-us)\n"
	"  --iterations N     estimates, each from the original means (default 2; 0: identity)\n"
	"  --weights-out FILE also write the codebooks' mixture weights there (float32,\n"
	"                     codebook x stream x Gaussian)\n"
	"  --help\n";

static int weights_write(const float *weight, const char *path)
{
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(weight, sizeof(*weight), MODEL_GAUSSIANS, f) != MODEL_GAUSSIANS) {
		if (f)
			fclose(f);
		fprintf(stderr, "%s: cannot write the mixture weights there\n", path);
		return -EIO;
	}
	if (fclose(f) != 0) {
		fprintf(stderr, "%s: could not write the mixture weights (is the disk full?)\n",
			path);
		return -EIO;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *model_dir = POCKETSPHINX_MODEL_DIR "/en-us/en-us", *weights_out = NULL;
	int iterations = DEFAULT_ITERATIONS;
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--help")) {
			fputs(usage, stdout);
			return 0;
		}
		char *end = NULL;
		if (!strcmp(a, "--model") && i + 1 < argc)
			model_dir = argv[++i];
		else if (!strcmp(a, "--weights-out") && i + 1 < argc)
			weights_out = argv[++i];
		else if (!strcmp(a, "--iterations") && i + 1 < argc &&
			 (iterations = (int)strtol(argv[++i], &end, 10)) >= 0 && end && !*end &&
			 iterations <= 100)
			;
		else {
			fprintf(stderr, "adaptation-estimate: bad option or value: %s\n%s", a,
				usage);
			return 2;
		}
	}
	if (argc - i < 2) {
		fputs(usage, stderr);
		return 2;
	}
	const char *out = argv[i++];
	char err[4096];
	int status = 1;
	struct model_gaussians *model = xmalloc(sizeof(*model));
	float *weight = xmalloc(MODEL_GAUSSIANS * sizeof(*weight));
	struct labelled_frames frames = { 0 };
	if (model_gaussians_read(model_dir, model, err, sizeof(err)) < 0 ||
	    model_codebook_weights(model_dir, weight, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
		goto done;
	}
	if (weights_out && weights_write(weight, weights_out) < 0)
		goto done;
	for (; i < argc; i++) {
		size_t before = frames.n, utterances = 0;
		if (labelled_frames_read(&frames, argv[i], &utterances, err, sizeof(err)) < 0) {
			fprintf(stderr, "%s\n", err);
			goto done;
		}
		fprintf(stderr, "%s: %zu utterances, %zu labelled frames\n", argv[i], utterances,
			frames.n - before);
	}
	struct mllr_transform t;
	double ll_before = 0, ll_after = 0;
	if (mllr_estimate(model, weight, &frames, iterations, &t, &ll_before, &ll_after) < 0) {
		fprintf(stderr, "adaptation-estimate: no labelled frames in the files given\n");
		goto done;
	}
	fprintf(
	    stderr,
	    "%zu frames, %d iterations: mean log-likelihood per frame %.3f before, %.3f after\n",
	    frames.n, iterations, ll_before, ll_after);
	if (mllr_write(&t, out, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
		goto done;
	}
	status = 0;
done:
	labelled_frames_done(&frames);
	free(weight);
	free(model);
	return status;
}
