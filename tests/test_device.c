/* Real PortAudio streams without a sound card (suite "device"), following the headless recipe
 * kept in tests/device/:
 *  - by default: ALSA's file plugin (tests/device/asound-file.conf) makes a "microphone" of a raw
 *    file and a "speaker" of a WAV file, no daemon. Capture must be bit-exact, playback complete
 *    to its last sample; no device, no pcm.default, device choice, abort.
 *  - with --pulse DIR (run by tests/device/run-pulse.sh, which starts a private PulseAudio server
 *    with null sinks in DIR): real-time pacing, completeness, and a device that dies mid-stream
 *    and comes back (the server killed and restarted).
 * Figures (open time, exactness, pacing) are printed, never asserted as timings. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "audio.h"
#include "audio_helpers.h"
#include "audio_internal.h"
#include "log.h"

#define CONF_DIR TEST_SOURCE_DIR "/tests/device"
/* What the live loop reads from the microphone at a time: 20 ms. */
#define LOOP_BLOCK (2 * AUDIO_FRAME_10MS)

static char tmpdir[256];
static const char *pulse_dir;

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static const char *tmp_path(const char *name)
{
	return path_in(tmpdir, name);
}

/* Speech-like test signal: a gliding tone with a syllable envelope and a little noise, so every
 * sample differs from its neighbours and a shifted or dropped block cannot match by chance. */
static int16_t *test_signal(int rate, size_t n, unsigned seed)
{
	int16_t *s = xmalloc(n * sizeof(*s) + 1);
	double phase = 0;
	for (size_t i = 0; i < n; i++) {
		double t = (double)i / rate;
		double f = 300 + 200 * sin(2 * M_PI * 0.7 * t);
		phase += 2 * M_PI * f / rate;
		double env = 0.35 + 0.3 * sin(2 * M_PI * 4 * t);
		seed = seed * 1103515245u + 12345u;
		double noise = ((double)(seed >> 16 & 0x7fff) / 16384.0 - 1.0) * 0.02;
		s[i] = (int16_t)lrint((env * sin(phase) + noise) * 32767.0);
		if (s[i] == 0)
			s[i] = 1; /* zero means silence in the checks below */
	}
	return s;
}

static void write_raw(const char *path, const int16_t *s, size_t n)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	if (n)
		assert_int_equal(fwrite(s, sizeof(*s), n, f), n);
	fclose(f);
}

/* Where `needle` (its first 64 samples) first occurs in hay, or -1. */
static long find(const int16_t *hay, size_t n, const int16_t *needle, size_t m)
{
	size_t k = m < 64 ? m : 64;
	for (size_t i = 0; i + k <= n; i++)
		if (memcmp(hay + i, needle, k * sizeof(*hay)) == 0)
			return (long)i;
	return -1;
}

static size_t count_equal(const int16_t *a, const int16_t *b, size_t n)
{
	size_t same = 0;
	for (size_t i = 0; i < n; i++)
		same += a[i] == b[i];
	return same;
}

/* ---- ALSA file plugin ------------------------------------------------------------------------ */

static int setup_file(void **state)
{
	if (tmpdir_make(tmpdir, sizeof(tmpdir), TEST_BUILD_DIR, "device") < 0)
		return -1;
	setenv("ALSA_CONFIG_PATH", CONF_DIR "/asound-file.conf", 1);
	unsetenv("PA_TEST_IN_RATE");
	return 0;
}

static int teardown_file(void **state)
{
	return tmpdir_remove(tmpdir);
}

static struct audio_system *system_open(void)
{
	struct audio_system *sys = NULL;
	char err[512];
	int r = audio_system_create(false, &sys, err, sizeof(err));
	if (r < 0)
		fail_msg("audio_system_create: %s", err);
	return sys;
}

static void test_no_pcm_default(void **state)
{
	setenv("ALSA_CONFIG_PATH", CONF_DIR "/asound-nodefault.conf", 1);
	struct audio_system *sys = (void *)1;
	char err[512];
	/* PortAudio would abort the process here; we get a sentence instead. */
	assert_int_equal(audio_system_create(false, &sys, err, sizeof(err)), -ENODEV);
	assert_null(sys);
	assert_string_equal(err, "ALSA's configuration defines no default device, pcm.default "
				 "(check ALSA_CONFIG_PATH, /etc/asound.conf and ~/.asoundrc)");
	setenv("ALSA_CONFIG_PATH", CONF_DIR "/asound-file.conf", 1);
}

