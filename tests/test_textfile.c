/* Reading text as Word and Windows write it (issue 18): typography made plain, other encodings
 * reported by file, line and column with the character they probably meant, and a school's own
 * lexicon/ inside its --scripts folder. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "diag.h"
#include "lexicon.h"
#include "log.h"
#include "script.h"
#include "textfile.h"

#define TMP_DIR TEST_BUILD_DIR "/textfile-tmp"

static void normalised(const char *in, const char *want)
{
	char *s = xstrdup(in);
	textfile_normalise(s);
	assert_string_equal(s, want);
	free(s);
}

static void test_normalise(void **state)
{
	(void)state;
	normalised("don\u2019t \u2018worry\u2019", "don't 'worry'");
	normalised("\u201chello\u201d \u201ebye\u201f", "\"hello\" \"bye\"");
	normalised("a \u2013 b \u2014 c\u2011d \u2212 1", "a - b - c-d - 1");
	normalised("wait\u2026", "wait...");
	normalised("no\u00a0break\u202fhere\u2009thin", "no break here thin");
	normalised("soft\u00adhyphen\u200bzero\ufeffmark", "softhyphenzeromark");
	normalised("6\u2032 2\u2033 don\u00b4t it\u02bcs", "6' 2\" don't it's");
	/* Letters, other symbols and bytes that are not UTF-8 are kept as they are. */
	normalised("caf\u00e9 \u00ab\u00bb \u20ac5", "caf\u00e9 \u00ab\u00bb \u20ac5");
	normalised("don\x92t \xe2\x80", "don\x92t \xe2\x80");
	normalised("", "");
}

static void utf8_error(const char *in, int column, const char *want)
{
	char msg[320] = "";
	assert_int_equal(textfile_utf8_check(in, msg, sizeof(msg)), column);
	if (want && strncmp(msg, want, strlen(want)) != 0)
		fail_msg("got: %s\nexpected: %s", msg, want);
}

static void test_utf8_check(void **state)
{
	(void)state;
	utf8_error("plain, caf\u00e9, don\u2019t, \U0001F600", 0, NULL);
	utf8_error("Don\x92t worry", 4,
		   "byte 0x92 at column 4 is not UTF-8; in Windows-1252 it is \u2019 (save the file as UTF-8");
	utf8_error("\x93quoted\x94", 1, "byte 0x93 at column 1 is not UTF-8; in Windows-1252 it is \u201c");
	/* Columns count characters, not bytes. */
	utf8_error("caf\u00e9 caf\xe9", 9,
		   "byte 0xE9 at column 9 is not UTF-8; in Latin-1 and Windows-1252 it is \u00e9 (");
	utf8_error("x\x81", 2, "byte 0x81 at column 2 is not UTF-8 (save the file as UTF-8");
	utf8_error("\xc0\xa7", 1, "bytes 0xC0 0xA7 at column 1 are not UTF-8 (an overlong");
	utf8_error("a\xed\xa0\x80", 2, "bytes 0xED 0xA0 0x80 at column 2 are not UTF-8 (an overlong");
	utf8_error("\xf4\x90\x80\x80", 1, "bytes 0xF4 0x90 0x80 0x80 at column 1 are not UTF-8");
	utf8_error("cut \xe2\x80", 5, "byte 0xE2 at column 5 is not UTF-8; in Latin-1 and Windows-1252 it is \u00e2");
	utf8_error("\xff", 1, "byte 0xFF at column 1 is not UTF-8; in Latin-1 and Windows-1252 it is \u00ff");
}

static void test_lines(void **state)
{
	(void)state;
	struct diag d;
	diag_init(&d);
	char *text = xstrdup("\xef\xbb\xbftitle: Don\u2019t\u00a0worry\u2026\n"
			     "say: Don\x92t\n"
			     "# a comment in caf\xe9\n"
			     "ask: fine\n");
	struct textfile_line *lines;
	size_t n = textfile_lines(text, "x.txt", &d, &lines);
	assert_int_equal(n, 3);
	assert_string_equal(lines[0].field, "title");
	assert_string_equal(lines[0].value, "Don't worry...");
	assert_int_equal(d.n_errors, 2);
	assert_true(diag_contains(&d, "x.txt:2: error: byte 0x92 at column 9 is not UTF-8; in Windows-1252 it is \u2019"));
	assert_true(diag_contains(&d, "x.txt:3: error: byte 0xE9 at column 19 is not UTF-8"));
	free(lines);
	free(text);
	diag_done(&d);

	/* A whole file in another encoding: ten lines listed, the rest counted. */
	diag_init(&d);
	char big[30 * 12 + 1] = "";
	for (int i = 0; i < 30; i++)
		strcat(big, "say: it\x92s\n");
	n = textfile_lines(big, "big.txt", &d, &lines);
	assert_int_equal(n, 30);
	assert_int_equal(d.n_errors, 11);
	assert_true(diag_contains(&d, "big.txt: error: 20 more lines are not UTF-8 (save the file"));
	free(lines);
	diag_done(&d);
}

