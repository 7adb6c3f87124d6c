/* The source interface, and the file and memory sources. */
#include "audio.h"
#include "audio_internal.h"
#include "log.h"

#include <errno.h>
#include <sndfile.h>
#include <stdlib.h>
#include <string.h>

struct audio_source *audio_source_new(const struct audio_source_ops *ops, void *impl,
				      const char *name)
{
	struct audio_source *src = xcalloc(1, sizeof(*src));
	src->ops = ops;
	src->impl = impl;
	src->name = xstrdup(name ? name : "");
	return src;
}

static int do_read(struct audio_source *src, int16_t *buf, size_t max, size_t *n_read, bool wait,
		   char *err, size_t errlen)
{
	*n_read = 0;
	if (max == 0)
		return 0;
	int r = src->ops->read(src, buf, max, n_read, wait, err, errlen);
	src->position += *n_read;
	return r;
}

int audio_source_read(struct audio_source *src, int16_t *buf, size_t max, size_t *n_read, char *err,
		      size_t errlen)
{
	return do_read(src, buf, max, n_read, true, err, errlen);
}

int audio_source_read_available(struct audio_source *src, int16_t *buf, size_t max,
				size_t *n_read, char *err, size_t errlen)
{
	return do_read(src, buf, max, n_read, false, err, errlen);
}

uint64_t audio_source_position(const struct audio_source *src)
{
	return src->position;
}

uint64_t audio_source_dropped(const struct audio_source *src)
{
	return src->ops->dropped ? src->ops->dropped(src) : 0;
}

const char *audio_source_name(const struct audio_source *src)
{
	return src->name;
}

int audio_source_reopen(struct audio_source *src, char *err, size_t errlen)
{
	if (!src->ops->reopen)
		return errf(err, errlen, -ENOTSUP, "%s: only a sound device can be reopened",
			    src->name);
	return src->ops->reopen(src, err, errlen);
}

void audio_source_destroy(struct audio_source *src)
{
	if (!src)
		return;
	if (src->ops && src->ops->destroy)
		src->ops->destroy(src);
	free(src->name);
	free(src);
}

/* ---- memory ---------------------------------------------------------------------------------- */

/* The samples, already at AUDIO_RATE_HZ; `next` is the read position. */
struct memory_source {
	int16_t *samples;
	size_t n, cap, next;
};

static int memory_read(struct audio_source *src, int16_t *buf, size_t max, size_t *n_read,
		       bool wait, char *err, size_t errlen)
{
	struct memory_source *m = src->impl;
	size_t k = m->n - m->next;
	if (k > max)
		k = max;
	memcpy(buf, m->samples + m->next, k * sizeof(*buf));
	m->next += k;
	*n_read = k;
	return 0;
}

static void memory_destroy(struct audio_source *src)
{
	struct memory_source *m = src->impl;
	if (m)
		free(m->samples);
	free(m);
}

static const struct audio_source_ops memory_ops = {
	.read = memory_read,
	.destroy = memory_destroy,
};

int audio_source_open_memory(const int16_t *samples, size_t n, int rate_hz, const char *name,
			     struct audio_source **out, char *err, size_t errlen)
{
	*out = NULL;
	struct audio_source *src = audio_source_new(
	    &memory_ops, xcalloc(1, sizeof(struct memory_source)), name ? name : "memory");
	src->is_memory = true;
	int r = audio_source_memory_append(src, samples, n, rate_hz, err, errlen);
	if (r < 0) {
		audio_source_destroy(src);
		return r;
	}
	*out = src;
	return 0;
}

int audio_source_memory_append(struct audio_source *src, const int16_t *samples, size_t n,
			       int rate_hz, char *err, size_t errlen)
{
	if (!src->is_memory)
		return errf(err, errlen, -EINVAL,
			    "%s: samples can only be appended to a memory source", src->name);
	if (!audio_rate_valid(rate_hz))
		return errf(err, errlen, -EINVAL,
			    "%s: sample rate %d Hz is not supported (use 1000 to 384000 Hz)",
			    src->name, rate_hz);
	struct memory_source *m = src->impl;
	int16_t *conv = NULL;
	size_t conv_n = 0;
	audio_resample_all(samples, n, rate_hz, AUDIO_RATE_HZ, &conv, &conv_n);
	/* Drop what was read already, so a long conversation of appended turns stays small. */
	if (m->next > 0) {
		memmove(m->samples, m->samples + m->next, (m->n - m->next) * sizeof(*m->samples));
		m->n -= m->next;
		m->next = 0;
	}
	if (m->n + conv_n > m->cap) {
		m->cap = m->n + conv_n;
		m->samples = xreallocarray(m->samples, m->cap ? m->cap : 1, sizeof(*m->samples));
	}
	if (conv_n)
		memcpy(m->samples + m->n, conv, conv_n * sizeof(*conv));
	m->n += conv_n;
	free(conv);
	return 0;
}

/* ---- file (libsndfile) ----------------------------------------------------------------------- */

#define FILE_BLOCK 4096 /* frames read from the file at a time */

