/* `talkleaf converse` end to end: conversations spoken by eSpeak NG (generated here, with pauses
 * made by sox) go through the same loop as the live assistant, and the turns of the log are
 * asserted: a topic question, "say that again", "slower", an out-of-domain question, silence
 * until the station resets, a key press during an answer, and a recording where time runs as in
 * life. Topic ids and keys are taken from the shipped scripts, not written in here. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "jsonl_field.h"
#include "log.h"
#include "keymap.h"
#include "script.h"

#define MAX_LINES 64

static char dir[512];
static struct script_set *set;

struct log_file {
	char *lines[MAX_LINES];
	size_t n;
};

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *cmd = NULL;
	assert_true(vasprintf(&cmd, fmt, ap) >= 0);
	va_end(ap);
	int r = system(cmd);
	if (r != 0)
		fprintf(stderr, "command failed (%d): %s\n", r, cmd);
	free(cmd);
	return r;
}

/* `text` spoken by eSpeak NG at 16 kHz, with `before` and `after` seconds of quiet room noise
 * (a real microphone never gives digital silence). */
static void speech(const char *name, const char *text, double before, double after)
{
	assert_int_equal(sh("espeak-ng -v en -w '%s/raw-%s.wav' '%s' && "
			    "sox -q -R '%s/raw-%s.wav' -r 16000 -c 1 -b 16 '%s/clean-%s.wav' "
			    "pad %.2f %.2f && "
			    "sox -q -R -n -r 16000 -c 1 -b 16 '%s/noise-%s.wav' synth \"$(soxi -D "
			    "'%s/clean-%s.wav')\" pinknoise vol 0.003 && "
			    "sox -q -R -m '%s/clean-%s.wav' '%s/noise-%s.wav' '%s/%s.wav'",
			    dir, name, text, dir, name, dir, name, before, after, dir, name, dir,
			    name, dir, name, dir, name, dir, name),
			 0);
}

/* `first`, a pause of `pause_s`, then `second`, spoken by eSpeak NG with eSpeak NG's own
 * leading and trailing quiet cut off (so the pause is the one asked for), `before` and `after`
 * seconds around it, all in quiet room noise. */
static void speech_with_pause(const char *name, const char *first, const char *second,
			      double pause_s, double before, double after)
{
#define TRIM "silence 1 0.02 0.5%% reverse silence 1 0.02 0.5%% reverse"
	const char *text[2] = { first, second };
	for (int i = 0; i < 2; i++)
		assert_int_equal(sh("espeak-ng -v en -w '%s/raw%d-%s.wav' '%s' && "
				    "sox -q '%s/raw%d-%s.wav' -r 16000 -c 1 -b 16 '%s/part%d-%s.wav' "
				    TRIM,
				    dir, i, name, text[i], dir, i, name, dir, i, name),
				 0);
#undef TRIM
	assert_int_equal(sh("sox -q -n -r 16000 -c 1 -b 16 '%s/gap-%s.wav' trim 0 %.2f && "
			    "sox -q '%s/part0-%s.wav' '%s/gap-%s.wav' '%s/part1-%s.wav' "
			    "'%s/clean-%s.wav' pad %.2f %.2f",
			    dir, name, pause_s, dir, name, dir, name, dir, name, dir, name, before,
			    after),
			 0);
	assert_int_equal(sh("sox -q -R -n -r 16000 -c 1 -b 16 '%s/noise-%s.wav' synth \"$(soxi -D "
			    "'%s/clean-%s.wav')\" pinknoise vol 0.003 && "
			    "sox -q -R -m '%s/clean-%s.wav' '%s/noise-%s.wav' '%s/%s.wav'",
			    dir, name, dir, name, dir, name, dir, name, dir, name),
			 0);
}

static void quiet(const char *name, double seconds)
{
	assert_int_equal(sh("sox -q -n -r 16000 -c 1 -b 16 '%s/%s.wav' synth %.2f pinknoise "
			    "vol 0.003",
			    dir, name, seconds),
			 0);
}

static void free_log(struct log_file *lf);

/* The log read last; freed when the next is read or at the end (a failed assertion jumps
 * past the test's own free). */
static struct log_file *last_log;

static void read_log(const char *path, struct log_file *lf)
{
	if (last_log)
		free_log(last_log);
	last_log = lf;
	memset(lf, 0, sizeof(*lf));
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char *line = NULL;
	size_t cap = 0;
	while (getline(&line, &cap, f) > 0 && lf->n < MAX_LINES) {
		fprintf(stderr, "log: %s", line);
		lf->lines[lf->n++] = xstrdup(line);
	}
	free(line);
	fclose(f);
}

