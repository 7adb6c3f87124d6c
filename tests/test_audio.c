/* The audio layer without devices: the resampler, the file and memory sources (any rate and
 * channel count in, 16 kHz mono out), the WAV, null and memory sinks, the abort check, the
 * measure of the band above 4 kHz, the errors for files that cannot be read, the microphone's
 * ring and the filter that keeps PortAudio's lines off stderr. Test audio is generated here,
 * never committed. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sndfile.h>

#include "audio.h"
#include "audio_helpers.h"
#include "audio_internal.h"
#include "log.h"

static char tmpdir[256];

static int setup(void **state)
{
	return tmpdir_make(tmpdir, sizeof(tmpdir), TEST_BUILD_DIR, "audio");
}

static int teardown(void **state)
{
	return tmpdir_remove(tmpdir);
}

static const char *tmp_path(const char *name)
{
	return path_in(tmpdir, name);
}

static double rms(const int16_t *s, size_t n)
{
	double sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += (double)s[i] * s[i];
	return n ? sqrt(sum / (double)n) / 32768.0 : 0;
}

/* Write a WAV (or other format) of a 440 Hz sine (peak 0.5) on every channel, as floats so that
 * libsndfile scales them to whatever the format holds. */
static void write_tone_file(const char *path, int rate, int channels, int format, double seconds)
{
	SF_INFO info = { .samplerate = rate, .channels = channels, .format = format };
	SNDFILE *sf = sf_open(path, SFM_WRITE, &info);
	assert_non_null(sf);
	size_t frames = (size_t)lrint(seconds * rate);
	float *inter = xmalloc(frames * (size_t)channels * sizeof(*inter) + 1);
	for (size_t i = 0; i < frames; i++)
		for (int c = 0; c < channels; c++)
			inter[i * (size_t)channels + (size_t)c] =
				(float)(0.5 * sin(2 * M_PI * 440.0 * (double)i / rate));
	assert_int_equal(sf_writef_float(sf, inter, (sf_count_t)frames), (sf_count_t)frames);
	sf_close(sf);
	free(inter);
}

/* Read a whole source in odd-sized blocks. */
static int16_t *read_all(struct audio_source *src, size_t *n)
{
	size_t cap = 1 << 16, len = 0;
	int16_t *all = xmalloc(cap * sizeof(*all));
	char err[256];
	for (;;) {
		if (len + 1000 > cap) {
			cap *= 2;
			all = xrealloc(all, cap * sizeof(*all));
		}
		size_t got = 0;
		assert_int_equal(audio_source_read(src, all + len, 997, &got, err, sizeof(err)), 0);
		len += got;
		if (got == 0)
			break;
		assert_true(got <= 997);
	}
	*n = len;
	return all;
}

static void test_resampler_length_and_pitch(void **state)
{
	static const int rates[][2] = { { 22050, 16000 }, { 16000, 22050 }, { 44100, 16000 },
					{ 8000, 16000 }, { 48000, 16000 } };
	for (size_t k = 0; k < sizeof(rates) / sizeof(rates[0]); k++) {
		int in_rate = rates[k][0], out_rate = rates[k][1];
		size_t n = (size_t)in_rate * 3 / 2; /* 1.5 s */
		int16_t *in = sine(440, 0.5 * 32767, in_rate, n);
		struct audio_resampler *rs = NULL;
		assert_int_equal(audio_resampler_create(in_rate, out_rate, -1, &rs, NULL, 0), 0);
		int16_t *out = NULL;
		size_t out_n = 0, cap = 0;
		/* In uneven blocks, as a sink gets them. */
		for (size_t done = 0; done < n;) {
			size_t b = n - done < 1234 ? n - done : 1234;
			audio_resampler_process(rs, in + done, b, &out, &out_n, &cap);
			done += b;
		}
		audio_resampler_flush(rs, &out, &out_n, &cap);
		assert_int_equal(out_n, audio_resampler_out_len(in_rate, out_rate, n));
		assert_int_equal(out_n, (size_t)out_rate * 3 / 2);
		assert_float_equal(measure_freq(out, out_n, out_rate), 440.0, 1.0);
		assert_float_equal(rms(out + out_n / 4, out_n / 2), 0.5 / sqrt(2), 0.02);
		/* No delay: the output starts in phase (first upward crossing within a sample). */
		assert_true(abs(out[0]) < 300);
		assert_true(out[out_rate / 1760] > 10000); /* a quarter period in: near the peak */
		audio_resampler_destroy(rs);
		free(in);
		free(out);
	}
	struct audio_resampler *rs = (void *)1;
	char err[256];
	assert_int_equal(audio_resampler_create(0, 16000, 5, &rs, err, sizeof(err)), -EINVAL);
	assert_null(rs);
	assert_non_null(strstr(err, "0 Hz"));
}

