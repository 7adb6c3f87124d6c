/* The tools that make the acoustic model's adaptation (voice/hearing/adaptation/estimate/): the
 * codebooks' mixture weights, the transform's estimate and the file PocketSphinx reads back, and
 * their errors. On the installed en-us model and a few frames made here; the whole remake is the
 * benchmark "adaptation". */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pocketsphinx.h>
#include <sphinxbase/err.h>

#include "acoustic_model.h"
#include "config.h"
#include "log.h"
#include "mllr.h"
#include "recogniser_internal.h"

#define MODEL POCKETSPHINX_MODEL_DIR "/en-us/en-us"

static struct model_gaussians *model;
static float weight[MODEL_GAUSSIANS];

static int setup(void **state)
{
	char err[512];
	err_set_logfp(NULL); /* PocketSphinx's log of reading a transform */
	model = xmalloc(sizeof(*model));
	if (model_gaussians_read(MODEL, model, err, sizeof(err)) < 0 ||
	    model_codebook_weights(MODEL, weight, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	free(model);
	return 0;
}

static char *temp_path(const char *name)
{
	const char *dir = getenv("TALKLEAF_TEST_TMP");
	return xasprintf("%s/adaptation-%d-%s", dir ? dir : "/tmp", (int)getpid(), name);
}

/* The Gaussian of codebook c, stream s that frame n is made from: one of its four most
 * weighted, so that the frames are likely ones for the codebook. */
static int frame_gaussian(int c, int s, size_t n)
{
	int top[4] = { -1, -1, -1, -1 };
	for (int k = 0; k < MODEL_DENSITIES; k++) {
		int g = model_gaussian(c, s, k);
		for (int i = 0; i < 4; i++)
			if (top[i] < 0 || weight[g] > weight[top[i]]) {
				for (int j = 3; j > i; j--)
					top[j] = top[j - 1];
				top[i] = g;
				break;
			}
	}
	return top[n % 4];
}

/* Frames at Gaussians' means of a few codebooks, moved by `shift` in every dimension. */
static void frames_make(struct labelled_frames *f, double shift)
{
	memset(f, 0, sizeof(*f));
	f->n = f->cap = 600;
	f->f = xcalloc(f->n, sizeof(*f->f));
	for (size_t t = 0; t < f->n; t++) {
		int c = 2 + (int)(t % 30);
		f->f[t].codebook = c;
		for (int s = 0; s < MODEL_STREAMS; s++)
			for (int d = 0; d < MODEL_STREAM_LENGTH; d++)
				f->f[t].x[s * MODEL_STREAM_LENGTH + d] =
				    (float)(model->mean[frame_gaussian(c, s, t / 30)][d] + shift);
	}
}

/* Each codebook's weights, averaged over its senones, are a distribution: they sum to 1. */
static void test_weights_sum_to_one(void **state)
{
	for (int c = 0; c < MODEL_CODEBOOKS; c++)
		for (int s = 0; s < MODEL_STREAMS; s++) {
			double sum = 0;
			for (int k = 0; k < MODEL_DENSITIES; k++) {
				float w = weight[model_gaussian(c, s, k)];
				assert_true(w >= 0 && w <= 1);
				sum += w;
			}
			assert_true(fabs(sum - 1) < 1e-5);
		}
}

/* No iteration: the identity, the means as they were, bit for bit; PocketSphinx reads it. */
static void test_zero_iterations_identity(void **state)
{
	struct labelled_frames f;
	frames_make(&f, 0.5);
	struct mllr_transform t;
	double before = 0, after = 1;
	assert_int_equal(mllr_estimate(model, weight, &f, 0, &t, &before, &after), 0);
	assert_true(before == after);
	for (int s = 0; s < MODEL_STREAMS; s++)
		for (int i = 0; i < MODEL_STREAM_LENGTH; i++)
			for (int j = 0; j <= MODEL_STREAM_LENGTH; j++)
				assert_true(t.w[s][i][j] == (j == i + 1 ? 1.0 : 0.0));
	float(*mean)[MODEL_STREAM_LENGTH] = xmalloc(sizeof(model->mean));
	mllr_apply(&t, model, mean);
	assert_memory_equal(mean, model->mean, sizeof(model->mean));
	free(mean);

	char err[512], *path = temp_path("identity.mllr");
	assert_int_equal(mllr_write(&t, path, err, sizeof(err)), 0);
	assert_int_equal(adaptation_check(path, err, sizeof(err)), 0);
	ps_mllr_t *m = ps_mllr_read(path);
	assert_non_null(m);
	ps_mllr_free(m);
	unlink(path);
	free(path);
	labelled_frames_done(&f);
}

/* Frames moved away from the means: one estimate makes them more likely, every stream's
 * transform moves its means, and the file has the model's shape. */
static void test_estimate_follows_shift(void **state)
{
	struct labelled_frames f;
	frames_make(&f, 0.3);
	struct mllr_transform t;
	double before = 0, after = 0;
	assert_int_equal(mllr_estimate(model, weight, &f, 1, &t, &before, &after), 0);
	assert_true(after > before);
	/* Every stream's rows were solved, not left as the identity's. */
	for (int s = 0; s < MODEL_STREAMS; s++) {
		double change = 0;
		for (int i = 0; i < MODEL_STREAM_LENGTH; i++)
			for (int j = 0; j <= MODEL_STREAM_LENGTH; j++)
				change += fabs(t.w[s][i][j] - (j == i + 1));
		assert_true(change > 1e-3);
	}

	char err[512], *path = temp_path("shift.mllr");
	assert_int_equal(mllr_write(&t, path, err, sizeof(err)), 0);
	FILE *in = fopen(path, "r");
	assert_non_null(in);
	int n_transforms = 0, n_streams = 0, length = 0, numbers = 0;
	assert_int_equal(fscanf(in, "%d %d", &n_transforms, &n_streams), 2);
	assert_int_equal(n_transforms, 1);
	assert_int_equal(n_streams, MODEL_STREAMS);
	for (int s = 0; s < MODEL_STREAMS; s++) {
		assert_int_equal(fscanf(in, "%d", &length), 1);
		assert_int_equal(length, MODEL_STREAM_LENGTH);
		double v;
		for (int i = 0; i < length * (length + 2); i++)
			numbers += fscanf(in, "%lf", &v);
	}
	assert_int_equal(numbers, MODEL_STREAMS * MODEL_STREAM_LENGTH * (MODEL_STREAM_LENGTH + 2));
	double extra;
	assert_int_equal(fscanf(in, "%lf", &extra), EOF);
	fclose(in);
	assert_int_equal(adaptation_check(path, err, sizeof(err)), 0);
	ps_mllr_t *m = ps_mllr_read(path);
	assert_non_null(m);
	ps_mllr_free(m);
	unlink(path);
	free(path);
	labelled_frames_done(&f);
}

/* No frames: nothing to estimate from. */
static void test_no_frames(void **state)
{
	struct labelled_frames f = { 0 };
	struct mllr_transform t;
	assert_int_equal(mllr_estimate(model, weight, &f, 2, &t, NULL, NULL), -EDOM);
}

/* A missing model and bad features are named with their file. */
static void test_errors_name_the_file(void **state)
{
	char err[512];
	struct model_gaussians *g = xmalloc(sizeof(*g));
	assert_int_equal(model_gaussians_read("/nonexistent/model", g, err, sizeof(err)), -ENOENT);
	assert_string_equal(err, "/nonexistent/model/means: cannot open the acoustic model's file "
				 "(is pocketsphinx-en-us installed?)");
	free(g);
	assert_int_equal(model_codebook_weights("/nonexistent/model", weight + 0, err, sizeof(err)),
			 -ENOENT);
	assert_non_null(strstr(err, "/nonexistent/model/mdef: cannot open"));

	struct labelled_frames f = { 0 };
	assert_int_equal(labelled_frames_read(&f, "/nonexistent/x.bin", NULL, err, sizeof(err)),
			 -ENOENT);
	assert_string_equal(err, "/nonexistent/x.bin: cannot open the labelled features");

	char *path = temp_path("short.bin");
	FILE *out = fopen(path, "wb");
	int32_t n = 2, cb = 5;
	float x[MODEL_FEATURE_LENGTH] = { 0 };
	fwrite(&n, sizeof(n), 1, out);
	fwrite(&cb, sizeof(cb), 1, out);
	fwrite(x, sizeof(float), MODEL_FEATURE_LENGTH, out);
	fwrite(&cb, sizeof(cb), 1, out);
	fclose(out);
	size_t utterances = 0;
	assert_int_equal(labelled_frames_read(&f, path, &utterances, err, sizeof(err)), -EINVAL);
	char *want = xasprintf("%s: utterance 1 cut short at frame 2 of 2 (make it again)", path);
	assert_string_equal(err, want);
	free(want);

	out = fopen(path, "wb");
	n = 1;
	cb = MODEL_CODEBOOKS;
	fwrite(&n, sizeof(n), 1, out);
	fwrite(&cb, sizeof(cb), 1, out);
	fwrite(x, sizeof(float), MODEL_FEATURE_LENGTH, out);
	fclose(out);
	assert_int_equal(labelled_frames_read(&f, path, NULL, err, sizeof(err)), -EINVAL);
	want = xasprintf("%s: utterance 1, frame 1: codebook 42, the model has 42", path);
	assert_string_equal(err, want);
	free(want);
	unlink(path);
	free(path);
	labelled_frames_done(&f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_weights_sum_to_one),
		cmocka_unit_test(test_zero_iterations_identity),
		cmocka_unit_test(test_estimate_follows_shift),
		cmocka_unit_test(test_no_frames),
		cmocka_unit_test(test_errors_name_the_file),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
