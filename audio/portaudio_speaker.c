/* PortAudio's speaker: a blocking stream written in small blocks, so an abort check runs every
 * block_ms; the end of a reply is padded with the output latency in silence before Pa_StopStream,
 * because PortAudio 19.6 on ALSA drops queued audio on stop (AlsaStop forces snd_pcm_drop). Each
 * call that can wait for the sound server is a job on the device thread (see portaudio.c). */
#include "audio.h"
#include "log.h"
#include "portaudio_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ---- speaker --------------------------------------------------------------------------------- */

struct device_sink {
	struct audio_system *sys;
	char *spec;
	struct audio_device_config cfg;
	/* The device thread's while a job runs (hung: until it ends). */
	PaStream *stream;
	int channels, rate, prefer_rate;
	bool started;
	double latency;
	char job_name[128], job_err[512];
	int16_t *frames; /* the block being written, as the stream takes it */
	size_t frames_cap, frames_n;
	PaError job_pa;
	/* The loop's thread's. */
	bool failed;
	bool hung;
};

static int sink_close_job(void *arg)
{
	struct device_sink *d = arg;
	audio_pa_stream_close(d->sys, &d->stream, d->started);
	d->started = false;
	return 0;
}

static int sink_open_job(void *arg)
{
	struct device_sink *d = arg;
	char *err = d->job_err;
	size_t errlen = sizeof(d->job_err);
	sink_close_job(d);
	PaDeviceIndex index;
	int r = audio_pa_find_device(d->spec, false, &index, err, errlen);
	if (r < 0 && d->sys->open_streams == 0) {
		audio_pa_refresh_devices(d->sys);
		r = audio_pa_find_device(d->spec, false, &index, err, errlen);
	}
	if (r < 0)
		return r;
	const PaDeviceInfo *info = Pa_GetDeviceInfo(index);
	audio_pa_copy_name(d->job_name, sizeof(d->job_name), info->name);
	PaStreamParameters p;
	r = audio_pa_stream_params(index, false, &d->cfg, d->prefer_rate, &p, &d->rate, err, errlen);
	if (r < 0)
		return r;
	d->channels = p.channelCount;
	PaError e = Pa_OpenStream(&d->stream, NULL, &p, d->rate, paFramesPerBufferUnspecified,
				  paClipOff, NULL, NULL);
	if (e != paNoError) {
		d->stream = NULL;
		return errf(err, errlen, e == paDeviceUnavailable ? -ENODEV : -EIO,
			    "cannot open the speaker \"%s\" (%s)", info->name, audio_pa_text(e));
	}
	d->sys->open_streams++;
	const PaStreamInfo *si = Pa_GetStreamInfo(d->stream);
	d->latency = si ? si->outputLatency : 0;
	return 0;
}

static bool sink_settled(struct device_sink *d)
{
	if (d->hung && !audio_device_thread_busy(d->sys->thread))
		d->hung = false;
	return !d->hung;
}

/* Run a job of the sink's: -EIO with the sink named when it does not come back in time. */
static int sink_call(struct audio_sink *sink, int (*job)(void *), double timeout_s, char *err,
		     size_t errlen)
{
	struct device_sink *d = sink->impl;
	if (!sink_settled(d)) {
		d->failed = true;
		return audio_pa_stalled_error(false, sink->name, err, errlen);
	}
	int r = audio_pa_call(d->sys, job, d, timeout_s);
	if (r == -ETIMEDOUT || r == -EBUSY) {
		d->hung = r == -ETIMEDOUT;
		d->failed = true;
		return audio_pa_stalled_error(false, sink->name, err, errlen);
	}
	return r;
}

static int device_sink_open(struct audio_sink *sink, char *err, size_t errlen)
{
	struct device_sink *d = sink->impl;
	d->failed = true;
	/* Keep the rate across reopens: the resampler and the caller's positions depend on it. */
	d->prefer_rate = sink->rate_hz ? sink->rate_hz : SPEAKER_RATE_HZ;
	d->job_name[0] = '\0';
	d->job_err[0] = '\0';
	int r = sink_call(sink, sink_open_job, OPEN_TIMEOUT_S, err, errlen);
	/* Stalled (err says so) rather than failed in the job (job_err says why). */
	if (d->hung || (r < 0 && !d->job_err[0]))
		return r;
	if (d->job_name[0]) {
		free(sink->name);
		sink->name = xstrdup(d->job_name);
	}
	if (r < 0)
		return errf(err, errlen, r, "%s", d->job_err);
	if (sink->rate_hz && sink->rate_hz != d->rate) {
		/* Cannot happen unless the device changed: drop the old resampler. */
		audio_resampler_destroy(sink->rs);
		sink->rs = NULL;
	}
	sink->rate_hz = d->rate;
	d->failed = false;
	return 0;
}

static int sink_write_job(void *arg)
{
	struct device_sink *d = arg;
	if (!d->started) {
		d->job_pa = Pa_StartStream(d->stream);
		if (d->job_pa != paNoError)
			return -EIO;
		d->started = true;
	}
	d->job_pa = Pa_WriteStream(d->stream, d->frames, (unsigned long)d->frames_n);
	/* An underflow (the loop was late) is heard as a gap, not a failure. */
	return d->job_pa == paNoError || d->job_pa == paOutputUnderflowed ? 0 : -EIO;
}

