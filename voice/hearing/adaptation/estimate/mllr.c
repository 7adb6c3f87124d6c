/* Mean-only MLLR of the en-us model (mllr.h). For each stream s and row i the transform's row
 * w = [bias, rotation] maximises the auxiliary function, in closed form because the variances are
 * diagonal: G w = k with G = sum_g occ_g / var_gi * xi_g xi_g' and k = sum_g sx_gi / var_gi * xi_g,
 * xi_g = [1, mean_g] (Leggetter and Woodland, 1995). */
#include "mllr.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

/* PocketSphinx's own -varfloor. */
#define VARIANCE_FLOOR 1e-4f
/* A Gaussian's posterior below this adds nothing worth the time. */
#define POSTERIOR_MIN 1e-6
/* Keeps the log of a weight of 0 finite. */
#define WEIGHT_FLOOR 1e-6

#define VL MODEL_STREAM_LENGTH

int labelled_frames_read(struct labelled_frames *frames, const char *path, size_t *utterances,
			 char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return errf(err, errlen, -ENOENT, "%s: cannot open the labelled features", path);
	size_t utt = 0;
	int32_t n;
	int r = 0;
	while (r == 0 && fread(&n, sizeof(n), 1, f) == 1) {
		utt++;
		if (n < 0) {
			r = errf(err, errlen, -EINVAL, "%s: utterance %zu has %d frames", path, utt,
				 n);
			break;
		}
		for (int32_t i = 0; i < n; i++) {
			if (frames->n == frames->cap) {
				frames->cap = frames->cap ? frames->cap * 2 : 4096;
				frames->f =
				    xreallocarray(frames->f, frames->cap, sizeof(*frames->f));
			}
			struct labelled_frame *fr = &frames->f[frames->n];
			int32_t cb;
			if (fread(&cb, sizeof(cb), 1, f) != 1 ||
			    fread(fr->x, sizeof(float), MODEL_FEATURE_LENGTH, f) !=
				MODEL_FEATURE_LENGTH) {
				r = errf(
				    err, errlen, -EINVAL,
				    "%s: utterance %zu cut short at frame %d of %d (make it again)",
				    path, utt, i + 1, n);
				break;
			}
			if (cb < -1 || cb >= MODEL_CODEBOOKS) {
				r = errf(
				    err, errlen, -EINVAL,
				    "%s: utterance %zu, frame %d: codebook %d, the model has %d",
				    path, utt, i + 1, cb, MODEL_CODEBOOKS);
				break;
			}
			fr->codebook = cb;
			if (cb >= 0)
				frames->n++;
		}
	}
	if (r == 0 && ferror(f))
		r = errf(err, errlen, -EIO, "%s: read error", path);
	fclose(f);
	if (utterances)
		*utterances = utt;
	return r;
}

void labelled_frames_done(struct labelled_frames *frames)
{
	free(frames->f);
	memset(frames, 0, sizeof(*frames));
}

void mllr_identity(struct mllr_transform *t)
{
	memset(t, 0, sizeof(*t));
	for (int s = 0; s < MODEL_STREAMS; s++)
		for (int i = 0; i < VL; i++)
			t->w[s][i][i + 1] = 1;
}

void mllr_apply(const struct mllr_transform *t, const struct model_gaussians *model,
		float (*mean)[VL])
{
	for (int g = 0; g < MODEL_GAUSSIANS; g++) {
		int s = (g / MODEL_DENSITIES) % MODEL_STREAMS;
		for (int i = 0; i < VL; i++) {
			double v = t->w[s][i][0];
			for (int d = 0; d < VL; d++)
				v += t->w[s][i][d + 1] * model->mean[g][d];
			mean[g][i] = (float)v;
		}
	}
}

/* What one pass over the frames gathers: each Gaussian's occupancy and posterior-weighted sum
 * of features, and the frames' log-likelihood. */
struct mllr_stats {
	double occ[MODEL_GAUSSIANS];
	double sx[MODEL_GAUSSIANS][VL];
	double log_likelihood;
};

/* The floored variances, the log of each Gaussian's normalisation and of each weight. */
struct mllr_model {
	float var[MODEL_GAUSSIANS][VL];
	double log_norm[MODEL_GAUSSIANS];
	double log_weight[MODEL_GAUSSIANS];
};

static void accumulate(const struct mllr_model *m, const float (*mean)[VL],
		       const struct labelled_frames *frames, struct mllr_stats *st)
{
	memset(st, 0, sizeof(*st));
	double lp[MODEL_DENSITIES];
	for (size_t t = 0; t < frames->n; t++) {
		const struct labelled_frame *fr = &frames->f[t];
		for (int s = 0; s < MODEL_STREAMS; s++) {
			const float *x = fr->x + s * VL;
			int g0 = model_gaussian(fr->codebook, s, 0);
			double best = -INFINITY;
			for (int k = 0; k < MODEL_DENSITIES; k++) {
				int g = g0 + k;
				double q = 0;
				for (int d = 0; d < VL; d++) {
					double z = x[d] - mean[g][d];
					q += z * z / m->var[g][d];
				}
				lp[k] = m->log_weight[g] + m->log_norm[g] - 0.5 * q;
				if (lp[k] > best)
					best = lp[k];
			}
			double sum = 0;
			for (int k = 0; k < MODEL_DENSITIES; k++)
				sum += (lp[k] = exp(lp[k] - best));
			st->log_likelihood += best + log(sum);
			for (int k = 0; k < MODEL_DENSITIES; k++) {
				double p = lp[k] / sum;
				if (p < POSTERIOR_MIN)
					continue;
				int g = g0 + k;
				st->occ[g] += p;
				for (int d = 0; d < VL; d++)
					st->sx[g][d] += p * x[d];
			}
		}
	}
}

