/* PortAudio: the audio system (the one owner of Pa_Initialize), the device list and the
 * microphone source; the speaker sink is portaudio_speaker.c. With it (and portaudio_internal.h)
 * the only file that includes PortAudio; alsa-lib, which it probes through, is in alsa.c, and its
 * own error lines are kept off the screen by stderr_filter.c.
 *
 * Microphone: a callback stream that only copies into the ring (ring.c); the reader resamples to
 * AUDIO_RATE_HZ in the loop's thread. The ring lets the microphone run while the loop decodes or
 * speaks.
 *
 * Two streams, never one duplex stream: full duplex through the ALSA pulse plugin is flaky
 * (the callback thread sometimes dies at once).
 *
 * Every call that can wait for the sound server runs on the device thread (device_thread.c)
 * with a deadline; its work is a job function below (*_job) that reads and writes only the
 * device's own struct, never the caller's memory. docs/devices.md says why and how long. */
#include "audio.h"
#include "audio_internal.h"
#include "log.h"
#include "portaudio_internal.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_BUFFER_S 4.0

/* Pa_Initialize is a process-wide singleton: this records that its one owner exists. */
static bool system_exists;

const char *audio_pa_text(PaError e)
{
	if (e == paUnanticipatedHostError) {
		const PaHostErrorInfo *info = Pa_GetLastHostErrorInfo();
		if (info && info->errorText && info->errorText[0])
			return info->errorText;
	}
	return Pa_GetErrorText(e);
}

void audio_device_config_defaults(struct audio_device_config *config)
{
	memset(config, 0, sizeof(*config));
}

/* The device thread's: Pa_Initialize, its error kept for the message. */
static int initialize_job(void *arg)
{
	struct audio_system *sys = arg;
	sys->init_error = Pa_Initialize();
	return sys->init_error == paNoError ? 0 : -EIO;
}

int audio_system_create(bool verbose, struct audio_system **out, char *err, size_t errlen)
{
	*out = NULL;
	if (system_exists)
		return errf(err, errlen, -EBUSY, "the audio system is already initialised");
	/* PortAudio 19.6 asserts (SIGABRT) in its ALSA device list when ALSA's configuration has no
	 * pcm.default; find that out first and say so. */
	int r = audio_alsa_default_check(err, errlen);
	if (r < 0)
		return r;
	if (!verbose) {
		audio_alsa_messages_silence();
		audio_stderr_filter_install();
	}
	struct audio_system *sys = xcalloc(1, sizeof(*sys));
	r = audio_device_thread_create(&sys->thread);
	if (r < 0) {
		audio_stderr_filter_remove();
		free(sys);
		return errf(err, errlen, r, "cannot start the sound system's thread (%s)",
			    strerror(-r));
	}
	/* Pa_Initialize opens every ALSA device, the sound server's too: it waits for a server
	 * that does not answer. */
	r = audio_pa_call(sys, initialize_job, sys, OPEN_TIMEOUT_S);
	if (r == -ETIMEDOUT) {
		/* The thread is still in it: sys stays, for the process's life. */
		audio_device_thread_destroy(sys->thread);
		return errf(err, errlen, -EIO,
			    "the sound system does not answer (the sound server has stopped or "
			    "hangs) (check it; systemd restarts a station)");
	}
	if (r < 0) {
		PaError pe = sys->init_error;
		audio_device_thread_destroy(sys->thread);
		audio_stderr_filter_remove();
		free(sys);
		return errf(err, errlen, -EIO, "cannot start the sound system (%s)",
			    audio_pa_text(pe));
	}
	sys->verbose = verbose;
	system_exists = true;
	*out = sys;
	return 0;
}

static int terminate_job(void *arg)
{
	Pa_Terminate();
	return 0;
}

void audio_system_destroy(struct audio_system *sys)
{
	if (!sys)
		return;
	/* A stalled server leaves PortAudio as it is (and the filter in place: its threads may
	 * still print). */
	bool stalled = audio_device_thread_call(sys->thread, terminate_job, NULL, CLOSE_TIMEOUT_S,
						sys->stop) != 0;
	if (!audio_device_thread_destroy(sys->thread) || stalled)
		return;
	audio_stderr_filter_remove();
	system_exists = false;
	free(sys);
}

