/* The session loop in process, without a recogniser (keys only) and without devices: a memory
 * source as the microphone, a memory sink as the speaker, the shipped scripts and eSpeak NG.
 * Checks the key schedule, interruption, the rate, goodbye, a simulated room's sound, the stop
 * flag, the turns log, and --keys parsing. Then the speculation worker on its own, with the
 * recogniser: its guess is the recogniser's own result, handed over only for the tag it was
 * started with. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audio.h"
#include "audio_internal.h"
#include "diag.h"
#include "keymap.h"
#include "log.h"
#include "paths.h"
#include "session.h"
#include "speculation.h"
#include "spoken.h"

struct fixture {
	struct session_assets assets;
	struct audio_source *src;
	struct audio_sink *sink;
	FILE *log;
	char lines[64][1024];
	size_t n_lines;
};

static int setup(void **state)
{
	struct fixture *fx = xcalloc(1, sizeof(*fx));
	struct diag d;
	diag_init(&d);
	struct session_assets_config ac = {
		.scripts_dir = TEST_SOURCE_DIR "/scripts",
		.lexicon_dir = TEST_SOURCE_DIR "/lexicon",
		.no_recogniser = true,
	};
	char err[512] = "";
	int r = session_assets_load(&ac, &fx->assets, &d, err, sizeof(err));
	if (r)
		fprintf(stderr, "%s\n", err);
	diag_done(&d);
	assert_int_equal(r, 0);
	assert_null(fx->assets.rec);
	/* A quiet room: 60 s of faint noise. */
	size_t n = 60 * AUDIO_RATE_HZ;
	int16_t *room = xcalloc(n, sizeof(*room));
	unsigned seed = 1;
	for (size_t i = 0; i < n; i++)
		room[i] = (int16_t)((int)(rand_r(&seed) % 61) - 30);
	assert_int_equal(audio_source_open_memory(room, n, AUDIO_RATE_HZ, "room", &fx->src, err,
						  sizeof(err)),
			 0);
	free(room);
	assert_int_equal(audio_sink_open_memory(0, &fx->sink, err, sizeof(err)), 0);
	fx->log = tmpfile();
	assert_non_null(fx->log);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	fclose(fx->log);
	audio_sink_destroy(fx->sink);
	audio_source_destroy(fx->src);
	session_assets_done(&fx->assets);
	free(fx);
	return 0;
}

/* The simulated room's sound under the microphone (session_config.room_noise), or NULL. */
static const int16_t *room_noise;
static size_t room_noise_n;

/* Run a session with `keys` and read its log back. */
static struct session *run(struct fixture *fx, const char *keys, bool station,
			   volatile sig_atomic_t *stop)
{
	struct session_config cfg;
	session_config_defaults(&cfg);
	cfg.room_noise = room_noise;
	cfg.room_noise_n = room_noise_n;
	struct session_key *k = NULL;
	char err[512] = "";
	int n = 0;
	if (keys) {
		n = session_keys_parse(keys, &k, err, sizeof(err));
		assert_true(n > 0);
	}
	cfg.keys = k;
	cfg.n_keys = (size_t)n;
	cfg.log = fx->log;
	cfg.stop = stop;
	cfg.dialogue.station = station;
	cfg.max_seconds = 600;
	struct session *s;
	assert_int_equal(session_create(&cfg, fx->assets.set, NULL, fx->assets.synth, fx->src,
					fx->sink, &s, err, sizeof(err)),
			 0);
	free(k); /* copied by the session */
	int r = session_run(s, err, sizeof(err));
	if (r)
		fprintf(stderr, "%s\n", err);
	assert_int_equal(r, 0);
	rewind(fx->log);
	fx->n_lines = 0;
	while (fx->n_lines < 64 && fgets(fx->lines[fx->n_lines], sizeof(fx->lines[0]), fx->log)) {
		fprintf(stderr, "log: %s", fx->lines[fx->n_lines]);
		fx->n_lines++;
	}
	return s;
}

/* What answering the topic on `keys` ("9", or "3-1": 1 of the menu on 3) says. */
static const char *topic_said(struct fixture *fx, const char *keys, char *buf, size_t len)
{
	const struct script_entry *t = keymap_menu_find(fx->assets.set, NULL, keys);
	if (strchr(keys, '-')) {
		char first[2] = { keys[0], '\0' };
		const struct script_entry *menu = keymap_menu_find(fx->assets.set, NULL, first);
		assert_non_null(menu);
		t = keymap_menu_find(fx->assets.set, menu, strchr(keys, '-') + 1);
	}
	assert_non_null(t);
	assert_int_equal(t->kind, SCRIPT_TOPIC);
	snprintf(buf, len, "\"said\":[\"topic:%s\",\"prompt:after-answer\"]", t->id);
	return buf;
}

