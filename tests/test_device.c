/* Real PortAudio streams without a sound card (suite "device"), following the headless recipe
 * kept in tests/device/: ALSA's file plugin (tests/device/asound-file.conf) makes a "microphone"
 * of a raw file and a "speaker" of a WAV file, no daemon. Capture must be bit-exact, playback
 * complete to its last sample; no device, no pcm.default, device choice, abort; and the device
 * thread's deadline. The real-time tests on a private PulseAudio server are test_device_pulse.c.
 * Figures (open time, exactness) are printed, never asserted as timings. */
#include <errno.h>
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
#include "monotonic.h"
#include "audio_internal.h"
#include "log.h"

#define CONF_DIR TEST_SOURCE_DIR "/tests/device"
/* What the live loop reads from the microphone at a time: 20 ms. */
#define LOOP_BLOCK (2 * AUDIO_FRAME_10MS)

static char tmpdir[256];

static const char *tmp_path(const char *name)
{
	return path_in(tmpdir, name);
}

static void write_raw(const char *path, const int16_t *s, size_t n)
{
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	if (n)
		assert_int_equal(fwrite(s, sizeof(*s), n, f), n);
	fclose(f);
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
	double t0 = monotonic_s();
	struct audio_system *sys = system_open();
	double t_init = monotonic_s() - t0;
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
	t0 = monotonic_s();
	assert_int_equal(audio_source_open_device(sys, &cfg, &src, err, sizeof(err)), 0);
	double t_open = monotonic_s() - t0;
	assert_string_equal(audio_source_name(src), "default");
	int16_t *got = xcalloc(n, sizeof(*got));
	size_t have = 0;
	t0 = monotonic_s();
	while (have < n) {
		size_t k = 0;
		assert_int_equal(audio_source_read(src, got + have, LOOP_BLOCK, &k, err, sizeof(err)),
				 0);
		assert_int_equal(k, LOOP_BLOCK);
		have += k;
	}
	double t_read = monotonic_s() - t0;
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
	double t0 = monotonic_s();
	assert_int_equal(audio_sink_open_device(sys, NULL, &sink, err, sizeof(err)), 0);
	double t_open = monotonic_s() - t0;
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
	long a = find_samples(got, n, r1, n1), b = find_samples(got, n, r2, n2);
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
	long at = find_samples(got, got_n, next, 22050);
	assert_true(at >= 0);
	assert_true((size_t)at + 22050 <= got_n);
	assert_int_equal(count_equal(got + at, next, 22050), 22050);
	free(got);
	free(next);
	free(s);
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
	double t0 = monotonic_s();
	assert_int_equal(audio_device_thread_call(t, stalled_job, &ran, 0.2, NULL), -ETIMEDOUT);
	double waited = monotonic_s() - t0;
	assert_true(waited >= 0.19 && waited < 0.6);
	assert_true(audio_device_thread_busy(t));
	assert_int_equal(audio_device_thread_call(t, stalled_job, &ran, 5, NULL), -EBUSY);
	while (audio_device_thread_busy(t))
		usleep(10000);
	assert_int_equal(ran, 1);
	volatile sig_atomic_t stop = 1;
	t0 = monotonic_s();
	assert_int_equal(audio_device_thread_call(t, stalled_job, &ran, 10, &stop), -ETIMEDOUT);
	waited = monotonic_s() - t0;
	assert_true(waited >= 0.29 && waited < 0.8);
	while (audio_device_thread_busy(t))
		usleep(10000);
	assert_int_equal(audio_device_thread_call(t, stalled_job, &ran, 10, NULL), 7);
	assert_int_equal(ran, 3);
	assert_true(audio_device_thread_destroy(t));
}

int main(void)
{
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
