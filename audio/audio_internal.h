/* What the files of audio/ share: the vtables behind the opaque handles of audio.h, the
 * microphone's ring, and the small wrappers around alsa-lib and PortAudio's messages. Not
 * installed, not for voice/. */
#pragma once

#include "audio.h"

#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The rates the resampler and the files accept. */
#define AUDIO_RATE_MIN_HZ 1000
#define AUDIO_RATE_MAX_HZ 384000
/* A sink's write block, how often its abort check runs: a device's default. */
#define AUDIO_BLOCK_MS_DEFAULT 20
/* The block of sinks that never wait (file, memory, null): big, so long writes stay cheap. */
#define AUDIO_BLOCK_MS_UNPACED 1000

struct audio_source_ops {
	/* Read up to max samples at AUDIO_RATE_HZ; wait says whether a device may block. */
	int (*read)(struct audio_source *src, int16_t *buf, size_t max, size_t *n_read, bool wait,
		    char *err, size_t errlen);
	int (*reopen)(struct audio_source *src, char *err, size_t errlen);
	void (*close)(struct audio_source *src); /* NULL: no-op */
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
	void (*close)(struct audio_sink *sink); /* NULL: no-op */
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

/* ---- the microphone's ring (ring.c): one writer thread, one reader thread, no lock ---------- */

struct audio_ring {
	int16_t *buf;
	size_t cap; /* a power of two */
	atomic_size_t w, r;
	atomic_uint_fast64_t dropped;
};

/* Empty, with no buffer. */
void audio_ring_init(struct audio_ring *ring);
/* Empty it, with room for at least `samples` (allocates: the reader's side, stream stopped). */
void audio_ring_reset(struct audio_ring *ring, size_t samples);
/* The writer: `frames` of `channels` (1 or 2, mixed to mono) in; what does not fit is dropped
 * and counted. Never allocates, locks or logs (PortAudio's callback). */
void audio_ring_push(struct audio_ring *ring, const int16_t *in, size_t frames, int channels);
/* The reader: samples waiting, and up to `max` of them out, oldest first (returns how many). */
size_t audio_ring_available(struct audio_ring *ring);
size_t audio_ring_pop(struct audio_ring *ring, int16_t *out, size_t max);
/* Samples dropped because the reader was late, since audio_ring_init. */
uint64_t audio_ring_dropped(struct audio_ring *ring);
/* Free the buffer. */
void audio_ring_done(struct audio_ring *ring);

/* ---- alsa-lib (alsa.c) ----------------------------------------------------------------------- */

/* Silence alsa-lib's and libjack's messages ("ALSA lib pcm.c:... Unknown PCM", "jack server is
 * not running"), which PortAudio's probing prints by the hundred on a machine without sound. For
 * the process's life: call before Pa_Initialize. */
void audio_alsa_messages_silence(void);
/* Whether ALSA's configuration defines pcm.default: PortAudio 19.6 aborts the process (an
 * assertion in its ALSA device list) when it does not. Returns 0, -ENODEV or -EIO with err. */
int audio_alsa_default_check(char *err, size_t errlen);
/* The ALSA sound card `spec` names by its id (as in /proc/asound/cards: "Headset") or number:
 * its number, with its name ("Logitech USB Headset") in `name`; -ENOENT when there is none. */
int audio_alsa_card_find(const char *spec, char *name, size_t namelen);
/* Open and close the ALSA PCM `pcm_name` ("hw:1", or a PCM of ALSA's configuration) for capture
 * or playback, without waiting: 0, or alsa-lib's negative errno (-EBUSY: another program has it
 * open; -ENOENT: no such PCM). */
int audio_alsa_pcm_try(const char *pcm_name, bool input);

/* ---- PortAudio's own lines on stderr (stderr_filter.c) --------------------------------------- */

/* Replace stdio's stderr by a line-buffered stream that drops PortAudio's "Expression '...'
 * failed in '...'" lines, from any thread, and passes everything else to the stream it replaced.
 * A second install does nothing. Returns 0 or a negative errno (stderr unchanged). */
int audio_stderr_filter_install(void);
/* Put the replaced stream back (after Pa_Terminate: no PortAudio thread may still print). */
void audio_stderr_filter_remove(void);

/* ---- the device thread (device_thread.c): where PortAudio may wait for the sound server ----- */

struct audio_device_thread;

/* Start the thread. Returns 0 or a negative errno. */
int audio_device_thread_create(struct audio_device_thread **out);
/* Run fn(arg) on the thread and wait for it up to timeout_s, or until *stop (may be NULL) is
 * set. Returns what fn returned; -ETIMEDOUT when it has not finished (it goes on: arg must stay
 * valid, and the thread takes no other call until it ends); -EBUSY, at once, while an earlier
 * call is still running. */
int audio_device_thread_call(struct audio_device_thread *t, int (*fn)(void *arg), void *arg,
			     double timeout_s, volatile sig_atomic_t *stop);
/* Whether a call is still running (one the caller gave up waiting for). */
bool audio_device_thread_busy(struct audio_device_thread *t);
/* End the thread and free it; a thread stalled in a call is left to end with the process
 * (returns false then). Accepts NULL. */
bool audio_device_thread_destroy(struct audio_device_thread *t);
