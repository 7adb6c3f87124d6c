/* The microphone's ring: PortAudio's callback thread writes, the loop's thread reads, with no
 * lock (one writer, one reader, positions that only grow). The callback must never allocate,
 * lock or log (as in PortAudio's paex_record_file.c), so the ring lets the microphone run on
 * while the loop decodes or speaks. */
#include "audio_internal.h"
#include "log.h"

#include <stdlib.h>

/* The smallest ring; sizes are powers of two so a position maps to a slot with a mask. */
#define RING_MIN_SAMPLES 1024

void audio_ring_init(struct audio_ring *ring)
{
	ring->buf = NULL;
	ring->cap = 0;
	atomic_init(&ring->w, 0);
	atomic_init(&ring->r, 0);
	atomic_init(&ring->dropped, 0);
}

void audio_ring_reset(struct audio_ring *ring, size_t samples)
{
	size_t cap = RING_MIN_SAMPLES;
	while (cap < samples)
		cap *= 2;
	free(ring->buf);
	ring->buf = xcalloc(cap, sizeof(*ring->buf));
	ring->cap = cap;
	atomic_store(&ring->w, 0);
	atomic_store(&ring->r, 0);
}

void audio_ring_push(struct audio_ring *ring, const int16_t *in, size_t frames, int channels)
{
	size_t w = atomic_load_explicit(&ring->w, memory_order_relaxed);
	size_t r = atomic_load_explicit(&ring->r, memory_order_acquire);
	size_t room = ring->cap - (w - r);
	size_t k = frames < room ? frames : room;
	if (channels == 1) {
		for (size_t i = 0; i < k; i++)
			ring->buf[(w + i) & (ring->cap - 1)] = in[i];
	} else {
		for (size_t i = 0; i < k; i++)
			ring->buf[(w + i) & (ring->cap - 1)] =
				(int16_t)(((int32_t)in[2 * i] + (int32_t)in[2 * i + 1]) / 2);
	}
	atomic_store_explicit(&ring->w, w + k, memory_order_release);
	if (k < frames)
		atomic_fetch_add_explicit(&ring->dropped, frames - k, memory_order_relaxed);
}

size_t audio_ring_available(struct audio_ring *ring)
{
	size_t w = atomic_load_explicit(&ring->w, memory_order_acquire);
	size_t r = atomic_load_explicit(&ring->r, memory_order_relaxed);
	return w - r;
}

size_t audio_ring_pop(struct audio_ring *ring, int16_t *out, size_t max)
{
	size_t k = audio_ring_available(ring);
	size_t r = atomic_load_explicit(&ring->r, memory_order_relaxed);
	if (k > max)
		k = max;
	for (size_t i = 0; i < k; i++)
		out[i] = ring->buf[(r + i) & (ring->cap - 1)];
	atomic_store_explicit(&ring->r, r + k, memory_order_release);
	return k;
}

uint64_t audio_ring_dropped(struct audio_ring *ring)
{
	return atomic_load(&ring->dropped);
}

void audio_ring_done(struct audio_ring *ring)
{
	free(ring->buf);
	ring->buf = NULL;
	ring->cap = 0;
}