static int device_sink_write(struct audio_sink *sink, const int16_t *samples, size_t n, char *err,
			     size_t errlen)
{
	struct device_sink *d = sink->impl;
	if (d->failed || !sink_settled(d) || !d->stream)
		return errf(err, errlen, -EIO,
			    "the speaker \"%s\" has failed (reopen it or check the device)",
			    sink->name);
	/* The thread gets a copy: a write it is stalled in outlives the caller's buffer. */
	size_t need = n * (size_t)d->channels;
	if (d->frames_cap < need) {
		d->frames = xreallocarray(d->frames, need, sizeof(*d->frames));
		d->frames_cap = need;
	}
	for (size_t i = 0; i < n; i++)
		for (int c = 0; c < d->channels; c++)
			d->frames[i * (size_t)d->channels + (size_t)c] = samples[i];
	d->frames_n = n;
	bool starting = !d->started;
	int r = sink_call(sink, sink_write_job, WRITE_TIMEOUT_S + d->latency, err, errlen);
	if (r == -EIO && d->failed)
		return r;
	if (r < 0) {
		d->failed = true;
		if (starting)
			return errf(err, errlen, -EIO, "cannot start the speaker \"%s\" (%s)",
				    sink->name, audio_pa_text(d->job_pa));
		return errf(err, errlen, -EIO,
			    "the speaker \"%s\" stopped working (%s: it was unplugged, or the sound "
			    "server behind it is gone) (talkleaf reopens it)", sink->name,
			    audio_pa_text(d->job_pa));
	}
	return 0;
}

static int sink_stop_job(void *arg)
{
	struct device_sink *d = arg;
	if (d->stream && d->started)
		Pa_AbortStream(d->stream);
	d->started = false;
	return 0;
}

static void device_sink_stop(struct audio_sink *sink)
{
	struct device_sink *d = sink->impl;
	if (d->failed || !d->started)
		return;
	sink_call(sink, sink_stop_job, CLOSE_TIMEOUT_S, NULL, 0);
}

static int sink_finish_job(void *arg)
{
	struct device_sink *d = arg;
	d->job_pa = Pa_StopStream(d->stream);
	d->started = false;
	return d->job_pa == paNoError ? 0 : -EIO;
}

static int device_sink_finish(struct audio_sink *sink, char *err, size_t errlen)
{
	struct device_sink *d = sink->impl;
	if (d->failed || !d->stream || !d->started)
		return 0;
	/* Pa_StopStream would drop what is still queued (ALSA): push it out with silence first. */
	size_t pad = (size_t)((d->latency + FINISH_MARGIN_S) * sink->rate_hz);
	size_t block = (size_t)sink->rate_hz * (size_t)sink->block_ms / 1000;
	int16_t *zeros = xcalloc(block ? block : 1, sizeof(*zeros));
	int r = 0;
	for (size_t done = 0; done < pad;) {
		if (audio_sink_should_abort(sink)) {
			device_sink_stop(sink);
			r = 1;
			break;
		}
		size_t k = pad - done < block ? pad - done : block;
		r = device_sink_write(sink, zeros, k, err, errlen);
		if (r < 0)
			break;
		done += k;
	}
	free(zeros);
	if (r != 0)
		return r;
	r = sink_call(sink, sink_finish_job, CLOSE_TIMEOUT_S + d->latency, err, errlen);
	if (r < 0 && !d->failed) {
		d->failed = true;
		return errf(err, errlen, -EIO, "the speaker \"%s\" failed (%s)", sink->name,
			    audio_pa_text(d->job_pa));
	}
	return r;
}

static double device_sink_latency(const struct audio_sink *sink)
{
	const struct device_sink *d = sink->impl;
	return d->latency;
}

static void device_sink_close(struct audio_sink *sink)
{
	struct device_sink *d = sink->impl;
	d->failed = true;
	if (sink_settled(d))
		sink_call(sink, sink_close_job, CLOSE_TIMEOUT_S, NULL, 0);
}

static void device_sink_destroy(struct audio_sink *sink)
{
	struct device_sink *d = sink->impl;
	if (!d)
		return;
	device_sink_close(sink);
	if (d->hung || d->stream)
		return; /* the device thread may still use it: left to the process's end */
	free(d->frames);
	free(d->spec);
	free(d);
}

static const struct audio_sink_ops device_sink_ops = {
	.write = device_sink_write,
	.finish = device_sink_finish,
	.stop = device_sink_stop,
	.latency_s = device_sink_latency,
	.reopen = device_sink_open,
	.close = device_sink_close,
	.destroy = device_sink_destroy,
};

int audio_sink_open_device(struct audio_system *sys, const struct audio_device_config *config,
			   struct audio_sink **out, char *err, size_t errlen)
{
	*out = NULL;
	struct device_sink *d = xcalloc(1, sizeof(*d));
	d->sys = sys;
	if (config)
		d->cfg = *config;
	d->spec = d->cfg.device && *d->cfg.device ? xstrdup(d->cfg.device) : NULL;
	d->cfg.device = d->spec;
	struct audio_sink *sink = audio_sink_new(&device_sink_ops, d, "speaker", 0);
	sink->block_ms = d->cfg.block_ms > 0 ? d->cfg.block_ms : AUDIO_BLOCK_MS_DEFAULT;
	int r = device_sink_open(sink, err, errlen);
	if (r < 0) {
		audio_sink_destroy(sink);
		return r;
	}
	*out = sink;
	return 0;
}