void audio_system_set_stop(struct audio_system *sys, volatile sig_atomic_t *stop)
{
	sys->stop = stop;
}

bool audio_system_stalled(struct audio_system *sys)
{
	return audio_device_thread_busy(sys->thread);
}

/* Run a job on the device thread. -ETIMEDOUT (also when stopped) and -EBUSY mean stalled. */
int audio_pa_call(struct audio_system *sys, int (*job)(void *), void *arg, double timeout_s)
{
	return audio_device_thread_call(sys->thread, job, arg, timeout_s, sys->stop);
}

/* The message for a call that did not come back in time. */
int audio_pa_stalled_error(bool input, const char *name, char *err, size_t errlen)
{
	return errf(err, errlen, -EIO,
		    "the %s \"%s\" does not answer (the sound server has stopped or hangs) "
		    "(talkleaf waits for it)", input ? "microphone" : "speaker", name);
}

/* PortAudio's device list is read once, by Pa_Initialize: read it again (on the device thread,
 * with no stream open) so a device that came back under another number can be found. */
void audio_pa_refresh_devices(struct audio_system *sys)
{
	if (sys->open_streams > 0)
		return;
	Pa_Terminate();
	Pa_Initialize();
}

void audio_pa_copy_name(char *dst, size_t len, const char *src)
{
	snprintf(dst, len, "%s", src ? src : "");
}

int audio_system_devices(struct audio_system *sys, struct audio_device_info **out, size_t *n,
			 char *err, size_t errlen)
{
	*out = NULL;
	*n = 0;
	int count = Pa_GetDeviceCount();
	if (count < 0)
		return errf(err, errlen, -EIO, "cannot list the sound devices (%s)",
			    audio_pa_text(count));
	struct audio_device_info *list = xcalloc((size_t)count + 1, sizeof(*list));
	PaDeviceIndex din = Pa_GetDefaultInputDevice(), dout = Pa_GetDefaultOutputDevice();
	for (int i = 0; i < count; i++) {
		const PaDeviceInfo *d = Pa_GetDeviceInfo(i);
		struct audio_device_info *info = &list[i];
		info->index = i;
		if (!d)
			continue;
		audio_pa_copy_name(info->name, sizeof(info->name), d->name);
		const PaHostApiInfo *api = Pa_GetHostApiInfo(d->hostApi);
		audio_pa_copy_name(info->host_api, sizeof(info->host_api), api ? api->name : "");
		info->max_input_channels = d->maxInputChannels;
		info->max_output_channels = d->maxOutputChannels;
		info->default_rate_hz = d->defaultSampleRate;
		info->is_default_input = i == din;
		info->is_default_output = i == dout;
	}
	*out = list;
	*n = (size_t)count;
	return 0;
}

static const char *what(bool input)
{
	return input ? "microphone" : "speaker";
}

static int channels_of(const PaDeviceInfo *d, bool input)
{
	return input ? d->maxInputChannels : d->maxOutputChannels;
}

/* A card another program holds (a desktop's sound server, most often) is left out of
 * PortAudio's list, or fails to open: say so, naming it, instead of "no such device". */
static int busy_error(bool input, const char *name, char *err, size_t errlen)
{
	return errf(err, errlen, -EIO,
		    "the %s %s is busy: another program has it open, most likely a desktop's sound "
		    "server (PipeWire or PulseAudio) (reserve the card for talkleaf as "
		    "docs/station-unit.md says, or stop that program)", what(input), name);
}

/* The ALSA card number in a PortAudio device name ("USB Headset: Audio (hw:1,0)"), or -1. */
static int card_of_name(const char *name)
{
	const char *hw = strstr(name, "(hw:");
	const char *plughw = strstr(name, "(plughw:");
	int card = -1;
	if (hw)
		sscanf(hw, "(hw:%d,", &card);
	else if (plughw)
		sscanf(plughw, "(plughw:%d,", &card);
	return card;
}

