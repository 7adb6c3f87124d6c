/* The installed languages (languages.c): which folders are languages and in what order, the
 * folders each one loads from with and without --scripts, every language.txt error by its exact
 * path:line message, and the keypad-only set. Fixtures are written into a temp folder. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "languages.h"
#include "log.h"
#include "paths.h"
#include "script.h"
#include "script_files.h"
#include "synthesiser.h"

#define MIN_DIR TEST_SOURCE_DIR "/tests/data/scripts-min"

static char tmp[256];

static int setup(void **state)
{
	(void)state;
	snprintf(tmp, sizeof(tmp), "%s/languages-XXXXXX", TEST_BUILD_DIR);
	return mkdtemp(tmp) ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmp);
	return system(cmd) == 0 ? 0 : -1;
}

/* tmp/rel as a new folder. */
static void make_dir(const char *rel)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", tmp, rel);
	assert_int_equal(mkdir(path, 0755), 0);
}

static void write_language(const char *rel_dir, const char *text)
{
	char dir[512];
	snprintf(dir, sizeof(dir), "%s/%s", tmp, rel_dir);
	script_file_write(dir, LANGUAGES_FILE, text);
}

static char *at(const char *rel)
{
	return xasprintf("%s/%s", tmp, rel);
}

static void assert_str_or_null(const char *got, const char *want)
{
	if (!want)
		assert_null(got);
	else
		assert_string_equal(got, want);
}

static void assert_dirs(const struct language *l, const char *builtin, const char *user,
			const char *lex_builtin, const char *lex_user)
{
	assert_string_equal(l->builtin_dir, builtin);
	assert_str_or_null(l->user_dir, user);
	assert_str_or_null(l->lexicon_builtin_dir, lex_builtin);
	assert_str_or_null(l->lexicon_user_dir, lex_user);
}

/* A built-in folder: main without language.txt, then pl, cy, a lexicon of pl's own, and a
 * clips/ folder that is not a language. Found as en, cy, pl. */
static void test_builtin_order(void **state)
{
	(void)state;
	make_dir("b");
	script_file_write(tmp, "b/hello.txt", "topic: hello\n");
	make_dir("b/pl");
	make_dir("b/pl/lexicon");
	write_language("b/pl", "# Polish\nlanguage: pl\nname: Polski\nvoice: pl\n"
			       "recognition: none\nspeaking-words: powiedz | mów\n");
	make_dir("b/cy");
	write_language("b/cy", "language: cy\nname: Cymraeg\nvoice: cy\n");
	make_dir("b/clips");
	char *b = at("b"), *bpl = at("b/pl"), *bcy = at("b/cy"), *lex = at("b/pl/lexicon");
	struct diag d;
	diag_init(&d);
	struct languages *ls;
	assert_int_equal(languages_find(b, NULL, &ls, &d), 0);
	assert_int_equal(d.n_lines, 0);
	assert_int_equal(ls->n, 3);
	const struct language *en = &ls->items[0], *cy = &ls->items[1], *pl = &ls->items[2];
	assert_string_equal(en->code, "en");
	assert_string_equal(en->name, "English");
	assert_string_equal(en->voice, SYNTH_VOICE_DEFAULT);
	assert_true(en->recognition);
	assert_null(en->path);
	assert_dirs(en, b, NULL, paths_lexicon_dir(), NULL);
	assert_string_equal(cy->code, "cy");
	assert_false(cy->recognition); /* unwritten: keypad only */
	assert_dirs(cy, bcy, NULL, NULL, NULL);
	assert_string_equal(pl->code, "pl");
	assert_string_equal(pl->name, "Polski");
	assert_string_equal(pl->voice, "pl");
	assert_false(pl->recognition);
	assert_int_equal(pl->line, 2);
	assert_int_equal(pl->n_speaking_words, 2);
	assert_string_equal(pl->speaking_words[0], "powiedz");
	assert_string_equal(pl->speaking_words[1], "mów");
	assert_dirs(pl, bpl, NULL, lex, NULL);
	assert_ptr_equal(languages_find_code(ls, "pl"), pl);
	assert_null(languages_find_code(ls, "de"));
	languages_destroy(ls);
	diag_done(&d);
	free(b), free(bpl), free(bcy), free(lex);
}

/* With --scripts DIR: DIR's languages only (not the built-in pl beside them unless DIR has
 * one), DIR's main language.txt, each DIR language over its built-in folder or the main one. */