/* WAV at 8 kHz mono, 44.1 kHz stereo, 22.05 kHz, 16 kHz, FLAC 48 kHz stereo: all 16 kHz mono. */
static void test_file_source_converts(void **state)
{
	static const struct {
		int rate, channels, format;
		const char *name;
	} cases[] = {
		{ 8000, 1, SF_FORMAT_WAV | SF_FORMAT_PCM_16, "8k.wav" },
		{ 44100, 2, SF_FORMAT_WAV | SF_FORMAT_PCM_16, "44k-stereo.wav" },
		{ 22050, 1, SF_FORMAT_WAV | SF_FORMAT_PCM_16, "22k.wav" },
		{ 16000, 1, SF_FORMAT_WAV | SF_FORMAT_PCM_16, "16k.wav" },
		{ 48000, 2, SF_FORMAT_FLAC | SF_FORMAT_PCM_16, "48k-stereo.flac" },
		{ 16000, 1, SF_FORMAT_WAV | SF_FORMAT_FLOAT, "16k-float.wav" },
	};
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		const char *path = tmp_path(cases[k].name);
		write_tone_file(path, cases[k].rate, cases[k].channels, cases[k].format, 2.5);
		struct audio_source *src = NULL;
		char err[256] = "";
		assert_int_equal(audio_source_open_file(path, &src, err, sizeof(err)), 0);
		assert_string_equal(audio_source_name(src), path);
		size_t n = 0;
		int16_t *all = read_all(src, &n);
		/* 2.5 s exactly (the resampler is aligned: no sample more or less). */
		assert_int_equal(n, 40000);
		assert_int_equal(audio_source_position(src), 40000);
		assert_float_equal(measure_freq(all, n, AUDIO_RATE_HZ), 440.0, 1.0);
		/* Stereo with the same signal on both channels mixes to the same level. */
		assert_float_equal(rms(all + 4000, n - 8000), 0.5 / sqrt(2), 0.02);
		/* Reads after the end stay at the end. */
		size_t got = 1;
		int16_t b[8];
		assert_int_equal(audio_source_read(src, b, 8, &got, err, sizeof(err)), 0);
		assert_int_equal(got, 0);
		audio_source_destroy(src);
		free(all);
	}
}

static void test_file_source_16k_is_exact(void **state)
{
	const char *path = tmp_path("exact.wav");
	SF_INFO info = {
	    .samplerate = AUDIO_RATE_HZ, .channels = 1, .format = SF_FORMAT_WAV | SF_FORMAT_PCM_16};
	SNDFILE *sf = sf_open(path, SFM_WRITE, &info);
	assert_non_null(sf);
	int16_t ref[5000];
	unsigned x = 12345;
	for (size_t i = 0; i < 5000; i++) {
		x = x * 1103515245u + 12345u;
		ref[i] = (int16_t)(x >> 16);
	}
	ref[0] = -32768;
	ref[1] = 32767;
	sf_write_short(sf, ref, 5000);
	sf_close(sf);
	struct audio_source *src = NULL;
	assert_int_equal(audio_source_open_file(path, &src, NULL, 0), 0);
	size_t n = 0;
	int16_t *all = read_all(src, &n);
	assert_int_equal(n, 5000);
	assert_memory_equal(all, ref, sizeof(ref));
	audio_source_destroy(src);
	free(all);
}

