/* The sink interface (blocks, abort checks, resampling at the sink), and the null and memory
 * sinks (the WAV file sink is in sndfile.c). */
#include "audio.h"
#include "audio_internal.h"
#include "log.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct audio_sink *audio_sink_new(const struct audio_sink_ops *ops, void *impl, const char *name,
				  int rate_hz)
{
	struct audio_sink *sink = xcalloc(1, sizeof(*sink));
	sink->ops = ops;
	sink->impl = impl;
	sink->name = xstrdup(name ? name : "");
	sink->rate_hz = rate_hz;
	sink->block_ms = AUDIO_BLOCK_MS_DEFAULT;
	return sink;
}

void audio_sink_set_abort(struct audio_sink *sink, audio_abort_fn fn, void *userdata)
{
	sink->abort_fn = fn;
	sink->abort_userdata = userdata;
}

int audio_sink_should_abort(struct audio_sink *sink)
{
	return sink->abort_fn ? sink->abort_fn(sink->abort_userdata) : 0;
}

static int write_native(struct audio_sink *sink, const int16_t *s, size_t n, char *err,
			size_t errlen)
{
	if (n == 0)
		return 0;
	int r = sink->ops->write(sink, s, n, err, errlen);
	if (r == 0)
		sink->position += n;
	return r;
}

int audio_sink_write(struct audio_sink *sink, const int16_t *samples, size_t n, int rate_hz,
		     size_t *played, char *err, size_t errlen)
{
	if (played)
		*played = 0;
	if (!audio_rate_valid(rate_hz))
		return errf(err, errlen, -EINVAL, "%s: cannot play samples at %d Hz", sink->name,
			    rate_hz);
	if (sink->rate_hz == 0)
		sink->rate_hz = rate_hz;
	if (rate_hz != sink->rate_hz && (!sink->rs || sink->rs_in_rate != rate_hz)) {
		/* A new input rate in the middle of a reply: finish the old one's tail first. */
		if (sink->rs) {
			size_t conv_n = 0;
			audio_resampler_flush(sink->rs, &sink->conv, &conv_n, &sink->conv_cap);
			int r = write_native(sink, sink->conv, conv_n, err, errlen);
			audio_resampler_destroy(sink->rs);
			sink->rs = NULL;
			if (r < 0)
				return r;
		}
		int r = audio_resampler_create(rate_hz, sink->rate_hz, 5, &sink->rs, err, errlen);
		if (r < 0)
			return r;
		sink->rs_in_rate = rate_hz;
	}
	size_t block = (size_t)rate_hz * (size_t)sink->block_ms / 1000;
	if (block == 0)
		block = 1;
	size_t done = 0;
	while (done < n) {
		if (audio_sink_should_abort(sink)) {
			audio_sink_stop(sink);
			if (played)
				*played = done;
			return 1;
		}
		size_t k = n - done < block ? n - done : block;
		int r;
		if (rate_hz == sink->rate_hz) {
			r = write_native(sink, samples + done, k, err, errlen);
		} else {
			size_t conv_n = 0;
			audio_resampler_process(sink->rs, samples + done, k, &sink->conv, &conv_n,
						&sink->conv_cap);
			r = write_native(sink, sink->conv, conv_n, err, errlen);
		}
		if (r < 0) {
			if (played)
				*played = done;
			return r;
		}
		done += k;
	}
	if (played)
		*played = done;
	return 0;
}

int audio_sink_finish(struct audio_sink *sink, char *err, size_t errlen)
{
	if (sink->rs) {
		size_t conv_n = 0;
		audio_resampler_flush(sink->rs, &sink->conv, &conv_n, &sink->conv_cap);
		int r = write_native(sink, sink->conv, conv_n, err, errlen);
		if (r < 0)
			return r;
	}
	if (!sink->ops->finish)
		return 0;
	return sink->ops->finish(sink, err, errlen);
}