static void test_no_device(void **state)
{
	setenv("ALSA_CONFIG_PATH", CONF_DIR "/asound-none.conf", 1);
	struct audio_system *sys = system_open();
	struct audio_device_info *list = (void *)1;
	size_t n = 99;
	char err[512];
	assert_int_equal(audio_system_devices(sys, &list, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 0);
	free(list);
	struct audio_source *src = (void *)1;
	assert_int_equal(audio_source_open_device(sys, NULL, &src, err, sizeof(err)), -ENODEV);
	assert_null(src);
	assert_true(strncmp(err, "no sound device found (", 23) == 0);
	struct audio_sink *sink = (void *)1;
	assert_int_equal(audio_sink_open_device(sys, NULL, &sink, err, sizeof(err)), -ENODEV);
	assert_null(sink);
	assert_true(strncmp(err, "no sound device found (", 23) == 0);
	audio_system_destroy(sys);
	setenv("ALSA_CONFIG_PATH", CONF_DIR "/asound-file.conf", 1);
}

/* The microphone reads a raw file: what arrives must be that file, sample for sample. */
static void test_file_capture_exact(void **state)
{
	/* Read 3 s of a 4 s file: after its end the file plugin reads its null slave, which gives
	 * whatever is in memory, not silence. */
	size_t n = AUDIO_RATE_HZ * 3;
	int16_t *ref = test_signal(AUDIO_RATE_HZ, n + AUDIO_RATE_HZ, 1);
	const char *in = tmp_path("mic.raw");
	write_raw(in, ref, n + AUDIO_RATE_HZ);
	setenv("PA_TEST_IN", in, 1);
	setenv("PA_TEST_OUT", tmp_path("unused.wav"), 1);
	double t0 = now_s();
	struct audio_system *sys = system_open();
	double t_init = now_s() - t0;
	struct audio_device_info *list = NULL;
	size_t nd = 0;
	assert_int_equal(audio_system_devices(sys, &list, &nd, NULL, 0), 0);
	assert_int_equal(nd, 1);
	assert_string_equal(list[0].name, "default");
	assert_true(list[0].is_default_input && list[0].is_default_output);
	free(list);

	struct audio_device_config cfg;
	audio_device_config_defaults(&cfg);
	cfg.buffer_s = 10; /* the file plugin is not paced: hold all of it */
	struct audio_source *src = NULL;
	char err[512];
	t0 = now_s();
	assert_int_equal(audio_source_open_device(sys, &cfg, &src, err, sizeof(err)), 0);
	double t_open = now_s() - t0;
	assert_string_equal(audio_source_name(src), "default");
	int16_t *got = xcalloc(n, sizeof(*got));
	size_t have = 0;
	t0 = now_s();
	while (have < n) {
		size_t k = 0;
		assert_int_equal(audio_source_read(src, got + have, LOOP_BLOCK, &k, err, sizeof(err)),
				 0);
		assert_int_equal(k, LOOP_BLOCK);
		have += k;
	}
	double t_read = now_s() - t0;
	assert_int_equal(audio_source_position(src), have);
	size_t same = count_equal(got, ref, n);
	printf("# capture (ALSA file): %zu of %zu samples identical (%.3f %%), lag 0; "
	       "sound system %.0f ms, microphone open %.0f ms, 3 s read in %.3f s (not paced)\n",
	       same, n, 100.0 * (double)same / (double)n, t_init * 1000, t_open * 1000, t_read);
	assert_int_equal(same, n);
	audio_source_destroy(src);
	audio_system_destroy(sys);
	free(got);
	free(ref);
}

/* The newest played.wav* with sound in it. */
static int16_t *read_played(const char *base, size_t *n, int *rate)
{
	int16_t *best = NULL;
	for (int i = 0; i < 100; i++) {
		char path[600];
		if (i == 0)
			snprintf(path, sizeof(path), "%s", base);
		else
			snprintf(path, sizeof(path), "%s.%04d", base, i);
		if (access(path, F_OK) != 0)
			continue;
		size_t k = 0;
		int r = 0;
		int16_t *s = read_wav(path, &k, &r);
		if (s && k > 0) {
			free(best);
			best = s;
			*n = k;
			*rate = r;
		} else {
			free(s);
		}
	}
	return best;
}

/* Two replies through the speaker, streamed in small chunks as the synthesiser gives them: both
 * arrive whole, their ends included (the latency padding before the stop). */
static void test_file_playback_complete(void **state)
{
	size_t n1 = 22050 * 23 / 10, n2 = 22050;
	int16_t *r1 = test_signal(22050, n1, 2), *r2 = test_signal(22050, n2, 3);
	const char *out = tmp_path("played.wav");
	setenv("PA_TEST_IN", tmp_path("silence.raw"), 1);
	write_raw(tmp_path("silence.raw"), r1, 0);
	setenv("PA_TEST_OUT", out, 1);
	struct audio_system *sys = system_open();
	struct audio_sink *sink = NULL;
	char err[512];
	double t0 = now_s();
	assert_int_equal(audio_sink_open_device(sys, NULL, &sink, err, sizeof(err)), 0);
	double t_open = now_s() - t0;
	assert_int_equal(audio_sink_rate(sink), 22050);
	double latency = audio_sink_latency_s(sink);
	assert_true(latency > 0);
	for (int reply = 0; reply < 2; reply++) {
		const int16_t *s = reply ? r2 : r1;
		size_t n = reply ? n2 : n1;
		for (size_t done = 0; done < n;) {
			size_t k = n - done < 441 ? n - done : 441;
			size_t played = 0;
			assert_int_equal(audio_sink_write(sink, s + done, k, 22050, &played, err,
							  sizeof(err)), 0);
			assert_int_equal(played, k);
			done += k;
		}
		assert_int_equal(audio_sink_finish(sink, err, sizeof(err)), 0);
	}
	audio_sink_destroy(sink);
	audio_system_destroy(sys);

	size_t n = 0;
	int rate = 0;
	int16_t *got = read_played(out, &n, &rate);
	assert_non_null(got);
	assert_int_equal(rate, 22050);
	long a = find(got, n, r1, n1), b = find(got, n, r2, n2);
	assert_true(a >= 0);
	assert_true(b > a);
	assert_true((size_t)b + n2 <= n);
	size_t same1 = count_equal(got + a, r1, n1), same2 = count_equal(got + b, r2, n2);
	/* Between the replies: the first one's padding, silence. */
	size_t gap = (size_t)b - (size_t)a - n1;
	printf(
	    "# playback (ALSA file): reply 1 %zu/%zu samples, reply 2 %zu/%zu samples, at %ld and "
	    "%ld; %zu samples of padding between (latency %.0f ms); speaker open %.0f ms\n",
	    same1, n1, same2, n2, a, b, gap, latency * 1000, t_open * 1000);
	assert_int_equal(same1, n1);
	assert_int_equal(same2, n2);
	for (size_t i = (size_t)a + n1; i < (size_t)b; i++)
		assert_int_equal(got[i], 0);
	free(got);
	free(r1);
	free(r2);
}

/* Devices opened at another rate than the recogniser's and the synthesiser's: the microphone at
 * 48 kHz still delivers 16 kHz (same pitch, same duration), the speaker at 48 kHz gets a reply
 * written at 22050 Hz resampled, whole. */
static void test_file_resampled(void **state)
{
	size_t n_in = 48000 * 2;
	int16_t *tone = sine(440, 16000, 48000, n_in);
	const char *in = tmp_path("mic48.raw");
	write_raw(in, tone, n_in);
	setenv("PA_TEST_IN", in, 1);
	setenv("PA_TEST_IN_RATE", "48000", 1);
	const char *out = tmp_path("played48.wav");
	setenv("PA_TEST_OUT", out, 1);
	struct audio_system *sys = system_open();
	struct audio_device_config cfg;
	audio_device_config_defaults(&cfg);
	cfg.rate_hz = 48000;
	cfg.buffer_s = 10;
	struct audio_source *src = NULL;
	char err[512];
	assert_int_equal(audio_source_open_device(sys, &cfg, &src, err, sizeof(err)), 0);
	size_t n = AUDIO_RATE_HZ * 3 / 2;
	int16_t *got = xcalloc(n, sizeof(*got));
	size_t have = 0;
	while (have < n) {
		size_t k = 0;
		assert_int_equal(audio_source_read(src, got + have, n - have, &k, err, sizeof(err)),
				 0);
		have += k;
	}
	double f = measure_freq(got, n, AUDIO_RATE_HZ);
	printf("# capture at 48 kHz, delivered at 16 kHz: %.2f Hz (440 played)\n", f);
	assert_float_equal(f, 440, 1);
	audio_source_destroy(src);

	struct audio_sink *sink = NULL;
	assert_int_equal(audio_sink_open_device(sys, &cfg, &sink, err, sizeof(err)), 0);
	assert_int_equal(audio_sink_rate(sink), 48000);
	size_t n_reply = 22050 * 2;
	int16_t *reply = sine(440, 16000, 22050, n_reply);
	for (size_t done = 0; done < n_reply; done += 2205)
		assert_int_equal(audio_sink_write(sink, reply + done, 2205, 22050, NULL, err,
						  sizeof(err)), 0);
	assert_int_equal(audio_sink_finish(sink, err, sizeof(err)), 0);
	audio_sink_destroy(sink);
	audio_system_destroy(sys);
	unsetenv("PA_TEST_IN_RATE");
	size_t got_n = 0;
	int rate = 0;
	int16_t *played = read_played(out, &got_n, &rate);
	assert_non_null(played);
	assert_int_equal(rate, 48000);
	/* The tone fills exactly 2 s at 48 kHz (the resampler's tail is flushed before the
	 * padding): find its last loud sample. */
	size_t last = 0;
	for (size_t i = 0; i < got_n; i++)
		if (abs(played[i]) > 2000)
			last = i;
	printf("# playback 22050 Hz -> 48 kHz device: tone ends at %.4f s of 2 s, %.2f Hz\n",
	       (double)(last + 1) / 48000, measure_freq(played, 96000, 48000));
	assert_true(last + 1 >= 96000 - 48 && last + 1 <= 96000);
	assert_float_equal(measure_freq(played, 96000, 48000), 440, 1);
	free(played);
	free(reply);
	free(got);
	free(tone);
}

static void test_device_choice(void **state)
{
	setenv("PA_TEST_IN", tmp_path("silence.raw"), 1);
	write_raw(tmp_path("silence.raw"), NULL, 0);
	setenv("PA_TEST_OUT", tmp_path("choice.wav"), 1);
	struct audio_system *sys = system_open();
	struct audio_system *second = (void *)1;
	char err[512];
	assert_int_equal(audio_system_create(false, &second, err, sizeof(err)), -EBUSY);
	assert_null(second);
	static const char *const good[] = { "0", "default", "DEFA", "" };
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		struct audio_device_config cfg;
		audio_device_config_defaults(&cfg);
		cfg.device = good[i];
		struct audio_sink *sink = NULL;
		if (audio_sink_open_device(sys, &cfg, &sink, err, sizeof(err)) != 0)
			fail_msg("--output-device '%s': %s", good[i], err);
		assert_string_equal(audio_sink_name(sink), "default");
		audio_sink_destroy(sink);
	}
	struct audio_device_config cfg;
	audio_device_config_defaults(&cfg);
	cfg.device = "headset";
	struct audio_source *src = (void *)1;
	assert_int_equal(audio_source_open_device(sys, &cfg, &src, err, sizeof(err)), -ENODEV);
	assert_null(src);
	assert_string_equal(err, "no microphone called \"headset\" (talkleaf devices lists them)");
	cfg.device = "7";
	struct audio_sink *sink = (void *)1;
	assert_int_equal(audio_sink_open_device(sys, &cfg, &sink, err, sizeof(err)), -ENODEV);
	assert_null(sink);
	assert_string_equal(err, "there is no sound device 7 (talkleaf devices lists them)");
	audio_system_destroy(sys);
}

