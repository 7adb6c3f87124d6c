/* Debian's en-us acoustic model read from its files (acoustic_model.h). The formats are
 * PocketSphinx's own, which has no public call that reads them: a Sphinx-3 Gaussian file (text
 * header, then int32 counts and float32 values), the binary model definition (bin_mdef.c's
 * "BMDF") and the senone dump of quantised mixture weights (ptm_mgau.c's read_sendump). */
#include "acoustic_model.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

/* A whole file in memory, and how far it has been read. */
struct blob {
	const char *path;
	unsigned char *data;
	size_t size, at;
};

static int blob_read(struct blob *b, const char *dir, const char *name, char *path, size_t pathlen,
		     char *err, size_t errlen)
{
	snprintf(path, pathlen, "%s/%s", dir, name);
	b->path = path;
	b->data = NULL;
	b->size = b->at = 0;
	FILE *f = fopen(path, "rb");
	if (!f)
		return errf(
		    err, errlen, -ENOENT,
		    "%s: cannot open the acoustic model's file (is pocketsphinx-en-us installed?)",
		    path);
	size_t cap = 1 << 20;
	b->data = xmalloc(cap);
	size_t got;
	while ((got = fread(b->data + b->size, 1, cap - b->size, f)) > 0) {
		b->size += got;
		if (b->size == cap)
			b->data = xrealloc(b->data, cap *= 2);
	}
	int bad = ferror(f);
	fclose(f);
	if (bad)
		return errf(err, errlen, -EIO, "%s: read error", path);
	return 0;
}

static int blob_take(struct blob *b, void *out, size_t n)
{
	if (b->size - b->at < n)
		return -1;
	memcpy(out, b->data + b->at, n);
	b->at += n;
	return 0;
}

static int blob_int(struct blob *b, int32_t *v)
{
	return blob_take(b, v, sizeof(*v));
}

static int cut_short(const struct blob *b, char *err, size_t errlen, const char *what)
{
	return errf(err, errlen, -EINVAL, "%s: cut short before %s (reinstall pocketsphinx-en-us)",
		    b->path, what);
}

/* ---- means and variances: "s3" text header to "endhdr", byte-order magic, counts, values ---- */

static int gaussians_read(const char *dir, const char *name, float (*out)[MODEL_STREAM_LENGTH],
			  char *err, size_t errlen)
{
	char path[4096];
	struct blob b;
	int r = blob_read(&b, dir, name, path, sizeof(path), err, errlen);
	if (r < 0)
		goto done;
	const char *end = b.size > 3 ? memmem(b.data, b.size, "endhdr\n", 7) : NULL;
	if (memcmp(b.data, "s3\n", b.size < 3 ? b.size : 3) != 0 || b.size < 3 || !end) {
		r = errf(err, errlen, -EINVAL, "%s: not a Sphinx-3 Gaussian file (no s3 header)",
			 path);
		goto done;
	}
	b.at = (size_t)(end - (const char *)b.data) + 7;
	int32_t magic = 0, n_mgau = 0, n_feat = 0, n_density = 0, len[MODEL_STREAMS] = { 0 },
		count = 0;
	if (blob_int(&b, &magic) < 0 || blob_int(&b, &n_mgau) < 0 || blob_int(&b, &n_feat) < 0 ||
	    blob_int(&b, &n_density) < 0) {
		r = cut_short(&b, err, errlen, "its counts");
		goto done;
	}
	if (magic != 0x11223344) {
		r = errf(err, errlen, -EINVAL,
			 "%s: written in another byte order than this machine's", path);
		goto done;
	}
	if (n_mgau != MODEL_CODEBOOKS || n_feat != MODEL_STREAMS || n_density != MODEL_DENSITIES) {
		r = errf(err, errlen, -EINVAL,
			 "%s: %d codebooks of %d streams of %d Gaussians: expected the en-us "
			 "model's %d, %d, %d",
			 path, n_mgau, n_feat, n_density, MODEL_CODEBOOKS, MODEL_STREAMS,
			 MODEL_DENSITIES);
		goto done;
	}
	for (int s = 0; s < MODEL_STREAMS; s++)
		if (blob_int(&b, &len[s]) < 0 || len[s] != MODEL_STREAM_LENGTH) {
			r = errf(err, errlen, -EINVAL, "%s: stream %d is not %d numbers long", path,
				 s, MODEL_STREAM_LENGTH);
			goto done;
		}
	if (blob_int(&b, &count) < 0 || count != MODEL_GAUSSIANS * MODEL_STREAM_LENGTH) {
		r = errf(err, errlen, -EINVAL, "%s: holds %d numbers, expected %d", path, count,
			 MODEL_GAUSSIANS * MODEL_STREAM_LENGTH);
		goto done;
	}
	if (blob_take(&b, out, (size_t)count * sizeof(float)) < 0)
		r = cut_short(&b, err, errlen, "the end of its values");
done:
	free(b.data);
	return r;
}

