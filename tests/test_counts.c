/* voice/loop/counts.c: which turns count as what, the day files added to (never overwritten), a
 * day file someone broke kept aside, no temporary file left, dates filtered and sorted. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "counts.h"
#include "diag.h"
#include "log.h"
#include "script_files.h"
#include "turn_log.h"

static struct script_set *set;
static char dir[512];

static int setup(void **state)
{
	(void)state;
	struct diag d;
	diag_init(&d);
	int r = script_set_load(TEST_SOURCE_DIR "/scripts", NULL, &set, &d);
	diag_done(&d);
	snprintf(dir, sizeof(dir), "%s/counts-test.XXXXXX", TEST_BUILD_DIR);
	return r < 0 || !mkdtemp(dir);
}

static int teardown(void **state)
{
	(void)state;
	script_set_destroy(set);
	char cmd[1200];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) != 0;
}

static void empty_dir(void)
{
	char cmd[1200];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s' && mkdir '%s'", dir, dir);
	assert_int_equal(system(cmd), 0);
}

/* A turn as the session logs it. */
static struct turn_log turn(const char *event, const char *key, const char *intent,
			    const char *decision, const char *said)
{
	struct turn_log t = { .open = false, .event = event, .decision = decision };
	if (key) {
		t.has_key = true;
		snprintf(t.key, sizeof(t.key), "%s", key);
	}
	if (intent) {
		t.has_intent = true;
		snprintf(t.intent, sizeof(t.intent), "%s", intent);
	}
	if (said) {
		snprintf(t.said[t.n_said++], TURN_SAID_LEN, "%s", said);
		snprintf(t.said[t.n_said++], TURN_SAID_LEN, "prompt:after-answer");
	}
	return t;
}

static void add(struct counts *c, struct turn_log t)
{
	counts_add_turn(c, set, &t);
}

static const char *key_of(const char *id)
{
	const struct script_entry *e = script_set_find_topic(set, id);
	assert_non_null(e);
	return e->key;
}

static const char *control_key(enum control c)
{
	const struct script_entry *e = script_set_control(set, c);
	assert_non_null(e);
	assert_non_null(e->key);
	return e->key;
}

static void read_all(struct counts_day *total)
{
	struct counts_day *days;
	size_t n;
	char err[512];
	assert_int_equal(counts_read(dir, NULL, NULL, &days, &n, err, sizeof(err)), 0);
	*total = (struct counts_day){ 0 };
	for (size_t i = 0; i < n; i++)
		counts_day_add(total, &days[i]);
	counts_days_free(days, n);
}

/* Every file of the folder is a day file: no temporary file is left. */
static void assert_only_day_files(void)
{
	DIR *d = opendir(dir);
	assert_non_null(d);
	for (struct dirent *e; (e = readdir(d));) {
		if (e->d_name[0] == '.' && (!e->d_name[1] || strcmp(e->d_name, "..") == 0))
			continue;
		if (strncmp(e->d_name, "counts-", 7) != 0 || strstr(e->d_name, ".txt") == NULL)
			fail_msg("a stray file: %s", e->d_name);
	}
	closedir(d);
}

static void test_turns_counted(void **state)
{
	(void)state;
	empty_dir();
	struct counts *c;
	char err[512];
	assert_int_equal(counts_create(dir, &c, err, sizeof(err)), 0);
	/* Nothing counted: nothing written. */
	assert_int_equal(counts_save(c, err, sizeof(err)), 0);
	struct counts_day total;
	read_all(&total);
	assert_int_equal(total.asked_key + total.asked_voice, 0);

	add(c, turn("start", NULL, NULL, NULL, NULL));
	add(c, turn("key", key_of("camhs"), NULL, NULL, "topic:camhs"));
	/* Say that again, and more: nothing asked. */
	add(c, turn("key", control_key(CONTROL_REPEAT), NULL, NULL, "topic:camhs"));
	add(c, turn("speech", NULL, "control:repeat", "answer", "topic:camhs"));
	add(c, turn("key", control_key(CONTROL_MORE), NULL, NULL, "more:camhs"));
	/* Asked by voice and answered. */
	add(c, turn("speech", NULL, "attunement", "answer", "topic:attunement"));
	/* Asked back, then yes: one question, answered once. */
	add(c, turn("speech", NULL, "camhs", "confirm", NULL));
	add(c, turn("speech", NULL, "control:yes", "answer", "topic:camhs"));
	/* Not understood (with or without a guess). */
	add(c, turn("speech", NULL, "the-dance", "reject", "prompt:not-sure"));
	add(c, turn("speech", NULL, NULL, "reject", "prompt:not-heard"));
	/* Nothing said back: the room's own sound, or a television while waiting. */
	add(c, turn("speech", NULL, NULL, "reject", NULL));
	add(c, turn("silence", NULL, NULL, NULL, NULL));
	assert_int_equal(counts_save(c, err, sizeof(err)), 0);
	assert_only_day_files();

	read_all(&total);
	assert_int_equal(total.asked_key, 1);
	assert_int_equal(total.asked_voice, 4);
	assert_int_equal(total.answered, 3);
	assert_int_equal(total.asked_back, 1);
	assert_int_equal(total.not_understood, 2);
	assert_int_equal(counts_day_topic(&total, "camhs"), 2);
	assert_int_equal(counts_day_topic(&total, "attunement"), 1);
	assert_int_equal(counts_day_topic(&total, "the-dance"), 0);
	counts_day_done(&total);

	/* A second program counting into the same folder adds to the day, and so does the
	 * first again. */
	struct counts *c2;
	assert_int_equal(counts_create(dir, &c2, err, sizeof(err)), 0);
	add(c2, turn("key", key_of("camhs"), NULL, NULL, "topic:camhs"));
	assert_int_equal(counts_save(c2, err, sizeof(err)), 0);
	add(c, turn("speech", NULL, NULL, "reject", "prompt:not-heard"));
	assert_int_equal(counts_save(c, err, sizeof(err)), 0);
	counts_destroy(c2);
	counts_destroy(c);
	read_all(&total);
	assert_int_equal(total.asked_key, 2);
	assert_int_equal(total.not_understood, 3);
	assert_int_equal(counts_day_topic(&total, "camhs"), 3);
	counts_day_done(&total);
	assert_only_day_files();
}