static void test_keys_parse(void **state)
{
	(void)state;
	struct session_key *k;
	char err[256];
	assert_int_equal(session_keys_parse("9:*, 2.5:6,12:backspace", &k, err, sizeof(err)), 3);
	/* Sorted by the session, not here: as given. */
	assert_true(k[0].at_s == 9.0);
	assert_string_equal(k[0].key, "*");
	assert_true(k[1].at_s == 2.5);
	assert_string_equal(k[1].key, "6");
	assert_string_equal(k[2].key, "backspace");
	free(k);
	const char *bad[] = { "abc", "1:", ":5", "-1:5", "x:5", "", "1:5,,", "1:this-key-is-far-too-long" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		k = (struct session_key *)1;
		int r = session_keys_parse(bad[i], &k, err, sizeof(err));
		if (strcmp(bad[i], "1:5,,") == 0) {
			/* Empty items between commas are skipped. */
			assert_int_equal(r, 1);
			free(k);
			continue;
		}
		assert_int_equal(r, -EINVAL);
		assert_null(k);
		assert_non_null(strstr(err, "SECONDS:KEY"));
	}
}

/* Key 3 opens a menu and 1 answers its first topic; key 2 a second later stops that answer at
 * once and answers the menu's 2 (digits choose from the menu the answer is in). */
static void test_key_interrupts_answer(void **state)
{
	struct fixture *fx = *state;
	struct session *s = run(fx, "19:3,20:1,21:2", false, NULL);
	char want[256];
	assert_true(fx->n_lines >= 4);
	assert_non_null(strstr(fx->lines[0], "\"event\":\"start\""));
	size_t k3 = fx->n_lines, k1 = fx->n_lines, k2 = fx->n_lines;
	for (size_t i = 0; i < fx->n_lines; i++) {
		if (strstr(fx->lines[i], "\"key\":\"3\""))
			k3 = i;
		if (strstr(fx->lines[i], "\"key\":\"1\""))
			k1 = i;
		if (strstr(fx->lines[i], "\"key\":\"2\""))
			k2 = i;
	}
	assert_true(k3 < fx->n_lines);
	assert_int_equal(k1, k3 + 1);
	assert_int_equal(k2, k1 + 1);
	assert_non_null(strstr(fx->lines[k3], "\"said\":[\"prompt:menu-item\""));
	assert_non_null(strstr(fx->lines[k1], topic_said(fx, "3-1", want, sizeof(want))));
	assert_non_null(strstr(fx->lines[k1], "\"interrupted\":true"));
	assert_non_null(strstr(fx->lines[k1], "\"endpoint_s\":20.0"));
	assert_non_null(strstr(fx->lines[k2], topic_said(fx, "3-2", want, sizeof(want))));
	assert_non_null(strstr(fx->lines[k2], "\"interrupted\":false"));
	struct session_stats st;
	session_get_stats(s, &st);
	assert_int_equal(st.utterances, 0);
	assert_true(st.compute_n >= 3);
	/* The input ran to its end; everything said went to the sink. */
	assert_true(st.conversation_s >= 60.0);
	size_t n;
	int rate;
	assert_non_null(audio_sink_memory_samples(fx->sink, &n, &rate));
	assert_true(rate > 0);
	assert_true(st.reply_s > 10);
	assert_true((double)n / rate > st.reply_s - 0.5 && (double)n / rate < st.reply_s + 0.5);
	assert_false(session_exited(s));
	session_destroy(s);
}

/* "slower" (a full keyboard's '-', then the handset's 0, then 2): the synthesiser's rate goes
 * down a step each time and the answer comes again. */
static void test_slower_sets_rate(void **state)
{
	struct fixture *fx = *state;
	struct session *s = run(fx, "19:3,20:1,22:-,24:0,25:2", false, NULL);
	assert_int_equal(synth_rate(fx->assets.synth), SYNTH_RATE_DEFAULT - 2 * SYNTH_RATE_STEP);
	bool by_keyboard = false, by_handset = false;
	for (size_t i = 0; i < fx->n_lines; i++) {
		by_keyboard |= strstr(fx->lines[i], "\"key\":\"-\",\"said\":[\"prompt:slower\","
						    "\"topic:not-your-fault\"") != NULL;
		by_handset |= strstr(fx->lines[i], "\"key\":\"2\",\"said\":[\"prompt:slower\","
						   "\"topic:not-your-fault\"") != NULL;
	}
	assert_true(by_keyboard);
	assert_true(by_handset);
	session_destroy(s);
}