int model_gaussians_read(const char *dir, struct model_gaussians *g, char *err, size_t errlen)
{
	int r = gaussians_read(dir, "means", g->mean, err, errlen);
	return r < 0 ? r : gaussians_read(dir, "variances", g->var, err, errlen);
}

/* ---- mdef: each senone's base phone, which is its codebook in this model ------------------- */

static int senone_codebooks(const char *dir, int **sen2cb, int *n_sen, char *err, size_t errlen)
{
	char path[4096];
	struct blob b;
	*sen2cb = NULL;
	int r = blob_read(&b, dir, "mdef", path, sizeof(path), err, errlen);
	if (r < 0)
		goto done;
	int32_t magic = 0, version = 0, desc_len = 0, h[10] = { 0 };
	if (blob_int(&b, &magic) < 0 || memcmp(&magic, "BMDF", 4) != 0 ||
	    blob_int(&b, &version) < 0 || blob_int(&b, &desc_len) < 0 || desc_len < 0 ||
	    (size_t)desc_len > b.size - b.at) {
		r = errf(err, errlen, -EINVAL,
			 "%s: not a binary model definition of this byte order (no BMDF)", path);
		goto done;
	}
	b.at += (size_t)desc_len;
	for (int i = 0; i < 10; i++)
		if (blob_int(&b, &h[i]) < 0) {
			r = cut_short(&b, err, errlen, "its counts");
			goto done;
		}
	int32_t n_ciphone = h[0], n_phone = h[1], n_emit = h[2], n_sen_ = h[4], n_sseq = h[6];
	int32_t n_cd_tree = h[8];
	if (n_ciphone != MODEL_CODEBOOKS || n_emit <= 0 || n_phone < n_ciphone || n_sen_ <= 0 ||
	    n_sseq <= 0 || n_cd_tree < 0) {
		r = errf(err, errlen, -EINVAL,
			 "%s: %d base phones, %d states a phone: expected the en-us model's %d, "
			 "and states of one length",
			 path, n_ciphone, n_emit, MODEL_CODEBOOKS);
		goto done;
	}
	/* The phones' names, padded to 4 bytes; the tree of contexts (8 bytes a node). */
	for (int i = 0; i < n_ciphone; i++) {
		const unsigned char *nul = memchr(b.data + b.at, 0, b.size - b.at);
		if (!nul) {
			r = cut_short(&b, err, errlen, "the phones' names end");
			goto done;
		}
		b.at = (size_t)(nul - b.data) + 1;
	}
	b.at = (b.at + 3) & ~(size_t)3;
	size_t phones_at = b.at + (size_t)n_cd_tree * 8;
	size_t sseq_at = phones_at + (size_t)n_phone * 12 + 4; /* after the int32 count of sseq */
	size_t n_sseq_values = (size_t)n_sseq * (size_t)n_emit;
	if (sseq_at > b.size || (b.size - sseq_at) / 2 < n_sseq_values) {
		r = cut_short(&b, err, errlen, "the senone sequences");
		goto done;
	}
	int *map = xmalloc((size_t)n_sen_ * sizeof(*map));
	for (int i = 0; i < n_sen_; i++)
		map[i] = -1;
	/* A phone: int32 senone sequence, int32 transition matrix, then for a triphone its word
	 * position and its base, left and right phones (a base phone is its own base). */
	for (int32_t p = 0; p < n_phone && r == 0; p++) {
		const unsigned char *e = b.data + phones_at + (size_t)p * 12;
		int32_t ssid;
		memcpy(&ssid, e, sizeof(ssid));
		int base = p < n_ciphone ? p : e[9];
		if (ssid < 0 || ssid >= n_sseq || base >= n_ciphone) {
			r = errf(
			    err, errlen, -EINVAL,
			    "%s: phone %d names a senone sequence or base phone it does not have",
			    path, p);
			break;
		}
		for (int j = 0; j < n_emit; j++) {
			uint16_t s;
			memcpy(&s,
			       b.data + sseq_at + 2 * ((size_t)ssid * (size_t)n_emit + (size_t)j),
			       sizeof(s));
			if (s >= n_sen_) {
				r = errf(err, errlen, -EINVAL,
					 "%s: senone %u past the %d there are", path, s, n_sen_);
				break;
			}
			if (map[s] < 0)
				map[s] = base;
		}
	}
	for (int i = 0; r == 0 && i < n_sen_; i++)
		if (map[i] < 0)
			r = errf(err, errlen, -EINVAL, "%s: senone %d belongs to no phone", path,
				 i);
	if (r < 0)
		free(map);
	else {
		*sen2cb = map;
		*n_sen = n_sen_;
	}
done:
	free(b.data);
	return r;
}