/* A script's title, ask: and say: read as typed plainly; the template has no curly word. */
static void test_script_curly(void **state)
{
	(void)state;
	struct script_set *set = xcalloc(1, sizeof(*set));
	struct diag d;
	diag_init(&d);
	int r = script_set_parse_text(set, "worry.txt",
				      "topic: worry\nkey: 1\ntitle: Don\u2019t worry\n"
				      "ask: don\u2019t worry [please]\n"
				      "say: It\u2019s \u201cfine\u201d\u2026\n", &d);
	assert_int_equal(r, 0);
	assert_int_equal(set->n_topics, 1);
	assert_string_equal(set->topics[0].title, "Don't worry");
	assert_string_equal(set->topics[0].say[0], "It's \"fine\"...");
	script_set_destroy(set);
	diag_done(&d);

	set = xcalloc(1, sizeof(*set));
	diag_init(&d);
	r = script_set_parse_text(set, "cp1252.txt", "topic: worry\nkey: 1\nsay: Don\x92t worry\n", &d);
	assert_int_equal(r, -EINVAL);
	assert_true(diag_contains(&d, "cp1252.txt:3: error: byte 0x92 at column 9 is not UTF-8"));
	script_set_destroy(set);
	diag_done(&d);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* A school's lexicon/ folder: read after the built-in one, its word wins, and new words go there. */
static void test_school_lexicon(void **state)
{
	(void)state;
	/* what an earlier run left */
	remove(TMP_DIR "/school/lexicon/local.txt");
	rmdir(TMP_DIR "/school/lexicon");
	mkdir(TMP_DIR, 0755);
	mkdir(TMP_DIR "/builtin", 0755);
	mkdir(TMP_DIR "/school", 0755);
	write_file(TMP_DIR "/builtin/words.txt", "word: camhs\nsounds-like: cams\n"
						  "word: don\u2019t\nsounds-like: dont\n");
	struct diag d;
	diag_init(&d);
	struct lexicon *lex;
	/* No lexicon/ in the school's folder yet: built-in words, and advice to make one. */
	assert_int_equal(lexicon_load_with_scripts(TMP_DIR "/builtin", TMP_DIR "/school", &lex, &d), 0);
	assert_non_null(lexicon_find(lex, "don't"));
	assert_string_equal(lexicon_find(lex, "camhs")->sounds_like, "cams");
	assert_string_equal(lex->add_to, TMP_DIR "/school/lexicon/words.txt");
	lexicon_destroy(lex);

	mkdir(TMP_DIR "/school/lexicon", 0755);
	write_file(TMP_DIR "/school/lexicon/local.txt", "word: camhs\nsounds-like: see ay em aitch ess\n");
	assert_int_equal(lexicon_load_with_scripts(TMP_DIR "/builtin", TMP_DIR "/school", &lex, &d), 0);
	assert_string_equal(lexicon_find(lex, "camhs")->sounds_like, "see ay em aitch ess");
	assert_string_equal(lex->add_to, TMP_DIR "/school/lexicon/local.txt");
	lexicon_destroy(lex);

	/* Without --scripts, the built-in folder's file. */
	assert_int_equal(lexicon_load_with_scripts(TMP_DIR "/builtin", NULL, &lex, &d), 0);
	assert_string_equal(lex->add_to, TMP_DIR "/builtin/words.txt");
	lexicon_destroy(lex);

	write_file(TMP_DIR "/school/lexicon/local.txt", "word: caf\xe9\nsounds-like: caffay\n");
	assert_int_equal(lexicon_load_with_scripts(TMP_DIR "/builtin", TMP_DIR "/school", &lex, &d),
			 -EINVAL);
	assert_true(diag_contains(&d, TMP_DIR "/school/lexicon/local.txt:1: error: byte 0xE9 at column 10 is not UTF-8"));
	diag_done(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normalise),
		cmocka_unit_test(test_utf8_check),
		cmocka_unit_test(test_lines),
		cmocka_unit_test(test_script_curly),
		cmocka_unit_test(test_school_lexicon),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
