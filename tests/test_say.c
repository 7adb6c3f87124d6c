/* Recorded clips (their checks and loading) and `talkleaf say`, run in this process: a WAV of an
 * answer as long as the synthesiser makes it, its errors, a clip played instead of speech, and
 * (--device) playing on a sound device. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>
#include <sndfile.h>

#include "audio_helpers.h"
#include "commands.h"
#include "diag.h"
#include "lexicon.h"
#include "script.h"
#include "script_files.h"
#include "synthesiser.h"

#define TMP_DIR TEST_BUILD_DIR "/say-tmp"
#define STR_(x) #x
#define STR(x) STR_(x)
static void write_wav(const char *path, int rate, int channels, size_t frames, int16_t l,
		      int16_t r)
{
	SF_INFO info = { .samplerate = rate, .channels = channels,
			 .format = SF_FORMAT_WAV | SF_FORMAT_PCM_16 };
	SNDFILE *f = sf_open(path, SFM_WRITE, &info);
	assert_non_null(f);
	int16_t *buf = calloc(frames * (size_t)channels, sizeof(*buf));
	for (size_t i = 0; i < frames; i++) {
		buf[i * (size_t)channels] = l;
		if (channels > 1)
			buf[i * (size_t)channels + 1] = r;
	}
	sf_writef_short(f, buf, (sf_count_t)frames);
	sf_close(f);
	free(buf);
}

static void test_clips(void **state)
{
	char err[512];
	struct pcm p = { 0 };
	double secs = 0;
	mkdir(TMP_DIR, 0755);

	write_wav(TMP_DIR "/stereo.wav", 44100, 2, 44100, 1000, 3000);
	assert_int_equal(audio_clip_check(TMP_DIR "/stereo.wav", &secs, err, sizeof(err)), 0);
	assert_true(fabs(secs - 1.0) < 1e-9);
	assert_int_equal(audio_clip_load(TMP_DIR "/stereo.wav", &p, err, sizeof(err)), 0);
	assert_int_equal(p.rate_hz, 44100);
	assert_int_equal(p.n, 44100);
	assert_int_equal(p.samples[0], 2000); /* mixed to mono */
	assert_int_equal(p.samples[44099], 2000);
	pcm_done(&p);

	assert_int_equal(audio_clip_check(TMP_DIR "/missing.wav", NULL, err, sizeof(err)), -ENOENT);
	assert_string_equal(err, TMP_DIR "/missing.wav: clip not found (record it, or fix the "
					 "clip: line)");
	assert_int_equal(audio_clip_load(TMP_DIR "/missing.wav", &p, err, sizeof(err)), -ENOENT);
	assert_null(p.samples);

	script_file_write(TMP_DIR, "text.wav", "this is not a sound\n");
	assert_int_equal(audio_clip_check(TMP_DIR "/text.wav", NULL, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, TMP_DIR "/text.wav: not a sound file talkleaf can read"));

	write_wav(TMP_DIR "/empty.wav", 16000, 1, 0, 0, 0);
	assert_int_equal(audio_clip_check(TMP_DIR "/empty.wav", NULL, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, TMP_DIR "/empty.wav: the clip is empty (record it again)");

	write_wav(TMP_DIR "/long.wav", 8000, 1, 61 * 8000, 0, 0);
	assert_int_equal(audio_clip_check(TMP_DIR "/long.wav", NULL, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "lasts 61 s, too long"));
	assert_int_equal(audio_clip_load(TMP_DIR "/long.wav", &p, err, sizeof(err)), -EINVAL);
	assert_null(p.samples);
}

/* --- talkleaf say, run in this process (no fork) --- */

static int run_say(const char *scripts, const char *const *args)
{
	struct app app = {
		.assets = {
			.scripts_dir = TEST_SOURCE_DIR "/scripts",
			.user_scripts_dir = scripts,
			.lexicon_dir = TEST_SOURCE_DIR "/lexicon",
		},
	};
	char *argv[16];
	int argc = 0;
	argv[argc++] = (char *)"say";
	for (; *args; args++)
		argv[argc++] = (char *)*args;
	argv[argc] = NULL;
	return cmd_say(&app, argc, argv);
}

static sf_count_t wav_frames(const char *path, int *rate)
{
	SF_INFO info = { 0 };
	SNDFILE *f = sf_open(path, SFM_READ, &info);
	assert_non_null(f);
	assert_int_equal(info.channels, 1);
	assert_int_equal(info.format, SF_FORMAT_WAV | SF_FORMAT_PCM_16);
	sf_close(f);
	*rate = info.samplerate;
	return info.frames;
}

