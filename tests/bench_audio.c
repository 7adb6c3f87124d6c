/* Audio layer figures (printed, never asserted): resampling and endpointing speed as multiples of
 * real time, reading a 44.1 kHz stereo file to 16 kHz mono, and how long the sound system and the
 * devices take to open (the headless ALSA file device of tests/device/, no sound card needed).
 * Run: meson test -C BUILD --benchmark audio -v */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sndfile.h>

#include "audio.h"
#include "audio_helpers.h"
#include "monotonic.h"
#include "endpointer.h"
#include "log.h"

/* The endpointer is fed as the live loop feeds it: 20 ms at a time. */
#define BLOCK (2 * AUDIO_FRAME_10MS)

static int16_t *signal_at(int rate, size_t n)
{
	int16_t *s = xmalloc(n * sizeof(*s) + 1);
	unsigned seed = 1;
	for (size_t i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		double t = (double)i / rate;
		double burst = fmod(t, 3.0) < 1.5 ? 0.3 : 0.0; /* 1.5 s "speech", 1.5 s quiet */
		s[i] = (int16_t)lrint(32767 * (burst * sin(2 * M_PI * 440 * t) +
					      0.003 * ((double)(seed >> 16 & 0x7fff) / 16384 - 1)));
	}
	return s;
}

static void bench_resampler(int in_rate, int out_rate, int quality)
{
	double secs = 60;
	size_t n = (size_t)(secs * in_rate);
	int16_t *in = signal_at(in_rate, n), *out = NULL;
	size_t out_n = 0, cap = 0;
	struct audio_resampler *rs = NULL;
	if (audio_resampler_create(in_rate, out_rate, quality, &rs, NULL, 0) < 0)
		abort();
	double t0 = monotonic_s();
	for (size_t done = 0; done < n; done += 441) {
		size_t k = n - done < 441 ? n - done : 441;
		audio_resampler_process(rs, in + done, k, &out, &out_n, &cap);
	}
	audio_resampler_flush(rs, &out, &out_n, &cap);
	double t = monotonic_s() - t0;
	printf("resample %5d -> %5d Hz, quality %d   %8.0fx real time (60 s in %.1f ms)\n", in_rate,
	       out_rate, quality, secs / t, t * 1000);
	audio_resampler_destroy(rs);
	free(in);
	free(out);
}

static void bench_endpointer(void)
{
	double secs = 300;
	size_t n = (size_t)(secs * AUDIO_RATE_HZ);
	int16_t *s = signal_at(AUDIO_RATE_HZ, n);
	struct endpointer_config c;
	endpointer_config_defaults(&c);
	struct endpointer *ep = NULL;
	if (endpointer_create(&c, &ep, NULL, 0) < 0)
		abort();
	size_t utterances = 0;
	double t0 = monotonic_s();
	for (size_t off = 0; off < n;) {
		struct endpointer_event ev;
		off += endpointer_feed(ep, s + off, n - off < BLOCK ? n - off : BLOCK, &ev);
		if (ev.type == ENDPOINTER_UTTERANCE || ev.type == ENDPOINTER_TIMEOUT) {
			utterances += ev.type == ENDPOINTER_UTTERANCE;
			endpointer_listen(ep);
		}
	}
	double t = monotonic_s() - t0;
	printf("endpointer, 16 kHz                  %8.0fx real time (%zu utterances in 300 s)\n",
	       secs / t, utterances);
	endpointer_destroy(ep);
	free(s);
}

static void bench_file_source(const char *dir)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/bench-44k-stereo.wav", dir);
	double secs = 60;
	size_t n = (size_t)(secs * 44100);
	int16_t *mono = signal_at(44100, n), *st = xmalloc(2 * n * sizeof(*st));
	for (size_t i = 0; i < n; i++)
		st[2 * i] = st[2 * i + 1] = mono[i];
	SF_INFO info = { .samplerate = 44100, .channels = 2,
			 .format = SF_FORMAT_WAV | SF_FORMAT_PCM_16 };
	SNDFILE *sf = sf_open(path, SFM_WRITE, &info);
	if (!sf)
		abort();
	sf_writef_short(sf, st, (sf_count_t)n);
	sf_close(sf);
	struct audio_source *src = NULL;
	double t0 = monotonic_s();
	if (audio_source_open_file(path, &src, NULL, 0) < 0)
		abort();
	int16_t buf[4096];
	size_t total = 0, got;
	do {
		if (audio_source_read(src, buf, 4096, &got, NULL, 0) < 0)
			abort();
		total += got;
	} while (got);
	double t = monotonic_s() - t0;
	printf("WAV 44.1 kHz stereo -> 16 kHz mono  %8.0fx real time (%zu samples)\n", secs / t,
	       total);
	audio_source_destroy(src);
	unlink(path);
	free(mono);
	free(st);
}

static void bench_devices(const char *dir)
{
	char in[512], out[512];
	snprintf(in, sizeof(in), "%s/bench-mic.raw", dir);
	snprintf(out, sizeof(out), "%s/bench-played.wav", dir);
	FILE *f = fopen(in, "wb");
	static int16_t zeros[AUDIO_RATE_HZ]; /* a second */
	fwrite(zeros, sizeof(zeros), 1, f);
	fclose(f);
	setenv("ALSA_CONFIG_PATH", TEST_SOURCE_DIR "/tests/device/asound-file.conf", 1);
	setenv("PA_TEST_IN", in, 1);
	setenv("PA_TEST_OUT", "/dev/null", 1);
	double t_sys = 0, t_src = 0, t_sink = 0;
	int runs = 10;
	for (int i = 0; i < runs; i++) {
		struct audio_system *sys = NULL;
		struct audio_source *src = NULL;
		struct audio_sink *sink = NULL;
		char err[512];
		double t0 = monotonic_s();
		if (audio_system_create(false, &sys, err, sizeof(err)) < 0) {
			printf("devices: %s\n", err);
			return;
		}
		double t1 = monotonic_s();
		if (audio_source_open_device(sys, NULL, &src, err, sizeof(err)) < 0) {
			printf("devices: %s\n", err);
			return;
		}
		double t2 = monotonic_s();
		if (audio_sink_open_device(sys, NULL, &sink, err, sizeof(err)) < 0) {
			printf("devices: %s\n", err);
			return;
		}
		double t3 = monotonic_s();
		t_sys += t1 - t0;
		t_src += t2 - t1;
		t_sink += t3 - t2;
		audio_sink_destroy(sink);
		audio_source_destroy(src);
		audio_system_destroy(sys);
	}
	printf("open (ALSA file device, mean of %d): sound system %.1f ms, microphone %.1f ms, "
	       "speaker %.1f ms\n", runs, t_sys / runs * 1000, t_src / runs * 1000,
	       t_sink / runs * 1000);
	unlink(in);
	(void)out;
}

int main(void)
{
	const char *dir = TEST_BUILD_DIR;
	bench_resampler(22050, 16000, 5);
	bench_resampler(48000, 16000, 3);
	bench_resampler(44100, 16000, 5);
	bench_resampler(16000, 48000, 5);
	bench_endpointer();
	bench_file_source(dir);
	bench_devices(dir);
	return 0;
}