static void test_file_source_errors(void **state)
{
	char err[512];
	struct audio_source *src = (void *)1;
	const char *missing = tmp_path("missing.wav");
	assert_int_equal(audio_source_open_file(missing, &src, err, sizeof(err)), -ENOENT);
	assert_null(src);
	assert_true(strncmp(err, missing, strlen(missing)) == 0);
	assert_non_null(strstr(err, "No such file"));

	/* Text with a .wav name. */
	const char *text = tmp_path("text.wav");
	FILE *f = fopen(text, "w");
	assert_non_null(f);
	fputs("this is not audio\n", f);
	fclose(f);
	assert_int_equal(audio_source_open_file(text, &src, err, sizeof(err)), -EINVAL);
	assert_null(src);
	char expected[600];
	snprintf(expected, sizeof(expected), "%s: not an audio file libsndfile can read", text);
	assert_true(strncmp(err, expected, strlen(expected)) == 0);
	assert_non_null(strstr(err, "(convert it to WAV"));

	/* A real WAV at a rate nobody can resample: 100 Hz. */
	const char *slow = tmp_path("100hz.wav");
	write_tone_file(slow, 100, 1, SF_FORMAT_WAV | SF_FORMAT_PCM_16, 1.0);
	assert_int_equal(audio_source_open_file(slow, &src, err, sizeof(err)), -EINVAL);
	assert_null(src);
	snprintf(expected, sizeof(expected),
		 "%s: sample rate 100 Hz is not supported (resample it to 16000 Hz, e.g. with sox)",
		 slow);
	assert_string_equal(err, expected);

	/* A WAV header cut short. */
	const char *cut = tmp_path("cut.wav");
	write_tone_file(cut, 16000, 1, SF_FORMAT_WAV | SF_FORMAT_PCM_16, 1.0);
	assert_int_equal(truncate(cut, 20), 0);
	assert_int_equal(audio_source_open_file(cut, &src, err, sizeof(err)), -EINVAL);
	assert_true(strncmp(err, cut, strlen(cut)) == 0);

	/* A folder. */
	assert_true(audio_source_open_file(tmpdir, &src, err, sizeof(err)) < 0);
	assert_null(src);
	assert_true(strncmp(err, tmpdir, strlen(tmpdir)) == 0);

	/* Only a device reopens. */
	int16_t one = 1;
	assert_int_equal(audio_source_open_memory(&one, 1, 16000, "turn 1", &src, NULL, 0), 0);
	assert_int_equal(audio_source_reopen(src, err, sizeof(err)), -ENOTSUP);
	assert_string_equal(err, "turn 1: only a sound device can be reopened");
	audio_source_destroy(src);
}

static void test_memory_source(void **state)
{
	int16_t *tone = sine(440, 0.5 * 32767, 22050, 22050);
	struct audio_source *src = NULL;
	char err[256];
	assert_int_equal(audio_source_open_memory(tone, 22050, 22050, NULL, &src, err, sizeof(err)),
			 0);
	assert_string_equal(audio_source_name(src), "memory");
	size_t n = 0;
	int16_t *all = read_all(src, &n);
	assert_int_equal(n, AUDIO_RATE_HZ);
	assert_float_equal(measure_freq(all, n, AUDIO_RATE_HZ), 440.0, 1.0);
	free(all);
	/* Appended after running dry: delivered next, at 16 kHz. */
	int16_t ref[800];
	for (int i = 0; i < 800; i++)
		ref[i] = (int16_t)(i * 7 - 2000);
	assert_int_equal(audio_source_memory_append(src, ref, 800, 16000, err, sizeof(err)), 0);
	all = read_all(src, &n);
	assert_int_equal(n, 800);
	assert_memory_equal(all, ref, sizeof(ref));
	assert_int_equal(audio_source_position(src), 16800);
	assert_int_equal(audio_source_dropped(src), 0);
	free(all);
	assert_int_equal(audio_source_memory_append(src, ref, 800, 10, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "10 Hz"));
	audio_source_destroy(src);
	/* Appending to a file source is refused. */
	const char *path = tmp_path("a.wav");
	write_tone_file(path, 16000, 1, SF_FORMAT_WAV | SF_FORMAT_PCM_16, 0.1);
	assert_int_equal(audio_source_open_file(path, &src, NULL, 0), 0);
	assert_int_equal(audio_source_memory_append(src, ref, 800, 16000, err, sizeof(err)),
			 -EINVAL);
	audio_source_destroy(src);
	free(tone);
}