static void free_log(struct log_file *lf)
{
	for (size_t i = 0; i < lf->n; i++)
		free(lf->lines[i]);
	lf->n = 0;
	if (last_log == lf)
		last_log = NULL;
}

/* The raw JSON value of field `name` in `line`, copied into buf: it must be there, whole. */
static const char *field(const char *line, const char *name, char *buf, size_t len)
{
	assert_int_equal(jsonl_field(line, name, buf, len), 0);
	return buf;
}

static double number(const char *line, const char *name)
{
	char buf[64];
	field(line, name, buf, sizeof(buf));
	assert_string_not_equal(buf, "null");
	return strtod(buf, NULL);
}

/* The topic on `key` of the menu on `menu_key` (NULL: of the main menu). */
static const char *topic_by_key(const char *menu_key, const char *key)
{
	const struct script_entry *menu = menu_key ? keymap_menu_find(set, NULL, menu_key) : NULL;
	assert_true(!menu_key || (menu && menu->kind == SCRIPT_MENU));
	const struct script_entry *t = keymap_menu_find(set, menu, key);
	assert_non_null(t);
	assert_int_equal(t->kind, SCRIPT_TOPIC);
	return t->id;
}

/* The said list an answer to `id` gives, by decision: the answer, or "did you ask about". */
static void assert_answer_or_confirm(const char *line, const char *id)
{
	char buf[512], want[512];
	assert_string_equal(field(line, "intent", buf, sizeof(buf)),
			    (snprintf(want, sizeof(want), "\"%s\"", id), want));
	field(line, "decision", buf, sizeof(buf));
	if (strcmp(buf, "\"answer\"") == 0) {
		snprintf(want, sizeof(want), "[\"topic:%s\",\"prompt:after-answer\"]", id);
	} else {
		assert_string_equal(buf, "\"confirm\"");
		snprintf(want, sizeof(want), "[\"prompt:confirm\"]");
	}
	assert_string_equal(field(line, "said", buf, sizeof(buf)), want);
}

static int group_setup(void **state)
{
	snprintf(dir, sizeof(dir), "%s/converse-XXXXXX", TEST_BUILD_DIR);
	assert_non_null(mkdtemp(dir));
	struct diag d;
	diag_init(&d);
	int r = script_set_load(TEST_SOURCE_DIR "/scripts", NULL, &set, &d);
	diag_done(&d);
	assert_int_equal(r, 0);
	return 0;
}

static int group_teardown(void **state)
{
	if (last_log)
		free_log(last_log);
	script_set_destroy(set);
	sh("rm -rf '%s'", dir);
	return 0;
}

/* A topic question, "say that again", "slower", and a question the leaflet does not cover. */
static void test_turns_conversation(void **state)
{
	speech("attuned", "what does attuned mean", 0, 0);
	speech("again", "say that again", 0, 0);
	speech("slower", "slower please", 0, 0);
	speech("weather", "what will the weather be like tomorrow", 0, 0);
	assert_int_equal(sh("mkdir -p %s/heard && '%s' converse --language en --turns %s/attuned.wav %s/again.wav "
			    "%s/slower.wav %s/weather.wav --out %s/turns.wav --log %s/turns.jsonl "
			    "--record-dir %s/heard",
			    dir, TALKLEAF_EXE, dir, dir, dir, dir, dir, dir, dir),
			 0);
	char path[600], buf[512], said1[512], said3[512];
	/* Each utterance heard was saved (only because --record-dir asked for it). */
	assert_int_equal(sh("test -s %s/heard/utterance-0004.wav && ! test -e "
			    "%s/heard/utterance-0005.wav",
			    dir, dir),
			 0);

	/* Everything said went to the reply file. */
	struct stat st;
	snprintf(path, sizeof(path), "%s/turns.wav", dir);
	assert_int_equal(stat(path, &st), 0);
	assert_true(st.st_size > 22050 * 2 * 10); /* more than 10 s of speech */
	snprintf(path, sizeof(path), "%s/turns.jsonl", dir);
	static struct log_file lf;
	read_log(path, &lf);
	assert_true(lf.n >= 5);
	assert_string_equal(field(lf.lines[0], "event", buf, sizeof(buf)), "\"start\"");
	assert_string_equal(field(lf.lines[0], "said", buf, sizeof(buf)), "[\"prompt:greeting\"]");

	assert_string_equal(field(lf.lines[1], "event", buf, sizeof(buf)), "\"speech\"");
	assert_answer_or_confirm(lf.lines[1], "attunement");
	field(lf.lines[1], "said", said1, sizeof(said1));
	/* End of speech to the first reply sample: measured, and not absurd. */
	double ms = number(lf.lines[1], "compute_ms");
	assert_true(ms > 0 && ms < 5000);
	assert_true(number(lf.lines[1], "speech_end_s") > number(lf.lines[1], "speech_start_s"));
	assert_true(number(lf.lines[1], "endpoint_s") >= number(lf.lines[1], "speech_end_s"));

	/* "say that again": the same again. */
	assert_string_equal(field(lf.lines[2], "intent", buf, sizeof(buf)), "\"control:repeat\"");
	assert_string_equal(field(lf.lines[2], "said", buf, sizeof(buf)), said1);

	/* "slower": the rate changes and the answer comes again. */
	assert_string_equal(field(lf.lines[3], "intent", buf, sizeof(buf)), "\"control:slower\"");
	field(lf.lines[3], "said", said3, sizeof(said3));
	assert_true(strncmp(said3, "[\"prompt:slower\",", 17) == 0);
	assert_non_null(strstr(said3, said1 + 1));

	/* Out of domain: never an answer. */
	field(lf.lines[4], "decision", buf, sizeof(buf));
	assert_string_not_equal(buf, "\"answer\"");
	field(lf.lines[4], "said", buf, sizeof(buf));
	assert_true(strncmp(buf, "[\"prompt:not-sure\"", 18) == 0 ||
		    strcmp(buf, "[\"prompt:confirm\"]") == 0);
	free_log(&lf);

}

