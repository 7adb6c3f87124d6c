/* The real-time device tests (suite "device"), on a private PulseAudio server with null sinks
 * that tests/device/run-pulse.sh starts in DIR and runs this program against, `--pulse DIR`:
 * real-time pacing, completeness, and a device that dies mid-stream and comes back (the server
 * killed and restarted). The tests on ALSA's file plugin, no daemon, are test_device.c.
 * Figures (open time, exactness, pacing) are printed, never asserted as timings. */
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "audio.h"
#include "audio_helpers.h"
#include "monotonic.h"
#include "log.h"

static const char *pulse_dir;

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
	double t0 = monotonic_s();
	assert_int_equal(audio_sink_open_device(sys, &cfg, &sink, err, sizeof(err)), 0);
	double t_open = monotonic_s() - t0;
	assert_int_equal(audio_sink_rate(sink), 16000);
	size_t n = 16000 * 3;
	int16_t *s = test_signal(16000, n, 5);
	t0 = monotonic_s();
	assert_int_equal(audio_sink_write(sink, s, n, 16000, NULL, err, sizeof(err)), 0);
	double t_write = monotonic_s() - t0;
	assert_int_equal(audio_sink_finish(sink, err, sizeof(err)), 0);
	double t_finish = monotonic_s() - t0;
	double latency = audio_sink_latency_s(sink);
	audio_sink_destroy(sink);
	audio_system_destroy(sys);
	usleep(300000); /* parec writes its last blocks */
	size_t got_n = 0;
	int16_t *got = read_raw_file(pulse_path("played.raw"), &got_n);
	long at = find_samples(got, got_n, s, n);
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
	double t0 = monotonic_s();
	assert_int_equal(audio_source_open_device(sys, NULL, &src, err, sizeof(err)), 0);
	double t_open = monotonic_s() - t0;
	/* Tell run-pulse.sh that the microphone runs: it starts "speaking" now. */
	FILE *f = fopen(pulse_path("recording"), "w");
	assert_non_null(f);
	fclose(f);
	size_t want = AUDIO_RATE_HZ * 4 + ref_n;
	int16_t *got = xcalloc(want, sizeof(*got));
	size_t have = 0;
	t0 = monotonic_s();
	while (have < want) {
		size_t k = 0;
		assert_int_equal(audio_source_read(src, got + have, 1600, &k, err, sizeof(err)), 0);
		have += k;
	}
	double t_read = monotonic_s() - t0;
	uint64_t dropped = audio_source_dropped(src);
	audio_source_destroy(src);
	audio_system_destroy(sys);
	long at = find_samples(got, have, ref, ref_n);
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
	double t0 = monotonic_s();
	for (int i = 0; i < 100 && r == 0; i++) {
		if (i == 5)
			kill(pid, SIGKILL);
		r = audio_sink_write(sink, s, 2205, 22050, NULL, err, sizeof(err));
	}
	double t_fail = monotonic_s() - t0;
	assert_int_equal(r, -EIO);
	printf("# speaker failure noticed %.2f s after the start: %s\n", t_fail, err);
	assert_non_null(strstr(err, "the speaker \"default\""));
	size_t k = 0;
	r = audio_source_read(src, mic, 1600, &k, err, sizeof(err));
	while (r == 0 && monotonic_s() - t0 < 10)
		r = audio_source_read(src, mic, 1600, &k, err, sizeof(err));
	assert_int_equal(r, -EIO);
	printf("# microphone failure: %s\n", err);
	assert_non_null(strstr(err, "the microphone \"default\""));
	/* Reopen until the server is back (run-pulse.sh restarts it within a second or so). */
	t0 = monotonic_s();
	int rs = -1, rk = -1;
	while ((rs < 0 || rk < 0) && monotonic_s() - t0 < 15) {
		if (rk < 0)
			rk = audio_sink_reopen(sink, err, sizeof(err));
		if (rs < 0)
			rs = audio_source_reopen(src, err, sizeof(err));
		if (rs < 0 || rk < 0)
			usleep(200000);
	}
	printf("# reopened after %.2f s\n", monotonic_s() - t0);
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

int main(int argc, char **argv)
{
	if (argc < 3 || strcmp(argv[1], "--pulse") != 0) {
		fprintf(stderr, "usage: %s --pulse DIR (run by tests/device/run-pulse.sh)\n",
			argv[0]);
		return 2;
	}
	pulse_dir = argv[2];
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_pulse_playback),
	    cmocka_unit_test(test_pulse_capture),
	    cmocka_unit_test(test_pulse_reopen),
	};
	return cmocka_run_group_tests_name("device-pulse", tests, NULL, NULL);
}