/* Solve a x = b (n unknowns) by Gaussian elimination with partial pivoting; a and b are
 * overwritten. Returns -1 when a is singular. */
static int solve(int n, double a[][VL + 1], double *b, double *x)
{
	for (int i = 0; i < n; i++) {
		int p = i;
		for (int r = i + 1; r < n; r++)
			if (fabs(a[r][i]) > fabs(a[p][i]))
				p = r;
		if (fabs(a[p][i]) < 1e-12)
			return -1;
		if (p != i) {
			for (int c = 0; c < n; c++) {
				double tmp = a[i][c];
				a[i][c] = a[p][c];
				a[p][c] = tmp;
			}
			double tmp = b[i];
			b[i] = b[p];
			b[p] = tmp;
		}
		for (int r = i + 1; r < n; r++) {
			double f = a[r][i] / a[i][i];
			for (int c = i; c < n; c++)
				a[r][c] -= f * a[i][c];
			b[r] -= f * b[i];
		}
	}
	for (int i = n - 1; i >= 0; i--) {
		double s = b[i];
		for (int c = i + 1; c < n; c++)
			s -= a[i][c] * x[c];
		x[i] = s / a[i][i];
	}
	return 0;
}

/* The transform's rows from the statistics, about the model's original means. A row whose
 * system is singular (a stream no frame reached) is left as the identity's. */
static void solve_transform(const struct mllr_model *m, const struct model_gaussians *model,
			    const struct mllr_stats *st, struct mllr_transform *t)
{
	mllr_identity(t);
	for (int s = 0; s < MODEL_STREAMS; s++)
		for (int i = 0; i < VL; i++) {
			double G[VL + 1][VL + 1] = { { 0 } }, k[VL + 1] = { 0 }, w[VL + 1];
			for (int c = 0; c < MODEL_CODEBOOKS; c++)
				for (int d0 = 0; d0 < MODEL_DENSITIES; d0++) {
					int g = model_gaussian(c, s, d0);
					if (st->occ[g] <= 0)
						continue;
					double xi[VL + 1] = { 1 };
					for (int d = 0; d < VL; d++)
						xi[d + 1] = model->mean[g][d];
					double a = st->occ[g] / m->var[g][i];
					double bb = st->sx[g][i] / m->var[g][i];
					for (int p = 0; p <= VL; p++) {
						k[p] += bb * xi[p];
						for (int q = 0; q <= VL; q++)
							G[p][q] += a * xi[p] * xi[q];
					}
				}
			if (solve(VL + 1, G, k, w) == 0)
				memcpy(t->w[s][i], w, sizeof(w));
		}
}

int mllr_estimate(const struct model_gaussians *model, const float *weight,
		  const struct labelled_frames *frames, int iterations, struct mllr_transform *t,
		  double *before, double *after)
{
	mllr_identity(t);
	if (frames->n == 0)
		return -EDOM;
	struct mllr_model *m = xmalloc(sizeof(*m));
	for (int g = 0; g < MODEL_GAUSSIANS; g++) {
		double l = 0;
		for (int d = 0; d < VL; d++) {
			m->var[g][d] = fmaxf(model->var[g][d], VARIANCE_FLOOR);
			l += log(m->var[g][d]);
		}
		m->log_norm[g] = -0.5 * (l + VL * log(2 * M_PI));
		m->log_weight[g] = log(weight[g] + WEIGHT_FLOOR);
	}
	struct mllr_stats *st = xmalloc(sizeof(*st));
	float(*mean)[VL] = xmalloc(sizeof(model->mean));
	memcpy(mean, model->mean, sizeof(model->mean));
	for (int it = 0; it < iterations; it++) {
		accumulate(m, (const float(*)[VL])mean, frames, st);
		if (it == 0 && before)
			*before = st->log_likelihood / (double)frames->n;
		solve_transform(m, model, st, t);
		mllr_apply(t, model, mean);
	}
	if (after || (before && iterations == 0)) {
		accumulate(m, (const float(*)[VL])mean, frames, st);
		if (before && iterations == 0)
			*before = st->log_likelihood / (double)frames->n;
		if (after)
			*after = st->log_likelihood / (double)frames->n;
	}
	free(mean);
	free(st);
	free(m);
	return 0;
}

int mllr_write(const struct mllr_transform *t, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return errf(err, errlen, -EIO, "%s: cannot write the transform there", path);
	fprintf(f, "1\n%d\n", MODEL_STREAMS);
	for (int s = 0; s < MODEL_STREAMS; s++) {
		fprintf(f, "%d\n", VL);
		for (int i = 0; i < VL; i++) {
			for (int d = 0; d < VL; d++)
				fprintf(f, "%.9g ", t->w[s][i][d + 1]);
			fputc('\n', f);
		}
		for (int i = 0; i < VL; i++)
			fprintf(f, "%.9g ", t->w[s][i][0]);
		fputc('\n', f);
		for (int i = 0; i < VL; i++)
			fputs("1 ", f);
		fputc('\n', f);
	}
	if (ferror(f) | fclose(f))
		return errf(err, errlen, -EIO,
			    "%s: could not write the transform (is the disk full?)", path);
	return 0;
}
