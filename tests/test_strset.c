/* The set of strings the language model, the vocabulary, the intent model and check collect
 * words in: each once, in the order first added, found again after it grows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include <cmocka.h>

#include "strset.h"

static void test_each_once_in_order(void **state)
{
	(void)state;
	struct strset set = { 0 };
	bool added;
	assert_int_equal(strset_find(&set, "tea"), -1);
	assert_int_equal(strset_add(&set, "tea", &added), 0);
	assert_true(added);
	assert_int_equal(strset_add(&set, "coffee", &added), 1);
	assert_true(added);
	assert_int_equal(strset_add(&set, "tea", &added), 0);
	assert_false(added);
	assert_int_equal(set.n, 2);
	assert_string_equal(set.s[1], "coffee");
	assert_int_equal(strset_find(&set, "coffee"), 1);
	assert_int_equal(strset_find(&set, "cof"), -1);
	assert_int_equal(strset_find(&set, ""), -1);
	assert_int_equal(strset_add(&set, "", NULL), 2); /* the empty string is a string too */
	assert_int_equal(strset_find(&set, ""), 2);
	strset_done(&set);
	assert_int_equal(set.n, 0);
}

/* Many strings, many times each: every one found at its first index after the growths. */
static void test_found_after_growing(void **state)
{
	(void)state;
	struct strset set = { 0 };
	char word[32];
	for (int round = 0; round < 3; round++)
		for (int i = 0; i < 20000; i++) {
			snprintf(word, sizeof(word), "w%d", i);
			bool added;
			assert_int_equal(strset_add(&set, word, &added), (size_t)i);
			assert_int_equal(added, round == 0);
		}
	assert_int_equal(set.n, 20000);
	for (int i = 0; i < 20000; i += 997) {
		snprintf(word, sizeof(word), "w%d", i);
		assert_int_equal(strset_find(&set, word), i);
	}
	size_t n;
	char **s = strset_take(&set, &n);
	assert_int_equal(n, 20000);
	assert_string_equal(s[12345], "w12345");
	assert_int_equal(set.n, 0);
	assert_int_equal(strset_find(&set, "w1"), -1);
	for (size_t i = 0; i < n; i++)
		free(s[i]);
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_once_in_order),
		cmocka_unit_test(test_found_after_growing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