/* A key press during a reply: the write stops at once, says how much went out, and the next
 * reply plays normally. */
static void test_device_abort(void **state)
{
	setenv("PA_TEST_IN", tmp_path("silence.raw"), 1);
	write_raw(tmp_path("silence.raw"), NULL, 0);
	const char *out = tmp_path("abort.wav");
	setenv("PA_TEST_OUT", out, 1);
	struct audio_system *sys = system_open();
	struct audio_device_config cfg;
	audio_device_config_defaults(&cfg);
	cfg.block_ms = 10;
	struct audio_sink *sink = NULL;
	char err[512];
	assert_int_equal(audio_sink_open_device(sys, &cfg, &sink, err, sizeof(err)), 0);
	struct key_press key = { 0, 5 };
	audio_sink_set_abort(sink, key_press_due, &key);
	size_t n = 22050 * 5;
	int16_t *s = test_signal(22050, n, 4);
	size_t played = 0;
	assert_int_equal(audio_sink_write(sink, s, n, 22050, &played, err, sizeof(err)), 1);
	assert_int_equal(played, 5 * 220); /* five 10 ms blocks of 22050 Hz */
	audio_sink_set_abort(sink, NULL, NULL);
	int16_t *next = test_signal(22050, 22050, 7);
	assert_int_equal(audio_sink_write(sink, next, 22050, 22050, &played, err, sizeof(err)), 0);
	assert_int_equal(audio_sink_finish(sink, err, sizeof(err)), 0);
	audio_sink_destroy(sink);
	audio_system_destroy(sys);
	size_t got_n = 0;
	int rate = 0;
	int16_t *got = read_played(out, &got_n, &rate);
	assert_non_null(got);
	/* The second reply is there whole. */
	long at = find(got, got_n, next, 22050);
	assert_true(at >= 0);
	assert_true((size_t)at + 22050 <= got_n);
	assert_int_equal(count_equal(got + at, next, 22050), 22050);
	free(got);
	free(next);
	free(s);
}