static void test_user_dir_rules(void **state)
{
	(void)state;
	make_dir("b");
	write_language("b", "language: en\nname: English\nvoice: en\nrecognition: en\n");
	make_dir("b/pl");
	write_language("b/pl", "language: pl\nname: Polski\nvoice: pl\nrecognition: none\n");
	make_dir("b/de");
	write_language("b/de", "language: de\nname: Deutsch\nvoice: de\n");
	make_dir("u");
	write_language("u", "language: en\nname: English\nvoice: en-gb-x-rp\n");
	make_dir("u/pl");
	write_language("u/pl", "language: pl\nname: Polski\nvoice: pl\n");
	make_dir("u/cy");
	write_language("u/cy", "language: cy\nname: Cymraeg\nvoice: cy\n");
	char *b = at("b"), *u = at("u"), *bpl = at("b/pl"), *upl = at("u/pl"), *ucy = at("u/cy");
	struct diag d;
	diag_init(&d);
	struct languages *ls;
	assert_int_equal(languages_find(b, u, &ls, &d), 0);
	assert_int_equal(d.n_lines, 0);
	assert_int_equal(ls->n, 3);
	assert_string_equal(ls->items[0].voice, "en-gb-x-rp");
	assert_true(ls->items[0].recognition);
	assert_dirs(&ls->items[0], b, u, paths_lexicon_dir(), u);
	assert_string_equal(ls->items[1].code, "cy");
	assert_dirs(&ls->items[1], b, ucy, NULL, ucy); /* no built-in Welsh: English fills in */
	assert_string_equal(ls->items[2].code, "pl");
	assert_dirs(&ls->items[2], bpl, upl, NULL, upl);
	assert_null(languages_find_code(ls, "de"));
	languages_destroy(ls);
	diag_done(&d);
	free(b), free(u), free(bpl), free(upl), free(ucy);
}

/* The shipped scripts: English first, from scripts/language.txt. */
static void test_shipped(void **state)
{
	(void)state;
	struct diag d;
	diag_init(&d);
	struct languages *ls;
	assert_int_equal(languages_find(TEST_SOURCE_DIR "/scripts", NULL, &ls, &d), 0);
	assert_string_equal(ls->items[0].code, "en");
	assert_string_equal(ls->items[0].voice, SYNTH_VOICE_DEFAULT);
	assert_true(ls->items[0].recognition);
	assert_string_equal(ls->items[0].path, TEST_SOURCE_DIR "/scripts/" LANGUAGES_FILE);
	for (size_t i = 1; i < ls->n; i++)
		assert_false(ls->items[i].recognition);
	languages_destroy(ls);
	diag_done(&d);
}

/* One language.txt per fixture in sub-folder `code` of a fresh built-in folder; every message
 * expected exactly, and languages_find fails. */
static void expect_errors(const char *folder, const char *text, const char *const *messages)
{
	static int n;
	char rel[64], sub[128];
	snprintf(rel, sizeof(rel), "e%d", n++);
	make_dir(rel);
	snprintf(sub, sizeof(sub), "%s/%s", rel, folder);
	make_dir(sub);
	write_language(sub, text);
	char *dir = at(rel);
	struct diag d;
	diag_init(&d);
	struct languages *ls = (void *)1;
	assert_int_equal(languages_find(dir, NULL, &ls, &d), -EINVAL);
	assert_null(ls);
	for (; *messages; messages++)
		assert_diag_line(&d, dir, *messages);
	diag_done(&d);
	free(dir);
}

static void test_errors(void **state)
{
	(void)state;
	expect_errors("pl", "language: pl\nvoice: pl\n",
		      (const char *const[]){
			      "pl/language.txt: error: no 'name:' line (add the language's own name, as 'name: Polski': the language choice says it)",
			      NULL });
	expect_errors("pl", "language: pl\nname: Polski\nvoice: pl\naccent: Krakow\n",
		      (const char *const[]){
			      "pl/language.txt:4: error: unknown field 'accent' (expected language, name, voice, recognition or speaking-words)",
			      NULL });
	expect_errors("pl", "language: Polish\nname: Polski\nvoice: pl\n",
		      (const char *const[]){
			      "pl/language.txt:1: error: bad language code 'Polish' (use lower-case letters, digits and '-', as 'pl' or 'pt-br')",
			      NULL });
	expect_errors("pl", "language: pl\nname: Polski\nvoice: pl\nrecognition: en\n",
		      (const char *const[]){
			      "pl/language.txt:4: error: only the main language can have 'recognition: en' (there is one recogniser, for English; write 'recognition: none')",
			      NULL });
	expect_errors("pl", "language: pl\nname: Polski\n\nvoice: pl\nrecognition: pl\n",
		      (const char *const[]){
			      "pl/language.txt:5: error: recognition 'pl' is not known (write 'recognition: none' for keypad only, or 'en')",
			      NULL });
	/* The main language is en without a language.txt: a sub-folder en is a second one. */
	expect_errors("en", "language: en\nname: English\nvoice: en\n",
		      (const char *const[]){
			      "en/language.txt:1: error: language 'en' is already the main language (give each language its own code)",
			      NULL });
	/* A copied folder whose language.txt still names the original. */
	expect_errors("cy", "language: pl\nname: Cymraeg\nvoice: cy\n",
		      (const char *const[]){
			      "cy/language.txt:1: error: language 'pl' is in the folder 'cy' (name the folder after the code: 'pl/', or change the code)",
			      NULL });
	/* Every error of a file, then it fails. */
	expect_errors("pl", "language: pl\nname: Polski\nname: Polska\nPolski\nvoice: pl x\n"
			    "speaking-words: powiedz ||\n",
		      (const char *const[]){
			      "pl/language.txt:3: error: second 'name:' (the first is on line 2; keep one)",
			      "pl/language.txt:4: error: line has no 'field:' (write it as 'name: Polski')",
			      "pl/language.txt:5: error: bad voice 'pl x' (an eSpeak NG voice, as 'pl' or 'en+f3': espeak-ng --voices lists them)",
			      "pl/language.txt:6: error: empty word in speaking-words: (write 'speaking-words: say | speak')",
			      NULL });
}