struct file_source {
	SNDFILE *sf;
	SF_INFO info;
	float *frames;            /* FILE_BLOCK * channels */
	int16_t mono[FILE_BLOCK];
	struct audio_resampler *rs; /* NULL when the file is at AUDIO_RATE_HZ */
	int16_t *pending;         /* converted, not yet delivered */
	size_t pending_n, pending_next, pending_cap;
	bool eof;
};

static int16_t to_s16(float v)
{
	float s = v * 32768.0f;
	if (s > 32767.0f)
		return 32767;
	if (s < -32768.0f)
		return -32768;
	return (int16_t)(s < 0 ? s - 0.5f : s + 0.5f);
}

/* Refill `pending` with the next block of the file, converted. */
static int file_fill(struct audio_source *src, char *err, size_t errlen)
{
	struct file_source *f = src->impl;
	f->pending_n = f->pending_next = 0;
	while (f->pending_n == 0 && !f->eof) {
		sf_count_t got = sf_readf_float(f->sf, f->frames, FILE_BLOCK);
		if (got < 0 || sf_error(f->sf) != SF_ERR_NO_ERROR)
			return errf(err, errlen, -EINVAL, "%s: cannot read the audio (%s)",
				    src->name, sf_strerror(f->sf));
		int ch = f->info.channels;
		for (sf_count_t i = 0; i < got; i++) {
			float sum = 0;
			for (int c = 0; c < ch; c++)
				sum += f->frames[i * ch + c];
			f->mono[i] = to_s16(sum / (float)ch);
		}
		if (got < FILE_BLOCK)
			f->eof = true;
		if (f->rs) {
			audio_resampler_process(f->rs, f->mono, (size_t)got, &f->pending,
						&f->pending_n, &f->pending_cap);
			if (f->eof)
				audio_resampler_flush(f->rs, &f->pending, &f->pending_n,
						      &f->pending_cap);
		} else {
			if (f->pending_cap < (size_t)got) {
				f->pending =
				    xreallocarray(f->pending, FILE_BLOCK, sizeof(*f->pending));
				f->pending_cap = FILE_BLOCK;
			}
			memcpy(f->pending, f->mono, (size_t)got * sizeof(*f->pending));
			f->pending_n = (size_t)got;
		}
	}
	return 0;
}

static int file_read(struct audio_source *src, int16_t *buf, size_t max, size_t *n_read, bool wait,
		     char *err, size_t errlen)
{
	struct file_source *f = src->impl;
	size_t done = 0;
	while (done < max) {
		if (f->pending_next == f->pending_n) {
			if (f->eof)
				break;
			int r = file_fill(src, err, errlen);
			if (r < 0) {
				*n_read = done;
				return r;
			}
			if (f->pending_n == 0)
				break;
		}
		size_t k = f->pending_n - f->pending_next;
		if (k > max - done)
			k = max - done;
		memcpy(buf + done, f->pending + f->pending_next, k * sizeof(*buf));
		f->pending_next += k;
		done += k;
	}
	*n_read = done;
	return 0;
}

static void file_destroy(struct audio_source *src)
{
	struct file_source *f = src->impl;
	if (!f)
		return;
	if (f->sf)
		sf_close(f->sf);
	audio_resampler_destroy(f->rs);
	free(f->frames);
	free(f->pending);
	free(f);
}

static const struct audio_source_ops file_ops = {
	.read = file_read,
	.destroy = file_destroy,
};

int audio_source_open_file(const char *path, struct audio_source **out, char *err, size_t errlen)
{
	*out = NULL;
	struct file_source *f = xcalloc(1, sizeof(*f));
	struct audio_source *src = audio_source_new(&file_ops, f, path);
	int r;
	FILE *probe = fopen(path, "rb");
	if (!probe) {
		r = errf(err, errlen, errno == ENOENT ? -ENOENT : -EINVAL, "%s: cannot open (%s)",
			 path, strerror(errno));
		goto fail;
	}
	fclose(probe);
	f->sf = sf_open(path, SFM_READ, &f->info);
	if (!f->sf) {
		r = errf(err, errlen, -EINVAL,
			 "%s: not an audio file libsndfile can read (%s) (convert it to WAV, e.g. "
			 "with sox)", path, sf_strerror(NULL));
		goto fail;
	}
	if (f->info.channels < 1 || f->info.channels > 64) {
		r = errf(err, errlen, -EINVAL, "%s: %d channels is not supported (use 1 to 64)",
			 path, f->info.channels);
		goto fail;
	}
	if (!audio_rate_valid(f->info.samplerate)) {
		r = errf(
		    err, errlen, -EINVAL,
		    "%s: sample rate %d Hz is not supported (resample it to 16000 Hz, e.g. with "
		    "sox)",
		    path, f->info.samplerate);
		goto fail;
	}
	f->frames =
	    xreallocarray(NULL, (size_t)FILE_BLOCK * (size_t)f->info.channels, sizeof(float));
	if (f->info.samplerate != AUDIO_RATE_HZ) {
		r = audio_resampler_create(f->info.samplerate, AUDIO_RATE_HZ, 5, &f->rs, err,
					   errlen);
		if (r < 0)
			goto fail;
	}
	*out = src;
	return 0;
fail:
	audio_source_destroy(src);
	return r;
}
