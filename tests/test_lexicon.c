/* The lexicon loader and the recogniser dictionary. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "dictionary.h"
#include "lexicon.h"
#include "log.h"

static void parse_expect(const char *text, const char *message)
{
	struct lexicon lex = { 0 };
	struct diag d;
	diag_init(&d);
	int r = lexicon_parse_text(&lex, "words.txt", text, &d);
	if (message) {
		assert_int_equal(r, -EINVAL);
		if (!diag_contains(&d, message)) {
			for (size_t i = 0; i < d.n_lines; i++)
				print_error("got: %s\n", d.lines[i]);
			fail_msg("expected: %s", message);
		}
	} else {
		assert_int_equal(r, 0);
	}
	struct lexicon *heap = xmalloc(sizeof(*heap));
	*heap = lex;
	lexicon_destroy(heap);
	diag_done(&d);
}

static void test_parse_ok(void **state)
{
	struct lexicon *lex = xcalloc(1, sizeof(*lex));
	struct diag d;
	diag_init(&d);
	assert_int_equal(lexicon_parse_text(lex, "w.txt",
					     "word: CAMHS\nhear: K AE M Z\nhear: S IY EY EH M EY CH EH S\n"
					     "sounds-like: cams\n\nword: nappies\nhear: N AE1 P IY0 Z\n",
					     &d),
			 0);
	assert_int_equal(lex->n_entries, 2);
	/* Unsorted until loaded from a folder; find by scanning here. */
	assert_string_equal(lex->entries[0].word, "camhs");
	assert_int_equal(lex->entries[0].n_hear, 2);
	assert_string_equal(lex->entries[0].sounds_like, "cams");
	assert_string_equal(lex->entries[1].hear[0], "N AE1 P IY0 Z");
	lexicon_destroy(lex);
	diag_done(&d);
}

static void test_errors(void **state)
{
	parse_expect("hear: K AE M Z\n", "words.txt:1: error: 'hear:' comes before any 'word:' line");
	parse_expect("word: camhs\nhear: K AE M ZZ\n",
		     "words.txt:2: error: 'K AE M ZZ' is not a list of CMU phones (see lexicon/README.md for the phone set)");
	parse_expect("word: camhs\n", "words.txt:1: error: word 'camhs' has no hear:, sounds-like: or speak: line (add one)");
	parse_expect("word: two words\nhear: T UW\n",
		     "words.txt:1: error: 'two words' is not one word (use letters, digits and apostrophes)");
	parse_expect("word: camhs\nsay: cams\n",
		     "words.txt:2: error: unknown field 'say' (expected word, hear, sounds-like or speak)");
	parse_expect("word: camhs\nspeak: k'amz\nspeak: k'amz\n",
		     "words.txt:3: error: second 'speak:' for word 'camhs'");
	parse_expect("word: camhs\nK AE M Z\n",
		     "words.txt:2: error: line has no 'field:' (write 'word: ...' or 'hear: ...')");
}

static void test_phones_valid(void **state)
{
	assert_true(lexicon_phones_valid("K AE M Z"));
	assert_true(lexicon_phones_valid("AH0 T UW1 N M AH0 N T"));
	assert_false(lexicon_phones_valid(""));
	assert_false(lexicon_phones_valid("k ae m z"));
	assert_false(lexicon_phones_valid("K AE X"));
}

static void test_shipped_lexicon_loads(void **state)
{
	struct lexicon *lex;
	struct diag d;
	diag_init(&d);
	int r = lexicon_load(TEST_SOURCE_DIR "/lexicon", NULL, &lex, &d);
	for (size_t i = 0; i < d.n_lines; i++)
		print_error("%s\n", d.lines[i]);
	assert_int_equal(r, 0);
	const struct lexicon_entry *camhs = lexicon_find(lex, "camhs");
	assert_non_null(camhs);
	assert_true(camhs->n_hear >= 1);
	lexicon_destroy(lex);
	diag_done(&d);
}

static void test_dictionary(void **state)
{
	struct dictionary *dict;
	char err[256];
	assert_int_equal(dictionary_load("/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict", &dict,
					 err, sizeof(err)),
			 0);
	assert_true(dictionary_size(dict) > 100000);
	assert_string_equal(dictionary_lookup(dict, "baby", 0), "B EY B IY");
	assert_non_null(dictionary_lookup(dict, "what's", 0));
	assert_null(dictionary_lookup(dict, "camhs", 0));
	/* "read" has two pronunciations, the second written read(2). */
	assert_non_null(dictionary_lookup(dict, "read", 1));
	assert_string_not_equal(dictionary_lookup(dict, "read", 0), dictionary_lookup(dict, "read", 1));
	dictionary_destroy(dict);
	assert_int_equal(dictionary_load("/nonexistent.dict", &dict, err, sizeof(err)), -ENOENT);
	assert_string_equal(err, "/nonexistent.dict: cannot read the recogniser dictionary: No such file or directory (install pocketsphinx-en-us)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_ok),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_phones_valid),
		cmocka_unit_test(test_shipped_lexicon_loads),
		cmocka_unit_test(test_dictionary),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