/* Goodbye (live, not a station): said to the end, then the session ends before the input. */
static void test_goodbye_exits(void **state)
{
	struct fixture *fx = *state;
	struct session *s = run(fx, "20:backspace", false, NULL);
	assert_true(session_exited(s));
	assert_non_null(strstr(fx->lines[fx->n_lines - 1], "\"said\":[\"prompt:goodbye\"]"));
	struct session_stats st;
	session_get_stats(s, &st);
	assert_true(st.conversation_s < 30.0);
	session_destroy(s);
}

/* The simulated room's sound is heard under the microphone's, from the start and between turns:
 * its bursts are cut as utterances (not heard: no recogniser), which the quiet room alone never
 * gives (test_goodbye_exits). */
static void test_room_noise_is_heard(void **state)
{
	struct fixture *fx = *state;
	size_t n = 4 * AUDIO_RATE_HZ;
	int16_t *noise = xcalloc(n, sizeof(*noise));
	unsigned seed = 7;
	for (size_t i = AUDIO_RATE_HZ; i < 2 * AUDIO_RATE_HZ; i++) /* 1 s of noise in 4 */
		noise[i] = (int16_t)((int)(rand_r(&seed) % 16001) - 8000);
	room_noise = noise;
	room_noise_n = n;
	struct session *s = run(fx, "20:backspace", false, NULL);
	room_noise = NULL;
	room_noise_n = 0;
	size_t heard = 0;
	for (size_t i = 0; i < fx->n_lines; i++)
		heard += strstr(fx->lines[i], "\"event\":\"speech\"") != NULL;
	assert_true(heard >= 2);
	assert_true(session_exited(s));
	session_destroy(s);
	free(noise);
}

/* The stop flag (Ctrl-C): the loop returns at once. */
static void test_stop_flag(void **state)
{
	struct fixture *fx = *state;
	volatile sig_atomic_t stop = 1;
	struct session *s = run(fx, NULL, false, &stop);
	assert_int_equal(fx->n_lines, 1);
	struct session_stats st;
	session_get_stats(s, &st);
	assert_true(st.conversation_s < 0.1);
	session_destroy(s);
}

/* A speaker lost once, after fail_at samples (a server killed under it), then back. */
struct lost_speaker {
	uint64_t fail_at;
	bool lost;
};

static int lost_speaker_write(struct audio_sink *sink, const int16_t *samples, size_t n,
			      char *err, size_t errlen)
{
	struct lost_speaker *ls = sink->impl;
	if (!ls->lost && sink->position + n > ls->fail_at) {
		ls->lost = true;
		return errf(err, errlen, -EIO, "the test speaker is gone");
	}
	return 0;
}

static int lost_speaker_reopen(struct audio_sink *sink, char *err, size_t errlen)
{
	return 0;
}

/* An answer cut off by a lost device is logged as cut off, not as said; the session goes on
 * after the device is back and answers the next key in full. */
static void test_device_loss_cuts_off(void **state)
{
	static const struct audio_sink_ops ops = { .write = lost_speaker_write,
						   .reopen = lost_speaker_reopen };
	struct fixture *fx = *state;
	/* The greeting is stopped by key 9 (a topic from anywhere) at 1 s; the speaker goes 1 s
	 * into the answer. */
	struct lost_speaker ls = { .fail_at = 2 * 22050 };
	struct audio_sink *sink = audio_sink_new(&ops, &ls, "test speaker", 22050);
	struct session_config cfg;
	session_config_defaults(&cfg);
	struct session_key *k = NULL;
	char err[512] = "", want[256];
	int n = session_keys_parse("1:9,30:3,31:4", &k, err, sizeof(err));
	assert_int_equal(n, 3);
	cfg.keys = k;
	cfg.n_keys = (size_t)n;
	cfg.log = fx->log;
	cfg.max_seconds = 50;
	struct session *s;
	assert_int_equal(session_create(&cfg, fx->assets.set, NULL, fx->assets.synth, fx->src,
					sink, &s, err, sizeof(err)),
			 0);
	free(k);
	assert_int_equal(session_run(s, err, sizeof(err)), -EIO);
	assert_non_null(strstr(err, "test speaker"));
	assert_true(ls.lost);
	assert_int_equal(session_run(s, err, sizeof(err)), 0);
	session_destroy(s);
	audio_sink_destroy(sink);
	rewind(fx->log);
	char line[1024];
	bool cut = false, answered = false;
	while (fgets(line, sizeof(line), fx->log)) {
		fprintf(stderr, "log: %s", line);
		if (strstr(line, "\"key\":\"9\"")) {
			assert_non_null(strstr(line, "\"said\":[]"));
			topic_said(fx, "9", want, sizeof(want));
			assert_non_null(strstr(line, want + strlen("\"said\":[")));
			assert_non_null(strstr(line, "\"cut_off\":[\"topic:"));
			cut = true;
		}
		if (strstr(line, "\"key\":\"4\""))
			answered = strstr(line, topic_said(fx, "3-4", want, sizeof(want))) &&
				   strstr(line, "\"cut_off\":[]");
	}
	assert_true(cut);
	assert_true(answered);
}