/* Two sub-folders with the same code: the second names the first's file and line. */
static void test_duplicate_code(void **state)
{
	(void)state;
	make_dir("dup");
	make_dir("dup/cy");
	write_language("dup/cy", "# Welsh\nlanguage: cy\nname: Cymraeg\nvoice: cy\n");
	make_dir("dup/cy2");
	write_language("dup/cy2", "language: cy\nname: Cymraeg\nvoice: cy\n");
	char *dir = at("dup"), msg[1024];
	snprintf(msg, sizeof(msg),
		 "cy2/language.txt:1: error: language 'cy' is already installed by %s/cy/language.txt:2 (give each language its own code)",
		 dir);
	struct diag d;
	diag_init(&d);
	struct languages *ls;
	assert_int_equal(languages_find(MIN_DIR, dir, &ls, &d), -EINVAL);
	assert_diag_line(&d, dir, msg);
	diag_done(&d);
	free(dir);
}

/* A folder of scripts without language.txt is not a language, and says so. */
static void test_folder_without_language_txt(void **state)
{
	(void)state;
	make_dir("w");
	make_dir("w/cy");
	script_file_write(tmp, "w/cy/topic.txt", "topic: a\n");
	char *dir = at("w");
	struct diag d;
	diag_init(&d);
	struct languages *ls;
	assert_int_equal(languages_find(MIN_DIR, dir, &ls, &d), 0);
	assert_int_equal(ls->n, 1);
	assert_diag_line(&d, dir,
			 "cy: warning: this folder has scripts but no language.txt, so it is not a language (add one: docs/languages.md)");
	languages_destroy(ls);
	diag_done(&d);
	free(dir);
}

/* The script loader skips language.txt; a keypad-only set has no "has no ask: lines"
 * warnings. */
static void test_keypad_only_set(void **state)
{
	(void)state;
	make_dir("k");
	make_dir("k/cy");
	write_language("k/cy", "language: cy\nname: Cymraeg\nvoice: cy\nrecognition: none\n");
	script_file_write(tmp, "k/cy/topics.txt",
			  "topic: hello\nkey: 1\ntitle: Helo\nsay: Helo.\n");
	char *dir = at("k");
	struct diag d;
	diag_init(&d);
	struct languages *ls;
	assert_int_equal(languages_find(MIN_DIR, dir, &ls, &d), 0);
	const struct language *cy = languages_find_code(ls, "cy");
	assert_non_null(cy);
	struct script_set *set;
	assert_int_equal(languages_load_set(cy, &set, &d), 0);
	assert_false(diag_contains(&d, "has no ask: lines"));
	assert_false(diag_contains(&d, "language.txt"));
	script_set_destroy(set);
	assert_int_equal(script_set_load(cy->builtin_dir, cy->user_dir, &set, &d), 0);
	assert_true(diag_contains(&d, "topic 'hello' has no ask: lines"));
	script_set_destroy(set);
	languages_destroy(ls);
	diag_done(&d);
	free(dir);
}

static void test_asks_to_speak(void **state)
{
	(void)state;
	char *words[] = { "powiedz", "mów" };
	struct language pl = { .speaking_words = words, .n_speaking_words = 2 };
	const char *w = NULL;
	assert_true(languages_text_asks_to_speak(&pl, "Powiedz, o co chodzi.", &w));
	assert_string_equal(w, "powiedz");
	assert_true(languages_text_asks_to_speak(&pl, "Albo mów.", &w));
	assert_string_equal(w, "mów");
	assert_true(languages_text_asks_to_speak(&pl, "Naciśnij 1 lub say yes.", &w));
	assert_string_equal(w, "say");
	assert_true(languages_text_asks_to_speak(NULL, "Tell me what you need.", &w));
	assert_string_equal(w, "tell me");
	assert_false(languages_text_asks_to_speak(&pl, "Naciśnij gwiazdkę. Mówimy o essays.", &w));
	assert_false(languages_text_asks_to_speak(&pl, "Powiedzenie.", &w));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_builtin_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_user_dir_rules, setup, teardown),
		cmocka_unit_test(test_shipped),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_duplicate_code, setup, teardown),
		cmocka_unit_test_setup_teardown(test_folder_without_language_txt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keypad_only_set, setup, teardown),
		cmocka_unit_test(test_asks_to_speak),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