/* Real-time streams on a loaded machine may underrun: the sound server then inserts silence.
 * That is a gap, not a loss. Match ref in order from `at`, letting runs of zeros that ref does
 * not have stand between its samples; returns how many of ref's samples were found in order
 * (all of them when nothing was lost) and counts the gaps. */
static size_t match_in_order(const int16_t *got, size_t n, long at, const int16_t *ref,
			     size_t ref_n, size_t *gaps, size_t *gap_samples)
{
	size_t j = 0;
	*gaps = *gap_samples = 0;
	if (at < 0)
		return 0;
	for (size_t i = (size_t)at; i < n && j < ref_n; i++) {
		if (got[i] == ref[j]) {
			j++;
		} else if (got[i] == 0) {
			if (i == 0 || got[i - 1] != 0)
				(*gaps)++;
			(*gap_samples)++;
		} else {
			break;
		}
	}
	return j;
}

/* ---- PulseAudio null sinks: real time -------------------------------------------------------- */

static int16_t *read_raw_file(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		*n = 0;
		return xmalloc(1);
	}
	fseek(f, 0, SEEK_END);
	long len = ftell(f);
	fseek(f, 0, SEEK_SET);
	*n = (size_t)len / 2;
	int16_t *s = xmalloc(*n * sizeof(*s) + 1);
	assert_int_equal(fread(s, 2, *n, f), *n);
	fclose(f);
	return s;
}

