/* What the source and sink implementations share: the vtables behind the opaque handles of
 * audio.h. Not installed, not for voice/. */
#pragma once

#include "audio.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct audio_source_ops {
	/* Read up to max samples at AUDIO_RATE_HZ; wait says whether a device may block. */
	int (*read)(struct audio_source *src, int16_t *buf, size_t max, size_t *n_read, bool wait,
		    char *err, size_t errlen);
	int (*reopen)(struct audio_source *src, char *err, size_t errlen);
	uint64_t (*dropped)(const struct audio_source *src);
	void (*destroy)(struct audio_source *src); /* frees impl only */
};

struct audio_source {
	const struct audio_source_ops *ops;
	void *impl;
	char *name;
	uint64_t position;
	bool is_memory;
};

/* Takes ownership of impl (ops->destroy frees it) and copies name. */
struct audio_source *audio_source_new(const struct audio_source_ops *ops, void *impl,
				      const char *name);

struct audio_sink_ops {
	/* Write n samples at the sink's own rate (sink->rate_hz). 0 or -EIO. */
	int (*write)(struct audio_sink *sink, const int16_t *samples, size_t n, char *err,
		     size_t errlen);
	/* After the last block of a reply: let it be heard, stop. 0, 1 (aborted) or -EIO. NULL:
	 * no-op. */
	int (*finish)(struct audio_sink *sink, char *err, size_t errlen);
	/* Drop queued audio at once. NULL: no-op. */
	void (*stop)(struct audio_sink *sink);
	double (*latency_s)(const struct audio_sink *sink);
	int (*reopen)(struct audio_sink *sink, char *err, size_t errlen);
	void (*destroy)(struct audio_sink *sink); /* frees impl only, closes files */
};

struct audio_sink {
	const struct audio_sink_ops *ops;
	void *impl;
	char *name;
	int rate_hz;             /* 0 until the first write for file/memory sinks */
	int block_ms;            /* abort check granularity */
	uint64_t position;       /* samples at rate_hz given to ops->write */
	audio_abort_fn abort_fn;
	void *abort_userdata;
	/* The resampler for writes at another rate, kept across writes of one reply and flushed by
	 * audio_sink_finish. */
	struct audio_resampler *rs;
	int rs_in_rate;
	int16_t *conv;
	size_t conv_cap;
	/* memory sink */
	int16_t *mem;
	size_t mem_n, mem_cap;
	bool is_memory;
};

struct audio_sink *audio_sink_new(const struct audio_sink_ops *ops, void *impl, const char *name,
				  int rate_hz);
/* Check the abort function: non-zero to stop. */
int audio_sink_should_abort(struct audio_sink *sink);

/* A rate the resampler and the files accept. */
bool audio_rate_valid(int rate_hz);