/* Nobody speaks: re-prompts that say more each time, then the reset; over a minute of an empty
 * room after it, then someone presses a key: the greeting comes then, not at the reset. */
static void test_silence_until_reset(void **state)
{
	assert_int_equal(sh("'%s' converse --language en --turns silence:200 --keys-only "
			    "--no-speech-timeout 6 --log %s/silence.jsonl --station --keys '130:*'",
			    TALKLEAF_EXE, dir),
			 0);
	char path[600], buf[512];
	snprintf(path, sizeof(path), "%s/silence.jsonl", dir);
	static struct log_file lf;
	read_log(path, &lf);
	assert_true(lf.n >= 4);
	assert_string_equal(field(lf.lines[1], "event", buf, sizeof(buf)), "\"silence\"");
	assert_string_equal(field(lf.lines[1], "said", buf, sizeof(buf)), "[\"prompt:reprompt-1\"]");
	assert_string_equal(field(lf.lines[2], "event", buf, sizeof(buf)), "\"silence\"");
	assert_string_equal(field(lf.lines[2], "said", buf, sizeof(buf)), "[\"prompt:reprompt-2\"]");
	assert_string_equal(field(lf.lines[3], "event", buf, sizeof(buf)), "\"silence\"");
	/* No greeting to the empty room (it waits for the next person's key or words). */
	assert_string_equal(field(lf.lines[3], "said", buf, sizeof(buf)), "[\"prompt:reset\"]");
	assert_string_equal(field(lf.lines[3], "reset", buf, sizeof(buf)), "true");
	/* Each silence comes a timeout after the listening began: more than 6 s apart. */
	assert_true(number(lf.lines[2], "endpoint_s") - number(lf.lines[1], "endpoint_s") > 6.0);
	/* After the reset, an empty corridor hears nothing (and the log stays quiet) until the
	 * key, more than a minute later, which is greeted. */
	assert_true(lf.n >= 5);
	assert_string_equal(field(lf.lines[4], "key", buf, sizeof(buf)), "\"*\"");
	assert_true(number(lf.lines[4], "endpoint_s") - number(lf.lines[3], "endpoint_s") > 60.0);
	assert_string_equal(field(lf.lines[4], "said", buf, sizeof(buf)), "[\"prompt:greeting\"]");
	free_log(&lf);
}

/* Keys into a running recording: 3 opens a menu, 1 answers its first topic, and 2 stops that
 * answer at once and answers the menu's second. */
