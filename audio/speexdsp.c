/* speexdsp: sample-rate conversion and noise suppression.
 *
 * The resampler is aligned so that n input samples give round(n * out / in) output samples with
 * no delay: its initial zeros are skipped and the flush feeds just enough silence to push the
 * tail out. */
#include "audio.h"
#include "audio_internal.h"
#include "log.h"

#include <errno.h>
#include <speex/speex_preprocess.h>
#include <speex/speex_resampler.h>
#include <stdlib.h>
#include <string.h>

struct audio_resampler {
	SpeexResamplerState *st;
	int in_rate, out_rate;
	uint64_t in_total, out_total;
};

bool audio_rate_valid(int rate_hz)
{
	return rate_hz >= AUDIO_RATE_MIN_HZ && rate_hz <= AUDIO_RATE_MAX_HZ;
}

size_t audio_resampler_out_len(int in_rate, int out_rate, size_t n)
{
	if (in_rate <= 0 || out_rate <= 0)
		return 0;
	return (size_t)(((uint64_t)n * (uint64_t)out_rate + (uint64_t)in_rate / 2) /
			(uint64_t)in_rate);
}

int audio_resampler_create(int in_rate, int out_rate, int quality, struct audio_resampler **out,
			   char *err, size_t errlen)
{
	*out = NULL;
	if (!audio_rate_valid(in_rate) || !audio_rate_valid(out_rate))
		return errf(
		    err, errlen, -EINVAL,
		    "cannot resample from %d Hz to %d Hz (rates from %d to %d Hz work)", in_rate,
		    out_rate, AUDIO_RATE_MIN_HZ, AUDIO_RATE_MAX_HZ);
	if (quality < 0)
		quality = 5;
	if (quality > 10)
		quality = 10;
	int e = 0;
	SpeexResamplerState *st = speex_resampler_init(1, (spx_uint32_t)in_rate,
						       (spx_uint32_t)out_rate, quality, &e);
	if (!st)
		return errf(err, errlen, -EINVAL, "cannot resample from %d Hz to %d Hz (%s)",
			    in_rate, out_rate, speex_resampler_strerror(e));
	/* Without this the output starts with the filter's delay in zeros. */
	speex_resampler_skip_zeros(st);
	struct audio_resampler *rs = xcalloc(1, sizeof(*rs));
	rs->st = st;
	rs->in_rate = in_rate;
	rs->out_rate = out_rate;
	*out = rs;
	return 0;
}

void audio_resampler_destroy(struct audio_resampler *rs)
{
	if (!rs)
		return;
	if (rs->st)
		speex_resampler_destroy(rs->st);
	free(rs);
}

static void reserve(int16_t **out, size_t *out_cap, size_t need)
{
	if (need <= *out_cap)
		return;
	size_t cap = *out_cap ? *out_cap : 1024;
	while (cap < need)
		cap *= 2;
	*out = xreallocarray(*out, cap, sizeof(**out));
	*out_cap = cap;
}

/* Run n input samples (in may be NULL: zeros), keeping at most `limit` more output samples. */
static void run(struct audio_resampler *rs, const int16_t *in, size_t n, int16_t **out,
		size_t *out_n, size_t *out_cap, uint64_t limit)
{
	static const int16_t zeros[1024];
	while (n > 0) {
		spx_uint32_t in_len = (spx_uint32_t)(n > 4096 ? 4096 : n);
		const int16_t *src = in;
		if (!in) {
			if (in_len > 1024)
				in_len = 1024;
			src = zeros;
		}
		size_t room = audio_resampler_out_len(rs->in_rate, rs->out_rate, in_len) + 64;
		reserve(out, out_cap, *out_n + room);
		spx_uint32_t out_len = (spx_uint32_t)room;
		speex_resampler_process_int(rs->st, 0, src, &in_len, *out + *out_n, &out_len);
		if (out_len > limit)
			out_len = (spx_uint32_t)limit;
		limit -= out_len;
		*out_n += out_len;
		rs->out_total += out_len;
		n -= in_len;
		if (in)
			in += in_len;
		if (in_len == 0 && out_len == 0)
			break; /* cannot happen with a valid state; never spin */
	}
}

void audio_resampler_process(struct audio_resampler *rs, const int16_t *in, size_t n,
			     int16_t **out, size_t *out_n, size_t *out_cap)
{
	rs->in_total += n;
	run(rs, in, n, out, out_n, out_cap, UINT64_MAX);
}

void audio_resampler_flush(struct audio_resampler *rs, int16_t **out, size_t *out_n,
			   size_t *out_cap)
{
	uint64_t want =
	    ((uint64_t)rs->in_total * (uint64_t)rs->out_rate + (uint64_t)rs->in_rate / 2) /
	    (uint64_t)rs->in_rate;
	if (rs->out_total < want) {
		size_t zeros = (size_t)speex_resampler_get_input_latency(rs->st) + 16;
		run(rs, NULL, zeros, out, out_n, out_cap, want - rs->out_total);
	}
	/* Ready for an unrelated stream. */
	speex_resampler_reset_mem(rs->st);
	speex_resampler_skip_zeros(rs->st);
	rs->in_total = rs->out_total = 0;
}

void audio_resample_all(const int16_t *in, size_t n, int in_rate, int out_rate, int16_t **out,
			size_t *out_n)
{
	*out = NULL;
	*out_n = 0;
	size_t cap = 0;
	if (in_rate == out_rate) {
		*out = xmalloc(n * sizeof(**out) + 1);
		if (n)
			memcpy(*out, in, n * sizeof(*in));
		*out_n = n;
		return;
	}
	struct audio_resampler *rs = NULL;
	if (audio_resampler_create(in_rate, out_rate, 5, &rs, NULL, 0) < 0) {
		*out = xmalloc(1);
		return;
	}
	audio_resampler_process(rs, in, n, out, out_n, &cap);
	audio_resampler_flush(rs, out, out_n, &cap);
	audio_resampler_destroy(rs);
	if (!*out)
		*out = xmalloc(1);
}

/* speexdsp's noise suppression, in place, 10 ms frames (a fresh state per utterance: its noise
 * estimate starts from the utterance's own leading silence). */
void audio_denoise(int16_t *pcm, size_t n)
{
	SpeexPreprocessState *st = speex_preprocess_state_init(AUDIO_FRAME_10MS, AUDIO_RATE_HZ);
	if (!st)
		return;
	int on = 1;
	speex_preprocess_ctl(st, SPEEX_PREPROCESS_SET_DENOISE, &on);
	for (size_t i = 0; i + AUDIO_FRAME_10MS <= n; i += AUDIO_FRAME_10MS)
		speex_preprocess_run(st, pcm + i);
	speex_preprocess_state_destroy(st);
}