static void test_wav_sink_round_trip(void **state)
{
	const char *path = tmp_path("out.wav");
	struct audio_sink *sink = NULL;
	char err[256];
	assert_int_equal(audio_sink_open_file(path, 0, &sink, err, sizeof(err)), 0);
	assert_int_equal(audio_sink_rate(sink), 0);
	int16_t ref[30000];
	for (int i = 0; i < 30000; i++)
		ref[i] = (int16_t)((i * 37) % 65536 - 32768);
	size_t played = 0;
	/* Two writes at the synthesiser's rate: the file takes that rate, samples unchanged. */
	assert_int_equal(audio_sink_write(sink, ref, 10000, 22050, &played, err, sizeof(err)), 0);
	assert_int_equal(played, 10000);
	assert_int_equal(
	    audio_sink_write(sink, ref + 10000, 20000, 22050, &played, err, sizeof(err)), 0);
	assert_int_equal(audio_sink_finish(sink, err, sizeof(err)), 0);
	assert_int_equal(audio_sink_rate(sink), 22050);
	assert_int_equal(audio_sink_position(sink), 30000);
	assert_float_equal(audio_sink_latency_s(sink), 0, 0);
	audio_sink_destroy(sink);
	int16_t *got;
	size_t n;
	int rate;
	got = read_wav(path, &n, &rate);
	assert_non_null(got);
	assert_int_equal(rate, 22050);
	assert_int_equal(n, 30000);
	assert_memory_equal(got, ref, sizeof(ref));
	free(got);

	/* A 16 kHz file fed 22050 Hz speech: resampled, the whole of it (tail flushed on close). */
	const char *path16 = tmp_path("out16.wav");
	assert_int_equal(audio_sink_open_file(path16, 16000, &sink, err, sizeof(err)), 0);
	int16_t *tone = sine(440, 0.5 * 32767, 22050, 44100);
	assert_int_equal(audio_sink_write(sink, tone, 44100, 22050, &played, err, sizeof(err)), 0);
	audio_sink_destroy(sink);
	got = read_wav(path16, &n, &rate);
	assert_non_null(got);
	assert_int_equal(rate, 16000);
	assert_int_equal(n, 32000);
	assert_float_equal(measure_freq(got, n, 16000), 440.0, 1.0);
	assert_true(rms(got + 31000, 1000) > 0.3); /* the end is there */
	free(got);
	free(tone);

	/* Nothing written: still a valid, empty WAV. */
	const char *empty = tmp_path("empty.wav");
	assert_int_equal(audio_sink_open_file(empty, 0, &sink, err, sizeof(err)), 0);
	audio_sink_destroy(sink);
	got = read_wav(empty, &n, &rate);
	assert_non_null(got);
	assert_int_equal(n, 0);
	assert_int_equal(rate, 16000);
	free(got);

	/* A sink that cannot be created says which file. */
	const char *bad = tmp_path("no/such/dir/x.wav");
	assert_int_equal(audio_sink_open_file(bad, 0, &sink, err, sizeof(err)), -EIO);
	assert_null(sink);
	assert_true(strncmp(err, bad, strlen(bad)) == 0);
}

