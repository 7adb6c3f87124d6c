/* A station never stops for its content (docs/station.md), in process: a lexicon with a bad line
 * is reported with its file and line, and the last good copy (or the built-in scripts without a
 * lexicon) serves; SIGHUP, routed to the reload flag, neither stops nor ends the process. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "log.h"
#include "session.h"
#include "stop.h"

static char dir[512];

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup(void **state)
{
	(void)state;
	const char *tmp = getenv("TALKLEAF_TEST_TMP");
	snprintf(dir, sizeof(dir), "%s/test-station-XXXXXX", tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(dir));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	char *cmd = xasprintf("rm -rf '%s'", dir);
	int r = system(cmd);
	free(cmd);
	return r == 0 ? 0 : -1;
}

static struct session_assets_config config(const char *lexicon_dir, const char *state_dir)
{
	return (struct session_assets_config){
		.scripts_dir = TEST_SOURCE_DIR "/scripts",
		.lexicon_dir = lexicon_dir,
		.no_recogniser = true,
		.state_dir = state_dir,
	};
}

/* One bad lexicon line: said with its file and line; without a last good copy the built-in
 * scripts serve without a lexicon, with one its lexicon serves. */
static void test_bad_lexicon_serves(void **state)
{
	(void)state;
	char *bad = xasprintf("%s/bad-lexicon", dir), *st = xasprintf("%s/state", dir);
	assert_int_equal(mkdir(bad, 0755), 0);
	assert_int_equal(mkdir(st, 0755), 0);
	char *words = xasprintf("%s/words.txt", bad);
	write_file(words, "word: camhs\nhear: NOT A PHONE\n");
	struct session_assets a;
	struct diag d;
	const char *served = NULL;
	char err[1024] = "";
	struct session_assets_config ac = config(bad, NULL);
	diag_init(&d);
	assert_int_equal(session_assets_load_any(&ac, &a, &served, &d, err, sizeof(err)), 0);
	assert_string_equal(served, "the built-in scripts without a lexicon");
	char *where = xasprintf("%s:2: error", words);
	assert_true(diag_contains(&d, where));
	assert_non_null(strstr(err, "serving the built-in scripts without a lexicon instead"));
	assert_int_equal(a.lex->n_entries, 0);
	assert_non_null(a.set);
	session_assets_done(&a);
	diag_done(&d);

	/* A good load kept in the state folder serves next time the lexicon is broken. */
	struct session_assets_config good = config(TEST_SOURCE_DIR "/lexicon", st);
	assert_int_equal(session_assets_keep(&good, err, sizeof(err)), 0);
	ac = config(bad, st);
	diag_init(&d);
	assert_int_equal(session_assets_load_any(&ac, &a, &served, &d, err, sizeof(err)), 0);
	assert_string_equal(served, "the last good scripts and lexicon");
	assert_true(a.lex->n_entries > 0);
	assert_true(diag_contains(&d, where));
	session_assets_done(&a);
	diag_done(&d);
	/* Kept again: the old copy is exchanged whole, nothing half-made is left. */
	assert_int_equal(session_assets_keep(&good, err, sizeof(err)), 0);
	char *cmd = xasprintf("test -z \"$(ls -A '%s' | grep -v '^last-good$')\"", st);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(where);
	free(words);
	free(bad);
	free(st);
}

/* SIGHUP routed to the reload flag: no stop, no grace timer ending the process, one reload. */
static void test_sighup_reloads(void **state)
{
	(void)state;
	stop_on_signals();
	stop_reload_on_sighup();
	raise(SIGHUP);
	raise(SIGHUP);
	assert_false(stop_requested());
	assert_true(stop_reload_take());
	assert_false(stop_reload_take());
	/* Past the grace time a stop would have (the timer would have ended the process). */
	usleep((STOP_GRACE_MS + 200) * 1000);
	assert_false(stop_requested());
}

int main(void)
{
	log_level_current = LOG_ERROR;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bad_lexicon_serves),
		cmocka_unit_test(test_sighup_reloads),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