/* An ALSA card's id or number (`card`, `name`): its first device in PortAudio's list. */
static int find_card_device(const char *spec, int card, const char *name, bool input,
			    PaDeviceIndex *index, char *err, size_t errlen)
{
	for (int i = 0; i < Pa_GetDeviceCount(); i++) {
		const PaDeviceInfo *d = Pa_GetDeviceInfo(i);
		if (d && channels_of(d, input) > 0 && card_of_name(d->name) == card) {
			*index = i;
			return 0;
		}
	}
	char full[160], pcm[32];
	snprintf(full, sizeof(full), "\"%s\" (ALSA card %d, %s)", spec, card, name);
	snprintf(pcm, sizeof(pcm), "hw:%d", card);
	if (audio_alsa_pcm_try(pcm, input) == -EBUSY)
		return busy_error(input, full, err, errlen);
	return errf(err, errlen, -ENODEV, "the sound card %s has no %s (choose another card; "
		    "talkleaf devices lists them)", full, what(input));
}

/* The device `spec` names (NULL/"": the default) for input or output. */
int audio_pa_find_device(const char *spec, bool input, PaDeviceIndex *index, char *err,
		       size_t errlen)
{
	const char *opt = input ? "--input-device" : "--output-device";
	int count = Pa_GetDeviceCount();
	if (count <= 0)
		return errf(
		    err, errlen, -ENODEV,
		    "no sound device found (connect a headset or a microphone and speaker, "
		    "check that PulseAudio or PipeWire is running, then try talkleaf devices)");
	if (!spec || !*spec) {
		PaDeviceIndex i = input ? Pa_GetDefaultInputDevice() : Pa_GetDefaultOutputDevice();
		if (i == paNoDevice)
			return errf(
			    err, errlen, -ENODEV,
			    "no default %s (choose one with %s; talkleaf devices lists them)",
			    what(input), opt);
		*index = i;
		return 0;
	}
	char *end = NULL;
	long num = strtol(spec, &end, 10);
	if (end != spec && *end == '\0') {
		const PaDeviceInfo *d = num >= 0 && num < count ? Pa_GetDeviceInfo((int)num) : NULL;
		if (!d)
			return errf(err, errlen, -ENODEV,
				    "there is no sound device %ld (talkleaf devices lists them)",
				    num);
		if (channels_of(d, input) < 1)
			return errf(
			    err, errlen, -ENODEV,
			    "sound device %ld (%s) is not a %s (talkleaf devices lists them)", num,
			    d->name, what(input));
		*index = (PaDeviceIndex)num;
		return 0;
	}
	PaDeviceIndex found = paNoDevice;
	int matches = 0;
	for (int i = 0; i < count; i++) {
		const PaDeviceInfo *d = Pa_GetDeviceInfo(i);
		if (d && channels_of(d, input) > 0 && strcmp(d->name, spec) == 0) {
			*index = i;
			return 0;
		}
	}
	char card_name[80];
	int card = audio_alsa_card_find(spec, card_name, sizeof(card_name));
	if (card >= 0)
		return find_card_device(spec, card, card_name, input, index, err, errlen);
	for (int i = 0; i < count; i++) {
		const PaDeviceInfo *d = Pa_GetDeviceInfo(i);
		if (d && channels_of(d, input) > 0 && strcasestr(d->name, spec)) {
			found = i;
			matches++;
		}
	}
	if (matches == 1) {
		*index = found;
		return 0;
	}
	if (matches > 1)
		return errf(err, errlen, -ENODEV,
			    "%d %ss match \"%s\" (give the full name or the number from talkleaf "
			    "devices)", matches, what(input), spec);
	char quoted[160];
	snprintf(quoted, sizeof(quoted), "\"%s\"", spec);
	if (audio_alsa_pcm_try(spec, input) == -EBUSY)
		return busy_error(input, quoted, err, errlen);
	return errf(err, errlen, -ENODEV,
		    "no %s called \"%s\" (talkleaf devices lists them)", what(input), spec);
}

/* The first rate in `prefer`, then the device's default, then the common rates, the device
 * supports with `channels` int16 channels. 0 when none. */
static int pick_rate(const PaStreamParameters *p, bool input, int prefer, PaError *last)
{
	const PaDeviceInfo *d = Pa_GetDeviceInfo(p->device);
	double rates[] = { prefer, d ? d->defaultSampleRate : 0, 48000, 44100, AUDIO_RATE_HZ,
			   SPEAKER_RATE_HZ, 32000, 8000 };
	for (size_t i = 0; i < sizeof(rates) / sizeof(rates[0]); i++) {
		if (rates[i] < AUDIO_RATE_MIN_HZ)
			continue;
		PaError e = input ? Pa_IsFormatSupported(p, NULL, rates[i])
				  : Pa_IsFormatSupported(NULL, p, rates[i]);
		if (e == paFormatIsSupported)
			return (int)rates[i];
		*last = e;
	}
	return 0;
}