static void test_key_press_during_answer(void **state)
{
	quiet("room", 45);
	assert_int_equal(sh("'%s' converse --language en --in %s/room.wav --keys 24:3,25:1,28:2 --keys-only "
			    "--out %s/keys.wav --log %s/keys.jsonl",
			    TALKLEAF_EXE, dir, dir, dir),
			 0);
	char path[600], buf[512], want[512];
	snprintf(path, sizeof(path), "%s/keys.jsonl", dir);
	static struct log_file lf;
	read_log(path, &lf);
	size_t k3 = 0, k1 = 0, k2 = 0;
	for (size_t i = 0; i < lf.n; i++) {
		field(lf.lines[i], "key", buf, sizeof(buf));
		if (strcmp(buf, "\"3\"") == 0)
			k3 = i;
		if (strcmp(buf, "\"1\"") == 0)
			k1 = i;
		if (strcmp(buf, "\"2\"") == 0)
			k2 = i;
	}
	assert_true(k3 > 0);
	assert_int_equal(k1, k3 + 1);
	assert_int_equal(k2, k1 + 1);
	snprintf(want, sizeof(want), "[\"topic:%s\",\"prompt:after-answer\"]",
		 topic_by_key("3", "1"));
	assert_string_equal(field(lf.lines[k1], "said", buf, sizeof(buf)), want);
	assert_string_equal(field(lf.lines[k1], "interrupted", buf, sizeof(buf)), "true");
	assert_true(number(lf.lines[k1], "endpoint_s") >= 25.0 &&
		    number(lf.lines[k1], "endpoint_s") < 25.1);
	snprintf(want, sizeof(want), "[\"topic:%s\",\"prompt:after-answer\"]",
		 topic_by_key("3", "2"));
	assert_string_equal(field(lf.lines[k2], "said", buf, sizeof(buf)), want);
	assert_string_equal(field(lf.lines[k2], "interrupted", buf, sizeof(buf)), "false");
	free_log(&lf);
}

/* A recording as the microphone: the question comes after the greeting, and the log's clock
 * is the recording's. */
static void test_recording_runs_as_in_life(void **state)
{
	speech("camhs", "what is camhs", 20.0, 12.0);
	assert_int_equal(sh("'%s' converse --language en --in %s/camhs.wav --out %s/camhs-reply.wav "
			    "--no-speech-timeout 30 --log %s/camhs.jsonl",
			    TALKLEAF_EXE, dir, dir, dir),
			 0);
	char path[600], buf[512];
	snprintf(path, sizeof(path), "%s/camhs.jsonl", dir);
	static struct log_file lf;
	read_log(path, &lf);
	assert_true(lf.n >= 2);
	assert_string_equal(field(lf.lines[1], "event", buf, sizeof(buf)), "\"speech\"");
	double start = number(lf.lines[1], "speech_start_s");
	assert_true(start > 19.5 && start < 21.0);
	assert_answer_or_confirm(lf.lines[1], "camhs");
	free_log(&lf);
}

static int integer(const char *line, const char *name)
{
	char buf[64];
	return atoi(field(line, name, buf, sizeof(buf)));
}

/* Speculative decoding: a question followed by quiet is decoded at the 200 ms pause and that
 * result is used at the endpoint; a question with a 300 ms pause in it is guessed at the pause,
 * the guess is thrown away when the speech comes back, and the whole question is heard (its
 * topic needs the words after the pause). */
static void test_speculation_used_or_discarded(void **state)
{
	speech("attuned-q", "what does attuned mean", 0, 0);
	speech_with_pause("camhs-pause", "what is", "camhs", 0.3, 0, 0);
	assert_int_equal(sh("'%s' converse --language en --turns %s/attuned-q.wav %s/camhs-pause.wav "
			    "--log %s/spec.jsonl",
			    TALKLEAF_EXE, dir, dir, dir),
			 0);
	char path[600], buf[512];
	snprintf(path, sizeof(path), "%s/spec.jsonl", dir);
	static struct log_file lf;
	read_log(path, &lf);
	assert_true(lf.n >= 3);
	/* Quiet after the question: one guess, and it was used. */
	assert_string_equal(field(lf.lines[1], "event", buf, sizeof(buf)), "\"speech\"");
	assert_answer_or_confirm(lf.lines[1], "attunement");
	assert_int_equal(integer(lf.lines[1], "speculated"), 1);
	assert_true(number(lf.lines[1], "speculative_ms") > 0);
	/* The pause: a guess at "what is", discarded; the last guess (the whole question) used. */
	assert_string_equal(field(lf.lines[2], "event", buf, sizeof(buf)), "\"speech\"");
	assert_answer_or_confirm(lf.lines[2], "camhs");
	assert_int_equal(integer(lf.lines[2], "speculated"), 2);
	assert_true(number(lf.lines[2], "speculative_ms") > 0);
	free_log(&lf);
}

/* A key pressed while a guess is waiting for the endpoint: the key is answered at once, and the
 * guess is thrown away, not used for a reply. */