static void test_days_read(void **state)
{
	(void)state;
	empty_dir();
	script_file_write(dir, "counts-2026-03-02.txt",
			  "# a comment\nasked-key 2\ntopic camhs 2\n");
	script_file_write(dir, "counts-2026-03-01.txt", "asked-voice 5\nnot-understood 1\n");
	script_file_write(dir, "counts-2026-02-28.txt", "answered 7\n");
	script_file_write(dir, "notes.txt", "not a day\n");
	struct counts_day *days;
	size_t n;
	char err[512];
	assert_int_equal(counts_read(dir, "2026-03-01", NULL, &days, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 2);
	assert_string_equal(days[0].date, "2026-03-01");
	assert_int_equal(days[0].asked_voice, 5);
	assert_string_equal(days[1].date, "2026-03-02");
	assert_int_equal(counts_day_topic(&days[1], "camhs"), 2);
	counts_days_free(days, n);
	assert_int_equal(counts_read(dir, NULL, "2026-02-28", &days, &n, err, sizeof(err)), 0);
	assert_int_equal(n, 1);
	assert_int_equal(days[0].answered, 7);
	counts_days_free(days, n);

	/* A broken file is named by its line. */
	script_file_write(dir, "counts-2026-03-03.txt", "asked-key 2\nasked-kye 3\n");
	assert_int_equal(counts_read(dir, NULL, NULL, &days, &n, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "counts-2026-03-03.txt:2: error: unknown count 'asked-kye'"));
	script_file_write(dir, "counts-2026-03-03.txt", "asked-key -2\n");
	assert_int_equal(counts_read(dir, NULL, NULL, &days, &n, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "counts-2026-03-03.txt:1: error: asked-key needs one count"));

	assert_false(counts_date_valid("2026-3-01"));
	assert_false(counts_date_valid("yesterday"));
	assert_true(counts_date_valid("2026-03-01"));
}

/* Today's file broken by hand: kept aside, and today counted again from what follows. */
static void test_broken_day_kept_aside(void **state)
{
	(void)state;
	empty_dir();
	char date[COUNTS_DATE_LEN], name[64];
	counts_today(date);
	snprintf(name, sizeof(name), "counts-%s.txt", date);
	script_file_write(dir, name, "asked-key lots\n");
	struct counts *c;
	char err[512] = "";
	assert_int_equal(counts_create(dir, &c, err, sizeof(err)), 0);
	add(c, turn("key", key_of("camhs"), NULL, NULL, "topic:camhs"));
	assert_int_equal(counts_save(c, err, sizeof(err)), 1);
	assert_non_null(strstr(err, ".txt.bad"));
	counts_destroy(c);
	char bad[1200], bad2[1210];
	snprintf(bad, sizeof(bad), "%s/%s.bad", dir, name);
	assert_int_equal(access(bad, F_OK), 0);
	struct counts_day total;
	read_all(&total);
	assert_int_equal(total.asked_key, 1);
	counts_day_done(&total);

	/* Broken again, after a good line: kept beside the first, which stays as it was, and the
	 * good line's count is not carried into the new file. */
	script_file_write(dir, name, "asked-key 7\nasked-key lots\n");
	assert_int_equal(counts_create(dir, &c, err, sizeof(err)), 0);
	add(c, turn("key", key_of("camhs"), NULL, NULL, "topic:camhs"));
	assert_int_equal(counts_save(c, err, sizeof(err)), 1);
	assert_non_null(strstr(err, ".txt.bad.2"));
	counts_destroy(c);
	snprintf(bad2, sizeof(bad2), "%s.2", bad);
	assert_int_equal(access(bad2, F_OK), 0);
	FILE *f = fopen(bad, "r");
	char first[64] = "";
	assert_non_null(f);
	assert_non_null(fgets(first, sizeof(first), f));
	fclose(f);
	assert_string_equal(first, "asked-key lots\n");
	assert_int_equal(unlink(bad), 0);
	assert_int_equal(unlink(bad2), 0);
	read_all(&total);
	assert_int_equal(total.asked_key, 1);
	counts_day_done(&total);
}

static void test_folder_missing(void **state)
{
	(void)state;
	struct counts *c;
	char err[512];
	assert_int_equal(counts_create("/nonexistent/talkleaf-state", &c, err, sizeof(err)),
			 -ENOENT);
	assert_null(c);
	assert_non_null(strstr(err, "/nonexistent/talkleaf-state"));
	/* No counts: nothing happens. */
	counts_add_turn(NULL, set, &(struct turn_log){ .event = "key" });
	assert_int_equal(counts_save(NULL, err, sizeof(err)), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_turns_counted),
		cmocka_unit_test(test_days_read),
		cmocka_unit_test(test_broken_day_kept_aside),
		cmocka_unit_test(test_folder_missing),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