/* Open parameters for the device: mono when it can, else its first two channels. */
int audio_pa_stream_params(PaDeviceIndex index, bool input, const struct audio_device_config *cfg,
			 int prefer_rate, PaStreamParameters *p, int *rate, char *err,
			 size_t errlen)
{
	const PaDeviceInfo *d = Pa_GetDeviceInfo(index);
	memset(p, 0, sizeof(*p));
	p->device = index;
	p->sampleFormat = paInt16;
	p->suggestedLatency = cfg->latency_s > 0 ? cfg->latency_s
			      : input ? d->defaultHighInputLatency : d->defaultHighOutputLatency;
	PaError last = paNoError;
	for (int ch = 1; ch <= 2; ch++) {
		if (ch > channels_of(d, input))
			break;
		p->channelCount = ch;
		*rate = pick_rate(p, input, cfg->rate_hz > 0 ? cfg->rate_hz : prefer_rate, &last);
		if (*rate)
			return 0;
	}
	char pcm[32], full[160];
	int card = card_of_name(d->name);
	snprintf(pcm, sizeof(pcm), "hw:%d", card);
	snprintf(full, sizeof(full), "\"%s\"", d->name);
	if (card >= 0 && audio_alsa_pcm_try(pcm, input) == -EBUSY)
		return busy_error(input, full, err, errlen);
	/* Every rate failing to open the same way means the device itself cannot be opened. */
	if (last == paInvalidSampleRate || last == paInvalidChannelCount || last == paNoError)
		return errf(err, errlen, -ENODEV,
			    "%s \"%s\" supports no usable format (16-bit, 1 or 2 channels, "
			    "8000-48000 Hz) (choose another with %s)", what(input), d->name,
			    input ? "--input-device" : "--output-device");
	/* What PortAudio's ALSA host says when the sound server behind a device is gone. */
	if (last == paBadIODeviceCombination || last == paDeviceUnavailable)
		return errf(err, errlen, -EIO,
			    "the %s \"%s\" cannot be reached (it was unplugged, or the sound server "
			    "behind it is not running)", what(input), d->name);
	return errf(err, errlen, -EIO,
		    "cannot open the %s \"%s\" (%s) (check that it is connected and not in use, or "
		    "choose another with %s)", what(input), d->name, audio_pa_text(last),
		    input ? "--input-device" : "--output-device");
}

/* ---- microphone ------------------------------------------------------------------------------ */

struct device_source {
	struct audio_system *sys;
	char *spec;
	struct audio_device_config cfg;
	/* The device thread's while a job runs (hung: until it ends). */
	PaStream *stream;
	int rate, channels;
	double latency;
	char job_name[128], job_err[512];
	struct audio_resampler *rs;
	/* The loop's thread's. */
	struct audio_ring ring;
	int16_t *tmp;
	size_t tmp_cap;
	int16_t *pending;
	size_t pending_n, pending_next, pending_cap;
	struct timespec last_data;
	bool failed;
	bool hung; /* a job did not come back: nothing of the stream is touched until it has */
};

/* Runs in PortAudio's thread: no allocation, no lock, no log. */
static int capture_callback(const void *input, void *output, unsigned long frames,
			    const PaStreamCallbackTimeInfo *time_info,
			    PaStreamCallbackFlags flags, void *userdata)
{
	struct device_source *d = userdata;
	if (input)
		audio_ring_push(&d->ring, input, frames, d->channels);
	return paContinue;
}

static double since(const struct timespec *t)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

void audio_pa_stream_close(struct audio_system *sys, PaStream **stream, bool started)
{
	if (!*stream)
		return;
	if (started)
		Pa_AbortStream(*stream);
	Pa_CloseStream(*stream);
	*stream = NULL;
	sys->open_streams--;
}

static int source_close_job(void *arg)
{
	struct device_source *d = arg;
	audio_pa_stream_close(d->sys, &d->stream, true);
	return 0;
}