static void test_null_sink(void **state)
{
	struct audio_sink *sink = NULL;
	char err[256];
	assert_int_equal(audio_sink_open_null(&sink, err, sizeof(err)), 0);
	assert_string_equal(audio_sink_name(sink), "null");
	int16_t *tone = sine(440, 0.5 * 32767, 22050, 22050 * 3);
	size_t played = 0;
	assert_int_equal(audio_sink_write(sink, tone, 22050 * 3, 22050, &played, err, sizeof(err)),
			 0);
	assert_int_equal(played, 22050 * 3);
	assert_int_equal(audio_sink_position(sink), 22050 * 3);
	assert_int_equal(audio_sink_finish(sink, err, sizeof(err)), 0);
	assert_null(audio_sink_memory_samples(sink, NULL, NULL));
	assert_int_equal(audio_sink_reopen(sink, err, sizeof(err)), -ENOTSUP);
	assert_int_equal(audio_sink_write(sink, tone, 10, 0, &played, err, sizeof(err)), -EINVAL);
	audio_sink_destroy(sink);
	audio_sink_destroy(NULL);
	audio_source_destroy(NULL);
	free(tone);
}

static void test_memory_sink(void **state)
{
	struct audio_sink *sink = NULL;
	char err[256];
	assert_int_equal(audio_sink_open_memory(16000, &sink, err, sizeof(err)), 0);
	int16_t ref[1600];
	for (int i = 0; i < 1600; i++)
		ref[i] = (int16_t)(i - 800);
	assert_int_equal(audio_sink_write(sink, ref, 1600, 16000, NULL, err, sizeof(err)), 0);
	size_t n = 0;
	int rate = 0;
	const int16_t *got = audio_sink_memory_samples(sink, &n, &rate);
	assert_int_equal(n, 1600);
	assert_int_equal(rate, 16000);
	assert_memory_equal(got, ref, sizeof(ref));
	/* Then 1 s at 22050 Hz: 16000 more samples once the reply is finished. */
	int16_t *tone = sine(1000, 0.3 * 32767, 22050, 22050);
	assert_int_equal(audio_sink_write(sink, tone, 22050, 22050, NULL, err, sizeof(err)), 0);
	assert_int_equal(audio_sink_finish(sink, err, sizeof(err)), 0);
	got = audio_sink_memory_samples(sink, &n, &rate);
	assert_int_equal(n, 1600 + 16000);
	assert_float_equal(measure_freq(got + 1600, 16000, 16000), 1000.0, 2.0);
	audio_sink_destroy(sink);
	free(tone);
}

/* A key press stops speech at once: the write returns 1 and says how much was played. */
static void test_abort(void **state)
{
	struct audio_sink *sink = NULL;
	char err[256];
	assert_int_equal(audio_sink_open_memory(0, &sink, err, sizeof(err)), 0);
	struct key_press s = { 0, 2 };
	audio_sink_set_abort(sink, key_press_due, &s);
	int16_t *tone = sine(440, 0.5 * 32767, 16000, 16000 * 10);
	size_t played = 99;
	assert_int_equal(audio_sink_write(sink, tone, 160000, 16000, &played, err, sizeof(err)), 1);
	/* The memory sink's blocks are 1 s: two of them went out. */
	assert_int_equal(played, 32000);
	size_t n = 0;
	audio_sink_memory_samples(sink, &n, NULL);
	assert_int_equal(n, 32000);
	audio_sink_set_abort(sink, NULL, NULL);
	assert_int_equal(audio_sink_write(sink, tone, 16000, 16000, &played, err, sizeof(err)), 0);
	assert_int_equal(played, 16000);
	audio_sink_destroy(sink);
	free(tone);
}

/* Noise with a flat spectrum stands in for speech's fricatives; the same noise made at 8 kHz and
 * read back at 16 kHz has nothing above 4 kHz, as through a telephone line. */