/* start / poll / take / cancel, the worker running while this thread polls (what ThreadSanitizer
 * checks in the tsan build). */
static void test_speculation(void **state)
{
	(void)state;
	struct session_assets assets;
	struct session_assets_config ac = {
		.scripts_dir = TEST_SOURCE_DIR "/scripts",
		.lexicon_dir = TEST_SOURCE_DIR "/lexicon",
		.hearing = { .acoustic_model = paths_acoustic_model(),
			     .dictionary = paths_dictionary(),
			     .adaptation = paths_adaptation() },
	};
	struct diag d;
	diag_init(&d);
	char err[512] = "";
	int r = session_assets_load(&ac, &assets, &d, err, sizeof(err));
	if (r)
		fprintf(stderr, "%s\n", err);
	diag_done(&d);
	assert_int_equal(r, 0);
	size_t n;
	int16_t *pcm = spoken_16k(assets.synth, "what does attuned mean", 0, &n);
	struct recognition want, got;
	assert_int_equal(recogniser_decode(assets.rec, pcm, n, &want, err, sizeof(err)), 0);

	struct speculation *sp;
	assert_int_equal(speculation_create(assets.rec, 500, &sp, err, sizeof(err)), 0);
	assert_true(speculation_poll(sp, false));
	/* The guess is the recogniser's own result, for the tag it was started with. */
	assert_int_equal(speculation_start(sp, pcm, n, 1000, 1), 0);
	size_t polls = 0;
	while (!speculation_poll(sp, false)) {
		polls++;
		nanosleep(&(struct timespec){ .tv_nsec = 1000 * 1000 }, NULL);
	}
	double wall_ms = -1;
	assert_true(speculation_take(sp, 1000, 1, &got, &wall_ms));
	assert_string_equal(got.heard, want.heard);
	assert_int_equal(got.decision, want.decision);
	assert_true(wall_ms >= 0);
	/* Taken once only. */
	assert_false(speculation_take(sp, 1000, 1, &got, &wall_ms));
	/* Another end of speech, or the dialogue moved on: not handed over. */
	assert_int_equal(speculation_start(sp, pcm, n, 1000, 2), 0);
	/* One guess at a time: refused while one runs, else it replaces the one held. */
	r = speculation_start(sp, pcm, n, 1000, 2);
	assert_true(r == -EBUSY || r == 0);
	assert_false(speculation_take(sp, 1000, 3, &got, &wall_ms));
	assert_int_equal(speculation_start(sp, pcm, n, 1000, 3), 0);
	assert_false(speculation_take(sp, 999, 3, &got, &wall_ms));
	/* Cancel waits for the worker; destroy too. */
	assert_int_equal(speculation_start(sp, pcm, n, 1000, 4), 0);
	speculation_cancel(sp);
	assert_false(speculation_take(sp, 1000, 4, &got, &wall_ms));
	struct speculation_stats st;
	speculation_get_stats(sp, &st);
	assert_int_equal(st.used, 1);
	assert_int_equal(st.discarded, st.n - 1);
	assert_true(st.n >= 4 && st.n <= 5);
	assert_true(st.window_ms == 500);
	assert_int_equal(speculation_start(sp, pcm, n, 1000, 5), 0);
	speculation_destroy(sp);
	fprintf(stderr, "speculation: %zu polls while the first guess ran, %.0f ms\n", polls,
		wall_ms);
	free(pcm);
	session_assets_done(&assets);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_keys_parse),
		T(test_key_interrupts_answer),
		T(test_slower_sets_rate),
		T(test_goodbye_exits),
		T(test_room_noise_is_heard),
		T(test_stop_flag),
		T(test_device_loss_cuts_off),
		cmocka_unit_test(test_speculation),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