static void test_key_discards_speculation(void **state)
{
	speech_with_pause("camhs-key", "what is", "camhs", 0.05, 20.0, 12.0);
	char path[600], buf[512], cmd[700];
	/* The speech ends where the file's last 12 s of quiet begin. */
	snprintf(cmd, sizeof(cmd), "soxi -D '%s/clean-camhs-key.wav'", dir);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	double total = 0;
	assert_int_equal(fscanf(p, "%lf", &total), 1);
	pclose(p);
	double key_at = total - 12.0 + 0.45; /* after the 200 ms guess, before the 700 ms end */
	assert_int_equal(sh("'%s' converse --language en --in %s/camhs-key.wav --keys %.2f:9 --out %s/k.wav "
			    "--no-speech-timeout 30 --log %s/spec-key.jsonl",
			    TALKLEAF_EXE, dir, key_at, dir, dir),
			 0);
	snprintf(path, sizeof(path), "%s/spec-key.jsonl", dir);
	static struct log_file lf;
	read_log(path, &lf);
	assert_true(lf.n >= 2);
	char want[512];
	assert_string_equal(field(lf.lines[1], "event", buf, sizeof(buf)), "\"key\"");
	/* 9: the topic one key from anywhere. */
	snprintf(want, sizeof(want), "[\"topic:%s\",\"prompt:after-answer\"]",
		 topic_by_key(NULL, "9"));
	assert_string_equal(field(lf.lines[1], "said", buf, sizeof(buf)), want);
	assert_true(number(lf.lines[1], "endpoint_s") >= key_at - 0.01 &&
		    number(lf.lines[1], "endpoint_s") < key_at + 0.05);
	assert_int_equal(integer(lf.lines[1], "speculated"), 1);
	/* Nothing was answered from the guess. */
	for (size_t i = 2; i < lf.n; i++) {
		field(lf.lines[i], "speculative_ms", buf, sizeof(buf));
		assert_string_equal(buf, "null");
	}
	free_log(&lf);
}

/* Speech through an 8 kHz stage (a Bluetooth headset in hands-free mode, a telephone line) is
 * named once a run, whatever the number of utterances; wideband speech never. */
static void test_telephone_band_said_once(void **state)
{
	speech("wide1", "what is camhs", 0.5, 1.0);
	speech("wide2", "tell me more", 0.5, 1.0);
	for (int i = 1; i <= 2; i++)
		assert_int_equal(sh("sox -q '%s/wide%d.wav' -r 8000 '%s/phone8k%d.wav' && "
				    "sox -q '%s/phone8k%d.wav' -r 16000 '%s/phone%d.wav'",
				    dir, i, dir, i, dir, i, dir, i),
				 0);
	assert_int_equal(sh("'%s' converse --language en --turns %s/phone1.wav %s/phone2.wav --out %s/phone.wav "
			    "2>%s/phone-err.txt",
			    TALKLEAF_EXE, dir, dir, dir, dir),
			 0);
	assert_int_equal(sh("test \"$(grep -c 'nothing above 4 kHz' %s/phone-err.txt)\" = 1", dir),
			 0);
	assert_int_equal(sh("'%s' converse --language en --turns %s/wide1.wav %s/wide2.wav --out %s/wide.wav "
			    "2>%s/wide-err.txt",
			    TALKLEAF_EXE, dir, dir, dir, dir),
			 0);
	assert_int_equal(sh("grep -q 'nothing above 4 kHz' %s/wide-err.txt", dir) >> 8, 1);
}

/* Bad command lines: a clear message and exit status 2. */
static void test_bad_options(void **state)
{
	quiet("short", 1);
	assert_int_equal(sh("'%s' converse --language en --in %s/short.wav --keys 'abc' --keys-only "
			    "2>%s/err.txt",
			    TALKLEAF_EXE, dir, dir) >> 8,
			 2);
	assert_int_equal(sh("grep -q 'write SECONDS:KEY' %s/err.txt", dir), 0);
	assert_int_equal(sh("'%s' converse --language en --in %s/short.wav --turns %s/short.wav 2>%s/err.txt",
			    TALKLEAF_EXE, dir, dir, dir) >> 8,
			 2);
	assert_int_equal(sh("grep -q 'either --in' %s/err.txt", dir), 0);
	assert_int_equal(sh("'%s' converse --language en --in %s/missing.wav --keys-only 2>%s/err.txt",
			    TALKLEAF_EXE, dir, dir) >> 8,
			 1);
	assert_int_equal(sh("grep -q 'missing.wav' %s/err.txt", dir), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_turns_conversation),
		cmocka_unit_test(test_silence_until_reset),
		cmocka_unit_test(test_key_press_during_answer),
		cmocka_unit_test(test_recording_runs_as_in_life),
		cmocka_unit_test(test_speculation_used_or_discarded),
		cmocka_unit_test(test_key_discards_speculation),
		cmocka_unit_test(test_telephone_band_said_once),
		cmocka_unit_test(test_bad_options),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