static const char *pulse_path(const char *name)
{
	return path_in(pulse_dir, name);
}

/* Playing N seconds takes about N seconds, and all of it reaches the speaker. */
static void test_pulse_playback(void **state)
{
	struct audio_system *sys = system_open();
	struct audio_device_config cfg;
	audio_device_config_defaults(&cfg);
	cfg.rate_hz = 16000; /* the null sink's rate: the monitor gives back the very samples */
	struct audio_sink *sink = NULL;
	char err[512];
	double t0 = now_s();
	assert_int_equal(audio_sink_open_device(sys, &cfg, &sink, err, sizeof(err)), 0);
	double t_open = now_s() - t0;
	assert_int_equal(audio_sink_rate(sink), 16000);
	size_t n = 16000 * 3;
	int16_t *s = test_signal(16000, n, 5);
	t0 = now_s();
	assert_int_equal(audio_sink_write(sink, s, n, 16000, NULL, err, sizeof(err)), 0);
	double t_write = now_s() - t0;
	assert_int_equal(audio_sink_finish(sink, err, sizeof(err)), 0);
	double t_finish = now_s() - t0;
	double latency = audio_sink_latency_s(sink);
	audio_sink_destroy(sink);
	audio_system_destroy(sys);
	usleep(300000); /* parec writes its last blocks */
	size_t got_n = 0;
	int16_t *got = read_raw_file(pulse_path("played.raw"), &got_n);
	long at = find(got, got_n, s, n);
	size_t gaps = 0, gap_samples = 0;
	size_t same = match_in_order(got, got_n, at, s, n, &gaps, &gap_samples);
	printf("# playback (PulseAudio): 3.000 s written in %.3f s, finished (latency padding) at "
	       "%.3f s: pacing x%.3f; %zu/%zu samples arrived in order (%.2f %%), at %ld, %zu "
	       "underrun gaps (%zu samples); latency %.0f ms; speaker open %.0f ms\n",
	       t_write, t_finish, t_finish / (3.0 + latency), same, n,
	       100.0 * (double)same / (double)n, at, gaps, gap_samples, latency * 1000,
	       t_open * 1000);
	assert_true(at >= 0);
	assert_int_equal(same, n);
	free(got);
	free(s);
}

