/* The source interface, and the memory source (the file source is in sndfile.c). */
#include "audio.h"
#include "audio_internal.h"
#include "log.h"

#include <errno.h>
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

void audio_source_close(struct audio_source *src)
{
	if (src->ops->close)
		src->ops->close(src);
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
			    "%s: sample rate %d Hz is not supported (use %d to %d Hz)", src->name,
			    rate_hz, AUDIO_RATE_MIN_HZ, AUDIO_RATE_MAX_HZ);
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