/* ---- sendump: header strings, then per stream and density a byte per senone --------------- */

/* A byte of sendump is a weight's negative log in PocketSphinx's units (base 1.0001, the
 * default -logbase) shifted right by 10 bits (SENSCR_SHIFT). */
static double sendump_weight(unsigned char q)
{
	return exp(-(double)q * 1024.0 * log(1.0001));
}

int model_codebook_weights(const char *dir, float *weight, char *err, size_t errlen)
{
	int *sen2cb = NULL, n_sen = 0;
	int r = senone_codebooks(dir, &sen2cb, &n_sen, err, errlen);
	if (r < 0)
		return r;
	char path[4096];
	struct blob b;
	double *sum = NULL;
	if ((r = blob_read(&b, dir, "sendump", path, sizeof(path), err, errlen)) < 0)
		goto done;
	int n_feat = -1, n_clust = 0;
	for (;;) {
		int32_t len;
		if (blob_int(&b, &len) < 0 || len < 0 || (size_t)len > b.size - b.at) {
			r = cut_short(&b, err, errlen, "its header ends");
			goto done;
		}
		if (len == 0)
			break;
		/* Not every string ends in a NUL (the model's last one is a padding "!!!"). */
		char line[256];
		snprintf(line, sizeof(line), "%.*s", (int)(len < 255 ? len : 255),
			 (const char *)b.data + b.at);
		if (!strncmp(line, "feature_count ", 14))
			n_feat = atoi(line + 14);
		else if (!strncmp(line, "cluster_count ", 14))
			n_clust = atoi(line + 14);
		b.at += (size_t)len;
	}
	int32_t rows = 0, cols = 0;
	if (n_feat != MODEL_STREAMS || n_clust != 0 || blob_int(&b, &rows) < 0 ||
	    blob_int(&b, &cols) < 0 || rows != MODEL_DENSITIES || cols != n_sen) {
		r = errf(err, errlen, -EINVAL,
			 "%s: expected %d streams of %d weights for each of mdef's %d senones, "
			 "unclustered",
			 path, MODEL_STREAMS, MODEL_DENSITIES, n_sen);
		goto done;
	}
	if ((b.size - b.at) / (size_t)n_sen < (size_t)MODEL_STREAMS * MODEL_DENSITIES) {
		r = cut_short(&b, err, errlen, "the end of its weights");
		goto done;
	}
	int count[MODEL_CODEBOOKS] = { 0 };
	for (int s = 0; s < n_sen; s++)
		count[sen2cb[s]]++;
	sum = xcalloc(MODEL_GAUSSIANS, sizeof(*sum));
	const unsigned char *q = b.data + b.at;
	for (int f = 0; f < MODEL_STREAMS; f++)
		for (int k = 0; k < MODEL_DENSITIES; k++, q += n_sen)
			for (int s = 0; s < n_sen; s++)
				sum[model_gaussian(sen2cb[s], f, k)] += sendump_weight(q[s]);
	/* The quantised weights of a senone sum to a little less than 1: scaled back to 1. */
	for (int c = 0; c < MODEL_CODEBOOKS; c++)
		for (int f = 0; f < MODEL_STREAMS; f++) {
			double total = 0;
			for (int k = 0; count[c] > 0 && k < MODEL_DENSITIES; k++)
				total += sum[model_gaussian(c, f, k)] / count[c];
			for (int k = 0; k < MODEL_DENSITIES; k++) {
				int g = model_gaussian(c, f, k);
				weight[g] = total > 0 ? (float)(sum[g] / count[c] / total)
						      : 1.0f / MODEL_DENSITIES;
			}
		}
done:
	free(sum);
	free(b.data);
	free(sen2cb);
	return r;
}