static int source_open_job(void *arg)
{
	struct device_source *d = arg;
	char *err = d->job_err;
	size_t errlen = sizeof(d->job_err);
	audio_pa_stream_close(d->sys, &d->stream, true);
	PaDeviceIndex index;
	int r = audio_pa_find_device(d->spec, true, &index, err, errlen);
	if (r < 0 && d->sys->open_streams == 0) {
		audio_pa_refresh_devices(d->sys);
		r = audio_pa_find_device(d->spec, true, &index, err, errlen);
	}
	if (r < 0)
		return r;
	const PaDeviceInfo *info = Pa_GetDeviceInfo(index);
	audio_pa_copy_name(d->job_name, sizeof(d->job_name), info->name);
	PaStreamParameters p;
	r = audio_pa_stream_params(index, true, &d->cfg, AUDIO_RATE_HZ, &p, &d->rate, err, errlen);
	if (r < 0)
		return r;
	d->channels = p.channelCount;
	/* Ring sized in device samples; every (re)open starts with an empty one. */
	size_t want =
	    (size_t)((d->cfg.buffer_s > 0 ? d->cfg.buffer_s : DEFAULT_BUFFER_S) * d->rate);
	audio_ring_reset(&d->ring, want);
	audio_resampler_destroy(d->rs);
	d->rs = NULL;
	if (d->rate != AUDIO_RATE_HZ) {
		r = audio_resampler_create(d->rate, AUDIO_RATE_HZ, 3, &d->rs, err, errlen);
		if (r < 0)
			return r;
	}
	PaError e = Pa_OpenStream(&d->stream, &p, NULL, d->rate, paFramesPerBufferUnspecified,
				  paClipOff, capture_callback, d);
	if (e != paNoError) {
		d->stream = NULL;
		return errf(err, errlen, e == paDeviceUnavailable ? -ENODEV : -EIO,
			    "cannot open the microphone \"%s\" (%s)", info->name, audio_pa_text(e));
	}
	d->sys->open_streams++;
	const PaStreamInfo *si = Pa_GetStreamInfo(d->stream);
	d->latency = si ? si->inputLatency : 0;
	e = Pa_StartStream(d->stream);
	if (e != paNoError) {
		audio_pa_stream_close(d->sys, &d->stream, false);
		return errf(err, errlen, -EIO, "cannot start the microphone \"%s\" (%s)",
			    info->name, audio_pa_text(e));
	}
	return 0;
}

/* Whether the job that did not come back has ended since (the stream may be touched again). */
static bool source_settled(struct device_source *d)
{
	if (d->hung && !audio_device_thread_busy(d->sys->thread))
		d->hung = false;
	return !d->hung;
}

/* (Re)open: close what is open, open the device, start capture. */
static int device_source_open(struct audio_source *src, char *err, size_t errlen)
{
	struct device_source *d = src->impl;
	d->failed = true;
	if (!source_settled(d))
		return audio_pa_stalled_error(true, src->name, err, errlen);
	d->job_name[0] = '\0';
	int r = audio_pa_call(d->sys, source_open_job, d, OPEN_TIMEOUT_S);
	if (r == -ETIMEDOUT || r == -EBUSY) {
		d->hung = r == -ETIMEDOUT;
		return audio_pa_stalled_error(true, src->name, err, errlen);
	}
	if (d->job_name[0]) {
		free(src->name);
		src->name = xstrdup(d->job_name);
	}
	if (r < 0)
		return errf(err, errlen, r, "%s", d->job_err);
	d->pending_n = d->pending_next = 0;
	clock_gettime(CLOCK_MONOTONIC, &d->last_data);
	d->failed = false;
	return 0;
}

static void device_source_close(struct audio_source *src)
{
	struct device_source *d = src->impl;
	d->failed = true;
	if (!source_settled(d))
		return;
	if (audio_pa_call(d->sys, source_close_job, d, CLOSE_TIMEOUT_S) == -ETIMEDOUT)
		d->hung = true;
}