void audio_sink_stop(struct audio_sink *sink)
{
	if (sink->rs) {
		/* Forget the resampler's history: the next reply starts clean. */
		size_t conv_n = 0;
		audio_resampler_flush(sink->rs, &sink->conv, &conv_n, &sink->conv_cap);
	}
	if (sink->ops->stop)
		sink->ops->stop(sink);
}

double audio_sink_latency_s(const struct audio_sink *sink)
{
	return sink->ops->latency_s ? sink->ops->latency_s(sink) : 0;
}

uint64_t audio_sink_position(const struct audio_sink *sink)
{
	return sink->position;
}

int audio_sink_rate(const struct audio_sink *sink)
{
	return sink->rate_hz;
}

const char *audio_sink_name(const struct audio_sink *sink)
{
	return sink->name;
}

int audio_sink_reopen(struct audio_sink *sink, char *err, size_t errlen)
{
	if (!sink->ops->reopen)
		return errf(err, errlen, -ENOTSUP, "%s: only a sound device can be reopened",
			    sink->name);
	return sink->ops->reopen(sink, err, errlen);
}

void audio_sink_close(struct audio_sink *sink)
{
	if (sink->ops->close)
		sink->ops->close(sink);
}

void audio_sink_destroy(struct audio_sink *sink)
{
	if (!sink)
		return;
	/* A file or memory sink gets the resampler's tail too; a device (it has a stop) is simply
	 * closed. */
	if (sink->rs && sink->ops->stop == NULL) {
		size_t conv_n = 0;
		audio_resampler_flush(sink->rs, &sink->conv, &conv_n, &sink->conv_cap);
		write_native(sink, sink->conv, conv_n, NULL, 0);
	}
	if (sink->ops && sink->ops->destroy)
		sink->ops->destroy(sink);
	audio_resampler_destroy(sink->rs);
	free(sink->conv);
	free(sink->mem);
	free(sink->name);
	free(sink);
}

/* ---- null and memory ------------------------------------------------------------------------- */

static int null_write(struct audio_sink *sink, const int16_t *samples, size_t n, char *err,
		      size_t errlen)
{
	return 0;
}

static const struct audio_sink_ops null_ops = {
	.write = null_write,
};

int audio_sink_open_null(struct audio_sink **out, char *err, size_t errlen)
{
	*out = audio_sink_new(&null_ops, NULL, "null", 0);
	(*out)->block_ms = AUDIO_BLOCK_MS_UNPACED;
	return 0;
}

static int memory_write(struct audio_sink *sink, const int16_t *samples, size_t n, char *err,
			size_t errlen)
{
	if (sink->mem_n + n > sink->mem_cap) {
		size_t cap = sink->mem_cap ? sink->mem_cap : 4096;
		while (cap < sink->mem_n + n)
			cap *= 2;
		sink->mem = xreallocarray(sink->mem, cap, sizeof(*sink->mem));
		sink->mem_cap = cap;
	}
	memcpy(sink->mem + sink->mem_n, samples, n * sizeof(*samples));
	sink->mem_n += n;
	return 0;
}

static const struct audio_sink_ops memory_ops = {
	.write = memory_write,
};

int audio_sink_open_memory(int rate_hz, struct audio_sink **out, char *err, size_t errlen)
{
	*out = NULL;
	if (rate_hz != 0 && !audio_rate_valid(rate_hz))
		return errf(err, errlen, -EINVAL, "memory sink: sample rate %d Hz is not supported",
			    rate_hz);
	*out = audio_sink_new(&memory_ops, NULL, "memory", rate_hz);
	(*out)->is_memory = true;
	(*out)->block_ms = AUDIO_BLOCK_MS_UNPACED;
	return 0;
}

const int16_t *audio_sink_memory_samples(const struct audio_sink *sink, size_t *n, int *rate_hz)
{
	if (!sink->is_memory) {
		if (n)
			*n = 0;
		if (rate_hz)
			*rate_hz = 0;
		return NULL;
	}
	if (n)
		*n = sink->mem_n;
	if (rate_hz)
		*rate_hz = sink->rate_hz;
	return sink->mem;
}
