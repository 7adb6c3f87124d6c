/* The live status line (voice/loop/status.c, docs/status.md) without a terminal: each line as
 * formatted, the words heard only when asked, a line cut and kept to one line, a repeat not
 * written twice; then a session in process (keys only, memory source and sink) writes its lines
 * through the session config: a key, what it says, listening. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audio.h"
#include "diag.h"
#include "log.h"
#include "session.h"
#include "status.h"

static const char *fmt(const struct status_event *ev, bool words)
{
	static char buf[512];
	return status_format(ev, words, buf, sizeof(buf));
}

static void test_format(void **state)
{
	(void)state;
	assert_string_equal(fmt(&(struct status_event){ .kind = STATUS_LISTENING }, false),
			    "listening");
	struct status_event heard = { .kind = STATUS_HEARD,
				      .intent = "attunement",
				      .decision = "answer",
				      .words = "what does attuned mean" };
	assert_string_equal(fmt(&heard, false), "heard attunement (answer)");
	assert_string_equal(fmt(&heard, true),
			    "heard attunement (answer): \"what does attuned mean\"");
	struct status_event nothing = { .kind = STATUS_HEARD, .decision = "reject" };
	assert_string_equal(fmt(&nothing, true), "heard nothing clear (reject)");
	assert_string_equal(fmt(&(struct status_event){ .kind = STATUS_KEY, .key = "9" }, false),
			    "key 9");
	const char *said[] = { "topic:attunement", "prompt:after-answer" };
	assert_string_equal(
		fmt(&(struct status_event){ .kind = STATUS_SPEAKING, .said = said, .n_said = 2 },
		    false),
		"speaking topic:attunement, prompt:after-answer");
	assert_string_equal(fmt(&(struct status_event){ .kind = STATUS_SPEAKING }, false),
			    "speaking");
	const char *menu[] = { "prompt:help", "prompt:help-item", "prompt:help-item",
			       "prompt:help-item", "prompt:menu-next" };
	assert_string_equal(
		fmt(&(struct status_event){ .kind = STATUS_SPEAKING, .said = menu, .n_said = 5 },
		    false),
		"speaking prompt:help, prompt:help-item x3, prompt:menu-next");
	assert_string_equal(fmt(&(struct status_event){ .kind = STATUS_DEVICE_LOST,
							.device = "microphone",
							.detail = "the microphone \"default\" stopped" },
				false),
			    "microphone lost: the microphone \"default\" stopped");
	assert_string_equal(fmt(&(struct status_event){ .kind = STATUS_DEVICE_LOST }, false),
			    "sound devices lost");
	assert_string_equal(
		fmt(&(struct status_event){ .kind = STATUS_DEVICE_BACK, .device = "speaker" },
		    false),
		"speaker back");
}

/* A line is one line, with nothing a terminal obeys, and never longer than its buffer. */
static void test_format_bounds(void **state)
{
	(void)state;
	struct status_event ev = { .kind = STATUS_DEVICE_LOST,
				   .device = "speaker",
				   .detail = "bad\n\033[2Jname\r" };
	assert_string_equal(fmt(&ev, false), "speaker lost: bad??[2Jname?");
	char small[12];
	memset(small, 'x', sizeof(small));
	status_format(&ev, false, small, 8);
	assert_string_equal(small, "speaker");
	assert_int_equal(small[8], 'x');
	char one[1] = { 'x' };
	status_format(&ev, false, one, 0);
	assert_int_equal(one[0], 'x');
}

/* Read what a writer wrote, line by line, without the time ("17:06:40 "). */
static size_t lines_of(FILE *f, char lines[][256], size_t max)
{
	rewind(f);
	regex_t clock;
	assert_int_equal(regcomp(&clock, "^[0-9]{2}:[0-9]{2}:[0-9]{2} ", REG_EXTENDED), 0);
	size_t n = 0;
	char line[256];
	while (n < max && fgets(line, sizeof(line), f)) {
		fprintf(stderr, "status: %s", line);
		assert_int_equal(regexec(&clock, line, 0, NULL, 0), 0);
		line[strcspn(line, "\n")] = '\0';
		snprintf(lines[n++], sizeof(lines[0]), "%s", line + 9);
	}
	regfree(&clock);
	return n;
}