static void test_high_band(void **state)
{
	size_t n16 = 32000, n8 = 16000;
	int16_t *wide = xmalloc(n16 * sizeof(*wide)), *narrow8 = xmalloc(n8 * sizeof(*narrow8));
	unsigned seed = 7;
	for (size_t i = 0; i < n16; i++)
		wide[i] = (int16_t)((int)(rand_r(&seed) % 8001) - 4000);
	for (size_t i = 0; i < n8; i++)
		narrow8[i] = wide[i];
	/* White noise: half its energy lies above 4 kHz. */
	double wide_db = audio_high_band_db(wide, n16);
	assert_true(wide_db > -4.5 && wide_db < -1.5);
	struct audio_source *src = NULL;
	char err[256];
	assert_int_equal(audio_source_open_memory(narrow8, n8, 8000, NULL, &src, err, sizeof(err)), 0);
	size_t n = 0;
	int16_t *narrow = read_all(src, &n);
	audio_source_destroy(src);
	assert_int_equal(n, n16);
	assert_true(audio_high_band_db(narrow, n) < AUDIO_NARROWBAND_DB);
	/* Silence and a few samples say nothing. */
	memset(wide, 0, n16 * sizeof(*wide));
	assert_true(audio_high_band_db(wide, n16) == 0);
	assert_true(audio_high_band_db(narrow, 100) == 0);
	free(wide);
	free(narrow8);
	free(narrow);
}

/* Stereo frames come out mono; what does not fit is dropped (the newest) and counted. */
static void test_ring(void **state)
{
	struct audio_ring ring;
	audio_ring_init(&ring);
	audio_ring_reset(&ring, 1000);
	assert_int_equal(ring.cap, 1024);
	const int16_t stereo[] = { 100, 300, -100, -300, 7, 8 };
	audio_ring_push(&ring, stereo, 3, 2);
	assert_int_equal(audio_ring_available(&ring), 3);
	int16_t out[2048];
	assert_int_equal(audio_ring_pop(&ring, out, 2), 2);
	assert_int_equal(out[0], 200);
	assert_int_equal(out[1], -200);
	assert_int_equal(audio_ring_pop(&ring, out, 10), 1);
	assert_int_equal(out[0], 7);
	int16_t *many = xcalloc(1100, sizeof(*many));
	for (int i = 0; i < 1100; i++)
		many[i] = (int16_t)i;
	audio_ring_push(&ring, many, 1100, 1);
	assert_int_equal(audio_ring_dropped(&ring), 1100 - 1024);
	assert_int_equal(audio_ring_pop(&ring, out, 2048), 1024);
	assert_int_equal(out[0], 0);
	assert_int_equal(out[1023], 1023);
	free(many);
	audio_ring_done(&ring);
}

/* PortAudio's "Expression '...' failed in '...'" lines go; every other line passes unchanged,
 * whole or written in pieces, and so does a last line without its newline. */
static void test_stderr_filter(void **state)
{
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	assert_non_null(mem);
	FILE *saved = stderr;
	stderr = mem;
	assert_int_equal(audio_stderr_filter_install(), 0);
	assert_int_equal(audio_stderr_filter_install(), 0);
	fprintf(stderr, "Expression 'ret' failed in 'src/hostapi/alsa/pa_linux_alsa.c', line: %d\n",
		1736);
	fputs("talkleaf: warning: ", stderr);
	fputs("kept\n", stderr);
	fputs("Expression: not PortAudio's\nExpression 'x' is fine\n", stderr);
	fputs("Expr", stderr);
	fputs("ession 'PaAlsaStream_WaitForFrames( stream, &framesAvail, &xrun )' fai", stderr);
	fputs("led in 'src/hostapi/alsa/pa_linux_alsa.c', line: 4285\nafter\n", stderr);
	fputs("no newline at the end", stderr);
	audio_stderr_filter_remove();
	assert_ptr_equal(stderr, mem);
	stderr = saved;
	fclose(mem);
	assert_string_equal(text, "talkleaf: warning: kept\nExpression: not PortAudio's\n"
				  "Expression 'x' is fine\nafter\nno newline at the end");
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_resampler_length_and_pitch),
		cmocka_unit_test(test_file_source_converts),
		cmocka_unit_test(test_file_source_16k_is_exact),
		cmocka_unit_test(test_file_source_errors),
		cmocka_unit_test(test_memory_source),
		cmocka_unit_test(test_wav_sink_round_trip),
		cmocka_unit_test(test_null_sink),
		cmocka_unit_test(test_memory_sink),
		cmocka_unit_test(test_abort),
		cmocka_unit_test(test_high_band),
		cmocka_unit_test(test_ring),
		cmocka_unit_test(test_stderr_filter),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