/* Move what the ring holds into `pending`, converted to 16 kHz. */
static void device_source_drain(struct device_source *d)
{
	size_t avail = audio_ring_available(&d->ring);
	if (avail == 0)
		return;
	if (d->pending_next == d->pending_n)
		d->pending_n = d->pending_next = 0;
	if (d->tmp_cap < avail) {
		d->tmp = xreallocarray(d->tmp, avail, sizeof(*d->tmp));
		d->tmp_cap = avail;
	}
	avail = audio_ring_pop(&d->ring, d->tmp, avail);
	if (d->rs) {
		audio_resampler_process(d->rs, d->tmp, avail, &d->pending, &d->pending_n,
					&d->pending_cap);
	} else {
		if (d->pending_n + avail > d->pending_cap) {
			d->pending_cap = (d->pending_n + avail) * 2;
			d->pending = xreallocarray(d->pending, d->pending_cap, sizeof(*d->pending));
		}
		memcpy(d->pending + d->pending_n, d->tmp, avail * sizeof(*d->tmp));
		d->pending_n += avail;
	}
	clock_gettime(CLOCK_MONOTONIC, &d->last_data);
}

static int device_source_read(struct audio_source *src, int16_t *buf, size_t max, size_t *n_read,
			      bool wait, char *err, size_t errlen)
{
	struct device_source *d = src->impl;
	size_t done = 0;
	*n_read = 0;
	if (d->failed || !d->stream)
		return errf(err, errlen, -EIO,
			    "the microphone \"%s\" has failed (reopen it or check the device)",
			    src->name);
	for (;;) {
		size_t k = d->pending_n - d->pending_next;
		if (k > max - done)
			k = max - done;
		if (k) {
			memcpy(buf + done, d->pending + d->pending_next, k * sizeof(*buf));
			d->pending_next += k;
			done += k;
		}
		if (done == max)
			break;
		device_source_drain(d);
		if (d->pending_n > d->pending_next)
			continue;
		/* A stop cannot wait for a microphone that has stalled to be found out. */
		if (!wait || (d->sys->stop && *d->sys->stop))
			break;
		/* Nothing there yet: is the stream still alive? */
		if (Pa_IsStreamActive(d->stream) != 1) {
			d->failed = true;
			*n_read = done;
			return errf(err, errlen, -EIO,
				    "the microphone \"%s\" stopped (it failed or was unplugged) "
				    "(check it; talkleaf reopens it)", src->name);
		}
		if (since(&d->last_data) > CAPTURE_STALL_S + d->latency) {
			d->failed = true;
			*n_read = done;
			return errf(err, errlen, -EIO,
				    "the microphone \"%s\" delivers no sound (it failed or was "
				    "unplugged) (check it; talkleaf reopens it)", src->name);
		}
		Pa_Sleep(5);
	}
	*n_read = done;
	return 0;
}

static int device_source_reopen(struct audio_source *src, char *err, size_t errlen)
{
	return device_source_open(src, err, errlen);
}

static uint64_t device_source_dropped(const struct audio_source *src)
{
	const struct device_source *d = src->impl;
	return audio_ring_dropped(&((struct device_source *)d)->ring);
}

static void device_source_destroy(struct audio_source *src)
{
	struct device_source *d = src->impl;
	if (!d)
		return;
	device_source_close(src);
	if (d->hung || d->stream)
		return; /* the device thread may still use it: left to the process's end */
	audio_resampler_destroy(d->rs);
	audio_ring_done(&d->ring);
	free(d->tmp);
	free(d->pending);
	free(d->spec);
	free(d);
}

static const struct audio_source_ops device_source_ops = {
	.read = device_source_read,
	.reopen = device_source_reopen,
	.close = device_source_close,
	.dropped = device_source_dropped,
	.destroy = device_source_destroy,
};

int audio_source_open_device(struct audio_system *sys, const struct audio_device_config *config,
			     struct audio_source **out, char *err, size_t errlen)
{
	*out = NULL;
	struct device_source *d = xcalloc(1, sizeof(*d));
	d->sys = sys;
	if (config)
		d->cfg = *config;
	d->spec = d->cfg.device && *d->cfg.device ? xstrdup(d->cfg.device) : NULL;
	d->cfg.device = d->spec;
	audio_ring_init(&d->ring);
	struct audio_source *src = audio_source_new(&device_source_ops, d, "microphone");
	int r = device_source_open(src, err, errlen);
	if (r < 0) {
		audio_source_destroy(src);
		return r;
	}
	*out = src;
	return 0;
}