static void test_emit(void **state)
{
	(void)state;
	FILE *f = tmpfile();
	assert_non_null(f);
	struct status *st = status_create(f, false);
	struct status_event listening = { .kind = STATUS_LISTENING };
	status_emit(st, &listening);
	status_emit(st, &listening); /* nothing new: not written again */
	status_emit(st, &(struct status_event){ .kind = STATUS_HEARD,
						.intent = "camhs",
						.decision = "confirm",
						.words = "camhs" });
	status_emit(st, &listening);
	status_emit(NULL, &listening); /* no writer: nothing, no crash */
	status_destroy(st);
	status_destroy(NULL);
	char lines[8][256];
	assert_int_equal(lines_of(f, lines, 8), 3);
	assert_string_equal(lines[0], "listening");
	assert_string_equal(lines[1], "heard camhs (confirm)");
	assert_string_equal(lines[2], "listening");
	fclose(f);
}

/* The session writes the lines: the greeting, then the key 9 ("who can help") and its answer. */
static void test_session_lines(void **state)
{
	(void)state;
	struct session_assets assets;
	struct session_assets_config ac = {
		.scripts_dir = TEST_SOURCE_DIR "/scripts",
		.lexicon_dir = TEST_SOURCE_DIR "/lexicon",
		.no_recogniser = true,
	};
	struct diag d;
	diag_init(&d);
	char err[512] = "";
	assert_int_equal(session_assets_load(&ac, &assets, &d, err, sizeof(err)), 0);
	diag_done(&d);
	size_t n = 60 * AUDIO_RATE_HZ;
	int16_t *room = xcalloc(n, sizeof(*room));
	struct audio_source *src;
	struct audio_sink *sink;
	assert_int_equal(
		audio_source_open_memory(room, n, AUDIO_RATE_HZ, "room", &src, err, sizeof(err)),
		0);
	free(room);
	assert_int_equal(audio_sink_open_memory(0, &sink, err, sizeof(err)), 0);
	FILE *f = tmpfile();
	assert_non_null(f);
	struct session_config cfg;
	session_config_defaults(&cfg);
	struct session_key *keys;
	int nk = session_keys_parse("15:9", &keys, err, sizeof(err));
	assert_int_equal(nk, 1);
	cfg.keys = keys;
	cfg.n_keys = 1;
	cfg.max_seconds = 60;
	cfg.status = status_create(f, false);
	struct session *s;
	assert_int_equal(session_create(&cfg, assets.set, NULL, assets.synth, src, sink, &s, err,
					sizeof(err)),
			 0);
	free(keys);
	assert_int_equal(session_run(s, err, sizeof(err)), 0);
	session_destroy(s);
	status_destroy(cfg.status);
	char lines[16][256];
	size_t nl = lines_of(f, lines, 16);
	assert_true(nl >= 5);
	assert_string_equal(lines[0], "speaking prompt:greeting");
	assert_string_equal(lines[1], "listening");
	/* A reprompt may come before the key; the key's lines follow each other. */
	size_t k = 2;
	while (k + 2 < nl && strcmp(lines[k], "key 9") != 0)
		k++;
	assert_string_equal(lines[k], "key 9");
	assert_string_equal(lines[k + 1], "speaking topic:who-can-help, prompt:after-answer");
	assert_string_equal(lines[k + 2], "listening");
	fclose(f);
	audio_sink_destroy(sink);
	audio_source_destroy(src);
	session_assets_done(&assets);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_format_bounds),
		cmocka_unit_test(test_emit),
		cmocka_unit_test(test_session_lines),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