/* What is played into the "mic" sink (by run-pulse.sh, once our stream runs) arrives whole, at
 * real-time pace. */
static void test_pulse_capture(void **state)
{
	size_t ref_n = 0;
	int ref_rate = 0;
	int16_t *ref = read_wav(pulse_path("ref.wav"), &ref_n, &ref_rate);
	assert_non_null(ref);
	assert_int_equal(ref_rate, 16000);
	struct audio_system *sys = system_open();
	struct audio_source *src = NULL;
	char err[512];
	double t0 = now_s();
	assert_int_equal(audio_source_open_device(sys, NULL, &src, err, sizeof(err)), 0);
	double t_open = now_s() - t0;
	/* Tell run-pulse.sh that the microphone runs: it starts "speaking" now. */
	FILE *f = fopen(pulse_path("recording"), "w");
	assert_non_null(f);
	fclose(f);
	size_t want = AUDIO_RATE_HZ * 4 + ref_n;
	int16_t *got = xcalloc(want, sizeof(*got));
	size_t have = 0;
	t0 = now_s();
	while (have < want) {
		size_t k = 0;
		assert_int_equal(audio_source_read(src, got + have, 1600, &k, err, sizeof(err)), 0);
		have += k;
	}
	double t_read = now_s() - t0;
	uint64_t dropped = audio_source_dropped(src);
	audio_source_destroy(src);
	audio_system_destroy(sys);
	long at = find(got, have, ref, ref_n);
	size_t gaps = 0, gap_samples = 0;
	size_t same = match_in_order(got, have, at, ref, ref_n, &gaps, &gap_samples);
	double secs = (double)have / AUDIO_RATE_HZ;
	printf(
	    "# capture (PulseAudio): %.3f s read in %.3f s: pacing x%.3f; the utterance found at "
	    "%.3f s, %zu/%zu samples in order, %zu underrun gaps (%zu samples); %llu dropped; "
	    "microphone open %.0f ms\n",
	    secs, t_read, t_read / secs, (double)at / AUDIO_RATE_HZ, same, ref_n, gaps, gap_samples,
	    (unsigned long long)dropped, t_open * 1000);
	assert_true(at >= 0);
	assert_int_equal(same, ref_n);
	free(got);
	free(ref);
}

/* The sound server dies in the middle of a reply (as a USB headset unplugged would): -EIO naming
 * the device, then reopening brings it back once the server is up again (run-pulse.sh restarts
 * it), and the program keeps serving. */