/* The topic's answer as the synthesiser says it, in samples at SYNTH_SAMPLE_RATE_HZ. */
static size_t answer_samples(const char *id, bool more)
{
	struct diag d;
	struct script_set *set = NULL;
	struct lexicon *lex = NULL;
	char err[512];
	diag_init(&d);
	assert_int_equal(script_set_load(TEST_SOURCE_DIR "/scripts", NULL, &set, &d), 0);
	assert_int_equal(lexicon_load(TEST_SOURCE_DIR "/lexicon", NULL, &lex, &d), 0);
	const struct script_entry *e = script_set_find_topic(set, id);
	assert_non_null(e);
	struct synth_config c;
	synth_config_defaults(&c);
	struct synth *s = NULL;
	assert_int_equal(synth_create(&c, lex, &s, err, sizeof(err)), 0);
	double secs = synth_measure_seconds(s, more ? e->more : e->say, more ? e->n_more : e->n_say,
					    err, sizeof(err));
	assert_true(secs > 0);
	synth_destroy(s);
	lexicon_destroy(lex);
	script_set_destroy(set);
	diag_done(&d);
	return (size_t)(secs * SYNTH_SAMPLE_RATE_HZ + 0.5);
}

/* eSpeak NG's length for the same text can differ by a few hundred samples from one voice setting
 * to the next (its state carries over); a missing pause is 8820 samples, a sentence more. */
static void assert_about(sf_count_t got, size_t want)
{
	if (llabs((long long)got - (long long)want) > 2000)
		fail_msg("%lld samples, expected %zu", (long long)got, want);
}

static void test_say_writes_wav(void **state)
{
	const char *out = TMP_DIR "/say.wav";
	int rate;
	mkdir(TMP_DIR, 0755);
	size_t expected = answer_samples("camhs", false);

	assert_int_equal(run_say(NULL, (const char *[]){ "camhs", "--out", out, NULL }), 0);
	assert_about(wav_frames(out, &rate), expected);
	assert_int_equal(rate, SYNTH_SAMPLE_RATE_HZ);
	/* by its keys from the main menu (3, then 4, as talkleaf topics lists them), the same
	 * answer; a menu's key alone is no topic */
	remove(out);
	assert_int_equal(run_say(NULL, (const char *[]){ "3-4", "--out", out, NULL }), 0);
	assert_about(wav_frames(out, &rate), expected);
	remove(out);
	assert_int_not_equal(run_say(NULL, (const char *[]){ "3", "--out", out, NULL }), 0);
	assert_null(fopen(out, "r"));
	/* --more says the more: part */
	size_t more = answer_samples("attunement", true);
	assert_int_equal(run_say(NULL, (const char *[]){ "attunement", "--more", "--out", out,
							  NULL }),
			 0);
	assert_about(wav_frames(out, &rate), more);
	/* --rate-hz resamples once, at the sink */
	assert_int_equal(run_say(NULL, (const char *[]){ "camhs", "--out", out, "--rate-hz",
							  STR(AUDIO_RATE_HZ), NULL }),
			 0);
	sf_count_t n16 = wav_frames(out, &rate);
	assert_int_equal(rate, AUDIO_RATE_HZ);
	double want = (double)expected * AUDIO_RATE_HZ / SYNTH_SAMPLE_RATE_HZ;
	assert_true(fabs((double)n16 - want) < want * 0.01);
	/* --rate: slower is longer */
	assert_int_equal(run_say(NULL, (const char *[]){ "--text", "It is never too late to learn.",
							  "--rate", "100", "--out", out, NULL }),
			 0);
	sf_count_t slow = wav_frames(out, &rate);
	assert_int_equal(run_say(NULL, (const char *[]){ "--text", "It is never too late to learn.",
							  "--rate", "180", "--out", out, NULL }),
			 0);
	assert_true(slow > wav_frames(out, &rate) * 3 / 2);
	/* --phonemes prints instead of speaking: nothing written */
	remove(out);
	assert_int_equal(run_say(NULL, (const char *[]){ "camhs", "--phonemes", NULL }), 0);
	assert_null(fopen(out, "r"));
	/* a prompt, and another voice */
	assert_int_equal(run_say(NULL, (const char *[]){ "--prompt", "not-heard", "--voice", "en",
							  "--out", out, NULL }),
			 0);
	assert_true(wav_frames(out, &rate) > SYNTH_SAMPLE_RATE_HZ / 2);
}

static void test_say_errors(void **state)
{
	const char *out = TMP_DIR "/say-error.wav";
	mkdir(TMP_DIR, 0755);
	remove(out);
	/* content problems: 1 */
	assert_int_equal(run_say(NULL, (const char *[]){ "no-such-topic", "--out", out, NULL }), 1);
	assert_int_equal(run_say(NULL, (const char *[]){ "--prompt", "no-such", "--out", out, NULL }),
			 1);
	assert_int_equal(run_say(NULL, (const char *[]){ "camhs", "--voice", "no-such-voice",
							  "--out", out, NULL }),
			 1);
	assert_int_equal(run_say(NULL, (const char *[]){ "camhs", "--more", "--out", out, NULL }), 1);
	/* usage problems: 2 */
	assert_int_equal(run_say(NULL, (const char *[]){ NULL }), 2);
	assert_int_equal(run_say(NULL, (const char *[]){ "camhs", "--text", "hi", NULL }), 2);
	assert_int_equal(run_say(NULL, (const char *[]){ "camhs", "--rate", "500", NULL }), 2);
	assert_int_equal(run_say(NULL, (const char *[]){ "--text", "hi", "--more", NULL }), 2);
	assert_int_equal(run_say(NULL, (const char *[]){ "camhs", "--bogus", NULL }), 2);
	/* nothing was written by any of them */
	FILE *f = fopen(out, "r");
	assert_null(f);
}

/* A topic with a recorded clip: say plays the clip, not the voice. */
static void test_say_plays_clip(void **state)
{
	const char *clip = TMP_DIR "/clip-scripts/hello.wav";
	const char *out = TMP_DIR "/say-clip.wav";
	int rate;
	mkdir(TMP_DIR, 0755);
	mkdir(TMP_DIR "/clip-scripts", 0755);
	write_wav(clip, SYNTH_SAMPLE_RATE_HZ, 2, SYNTH_SAMPLE_RATE_HZ / 2, 100, 300);
	script_file_write(TMP_DIR "/clip-scripts", "recorded.txt",
			  "topic: recorded\n"
			  "key: 1\n"
			  "title: a recorded answer\n"
			  "ask: play the recording\n"
			  "say: This sentence is not said.\n"
			  "clip: " TMP_DIR "/clip-scripts/hello.wav\n");
	assert_int_equal(run_say(TMP_DIR "/clip-scripts",
				 (const char *[]){ "recorded", "--out", out, NULL }),
			 0);
	assert_int_equal(wav_frames(out, &rate), SYNTH_SAMPLE_RATE_HZ / 2);
	assert_int_equal(rate, SYNTH_SAMPLE_RATE_HZ);
	SF_INFO info = { 0 };
	SNDFILE *f = sf_open(out, SFM_READ, &info);
	short first = 0;
	sf_read_short(f, &first, 1);
	sf_close(f);
	assert_int_equal(first, 200);
}

/* --device: `talkleaf say` without --out plays on the default output device. Run by meson with
 * ALSA_CONFIG_PATH=tests/device/asound-file.conf, whose playback writes a WAV to $PA_TEST_OUT
 * (or the first free PA_TEST_OUT.NNNN): the biggest such file holds what was played. */
static void test_say_plays_on_device(void **state)
{
	const char *played = getenv("PA_TEST_OUT");
	assert_non_null(played);
	char path[1024], best[1024] = "";
	remove(played);
	for (int i = 1; i < 100; i++) {
		snprintf(path, sizeof(path), "%s.%04d", played, i);
		remove(path);
	}
	size_t expected = answer_samples("camhs", false);
	assert_int_equal(run_say(NULL, (const char *[]){ "camhs", NULL }), 0);
	sf_count_t most = 0;
	for (int i = 0; i < 100; i++) {
		if (i == 0)
			snprintf(path, sizeof(path), "%s", played);
		else
			snprintf(path, sizeof(path), "%s.%04d", played, i);
		SF_INFO info = { 0 };
		SNDFILE *f = sf_open(path, SFM_READ, &info);
		if (!f)
			continue;
		sf_close(f);
		if (info.frames > most) {
			most = info.frames;
			snprintf(best, sizeof(best), "%s", path);
		}
	}
	print_message("played: %s, %lld samples (the answer is %zu)\n", best, (long long)most,
		      expected);
	assert_true(most > 0);
	struct pcm p = { 0 };
	char err[512];
	SF_INFO info = { 0 };
	SNDFILE *f = sf_open(best, SFM_READ, &info);
	assert_non_null(f);
	sf_close(f);
	/* played at the speech's own rate here (the device takes SYNTH_SAMPLE_RATE_HZ): all of it, and more
	 * (the silence that keeps ALSA from cutting the end) */
	assert_int_equal(info.samplerate, SYNTH_SAMPLE_RATE_HZ);
	assert_true(most >= (sf_count_t)expected);
	assert_int_equal(audio_clip_load(best, &p, err, sizeof(err)), 0);
	assert_true(samples_rms(p.samples, p.n) > 300);
	pcm_done(&p);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clips),
		cmocka_unit_test(test_say_writes_wav),
		cmocka_unit_test(test_say_errors),
		cmocka_unit_test(test_say_plays_clip),
	};
	const struct CMUnitTest device_tests[] = {
		cmocka_unit_test(test_say_plays_on_device),
	};
	if (argc > 1 && strcmp(argv[1], "--device") == 0)
		return cmocka_run_group_tests(device_tests, NULL, NULL);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