static void test_pulse_reopen(void **state)
{
	const char *pid_s = getenv("TALKLEAF_TEST_PULSE_PID_FILE");
	assert_non_null(pid_s);
	FILE *f = fopen(pid_s, "r");
	assert_non_null(f);
	int pid = 0;
	assert_int_equal(fscanf(f, "%d", &pid), 1);
	fclose(f);
	struct audio_system *sys = system_open();
	struct audio_sink *sink = NULL;
	struct audio_source *src = NULL;
	char err[512];
	assert_int_equal(audio_sink_open_device(sys, NULL, &sink, err, sizeof(err)), 0);
	assert_int_equal(audio_source_open_device(sys, NULL, &src, err, sizeof(err)), 0);
	int16_t *s = test_signal(22050, 2205, 6);
	int16_t mic[1600];
	int r = 0;
	double t0 = now_s();
	for (int i = 0; i < 100 && r == 0; i++) {
		if (i == 5)
			kill(pid, SIGKILL);
		r = audio_sink_write(sink, s, 2205, 22050, NULL, err, sizeof(err));
	}
	double t_fail = now_s() - t0;
	assert_int_equal(r, -EIO);
	printf("# speaker failure noticed %.2f s after the start: %s\n", t_fail, err);
	assert_non_null(strstr(err, "the speaker \"default\""));
	size_t k = 0;
	r = audio_source_read(src, mic, 1600, &k, err, sizeof(err));
	while (r == 0 && now_s() - t0 < 10)
		r = audio_source_read(src, mic, 1600, &k, err, sizeof(err));
	assert_int_equal(r, -EIO);
	printf("# microphone failure: %s\n", err);
	assert_non_null(strstr(err, "the microphone \"default\""));
	/* Reopen until the server is back (run-pulse.sh restarts it within a second or so). */
	t0 = now_s();
	int rs = -1, rk = -1;
	while ((rs < 0 || rk < 0) && now_s() - t0 < 15) {
		if (rk < 0)
			rk = audio_sink_reopen(sink, err, sizeof(err));
		if (rs < 0)
			rs = audio_source_reopen(src, err, sizeof(err));
		if (rs < 0 || rk < 0)
			usleep(200000);
	}
	printf("# reopened after %.2f s\n", now_s() - t0);
	assert_int_equal(rk, 0);
	assert_int_equal(rs, 0);
	assert_int_equal(audio_sink_write(sink, s, 2205, 22050, NULL, err, sizeof(err)), 0);
	assert_int_equal(audio_sink_finish(sink, err, sizeof(err)), 0);
	assert_int_equal(audio_source_read(src, mic, 1600, &k, err, sizeof(err)), 0);
	assert_int_equal(k, 1600);
	audio_sink_destroy(sink);
	audio_source_destroy(src);
	audio_system_destroy(sys);
	free(s);
}

static double mono_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A call into a sound server that does not answer: it sleeps 1.5 s. */
static int stalled_job(void *arg)
{
	struct timespec ts = { 1, 500 * 1000 * 1000L };
	nanosleep(&ts, NULL);
	(*(int *)arg)++;
	return 7;
}

/* The device thread: a call past its deadline is -ETIMEDOUT at the deadline, the thread takes
 * no other until it ends (-EBUSY at once), a stop ends a wait within 0.3 s, and a call that
 * comes back in time gives its result. */
static void test_device_thread_deadline(void **state)
{
	struct audio_device_thread *t;
	assert_int_equal(audio_device_thread_create(&t), 0);
	int ran = 0;
	double t0 = mono_s();
	assert_int_equal(audio_device_thread_call(t, stalled_job, &ran, 0.2, NULL), -ETIMEDOUT);
	double waited = mono_s() - t0;
	assert_true(waited >= 0.19 && waited < 0.6);
	assert_true(audio_device_thread_busy(t));
	assert_int_equal(audio_device_thread_call(t, stalled_job, &ran, 5, NULL), -EBUSY);
	while (audio_device_thread_busy(t))
		usleep(10000);
	assert_int_equal(ran, 1);
	volatile sig_atomic_t stop = 1;
	t0 = mono_s();
	assert_int_equal(audio_device_thread_call(t, stalled_job, &ran, 10, &stop), -ETIMEDOUT);
	waited = mono_s() - t0;
	assert_true(waited >= 0.29 && waited < 0.8);
	while (audio_device_thread_busy(t))
		usleep(10000);
	assert_int_equal(audio_device_thread_call(t, stalled_job, &ran, 10, NULL), 7);
	assert_int_equal(ran, 3);
	assert_true(audio_device_thread_destroy(t));
}

int main(int argc, char **argv)
{
	if (argc > 2 && strcmp(argv[1], "--pulse") == 0) {
		pulse_dir = argv[2];
		const struct CMUnitTest tests[] = {
			cmocka_unit_test(test_pulse_playback),
			cmocka_unit_test(test_pulse_capture),
			cmocka_unit_test(test_pulse_reopen),
		};
		return cmocka_run_group_tests_name("device-pulse", tests, NULL, NULL);
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_device_thread_deadline),
		cmocka_unit_test(test_no_pcm_default),
		cmocka_unit_test(test_no_device),
		cmocka_unit_test(test_file_capture_exact),
		cmocka_unit_test(test_file_playback_complete),
		cmocka_unit_test(test_file_resampled),
		cmocka_unit_test(test_device_choice),
		cmocka_unit_test(test_device_abort),
	};
	return cmocka_run_group_tests_name("device-file", tests, setup_file, teardown_file);
}
