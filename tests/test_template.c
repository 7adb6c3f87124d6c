/* The template expander: alternatives, optional words, lists, nesting, and every parse error. */
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

#include "log.h"
#include "template.h"

struct phrases {
	char *items[256];
	size_t n;
};

static int collect(void *data, const char *phrase)
{
	struct phrases *p = data;
	if (p->n < 256)
		p->items[p->n++] = xstrdup(phrase);
	return 0;
}

static void phrases_free(struct phrases *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->items[i]);
	p->n = 0;
}

static bool has(const struct phrases *p, const char *s)
{
	for (size_t i = 0; i < p->n; i++)
		if (strcmp(p->items[i], s) == 0)
			return true;
	return false;
}

/* Two lists for the tests: <child> and <who>, where <who> uses <child>. */
static struct template_node *list_child, *list_who;

static const struct template_node *lookup(void *data, const char *name)
{
	if (strcmp(name, "child") == 0)
		return list_child;
	if (strcmp(name, "who") == 0)
		return list_who;
	if (strcmp(name, "loop") == 0)
		return data;
	return NULL;
}

static struct template_node *parse_ok(const char *text)
{
	char err[256] = "";
	struct template_node *t = NULL;
	int r = template_parse(text, &t, err, sizeof(err));
	if (r != 0)
		fail_msg("parse of '%s' failed: %s", text, err);
	return t;
}

static void expand(const char *text, struct phrases *out)
{
	struct template_node *t = parse_ok(text);
	assert_int_equal(template_expand(t, lookup, NULL, collect, out), 0);
	assert_int_equal((size_t)template_count(t, lookup, NULL), out->n);
	template_node_destroy(t);
}

static void test_plain_words(void **state)
{
	struct phrases p = { 0 };
	expand("What  IS attuned", &p);
	assert_int_equal(p.n, 1);
	assert_string_equal(p.items[0], "what is attuned");
	phrases_free(&p);
}

static void test_alternatives_and_options(void **state)
{
	struct phrases p = { 0 };
	expand("what (is | does) [the word] attuned mean", &p);
	assert_int_equal(p.n, 4);
	assert_true(has(&p, "what is the word attuned mean"));
	assert_true(has(&p, "what does attuned mean"));
	assert_true(has(&p, "what is attuned mean"));
	phrases_free(&p);
}

static void test_top_level_alternatives(void **state)
{
	struct phrases p = { 0 };
	expand("is it my fault | did i do this", &p);
	assert_int_equal(p.n, 2);
	assert_true(has(&p, "is it my fault"));
	assert_true(has(&p, "did i do this"));
	phrases_free(&p);
}

static void test_lists_nested(void **state)
{
	char err[128];
	assert_int_equal(template_parse("child | baby | little one", &list_child, err, sizeof(err)), 0);
	assert_int_equal(template_parse("my <child> | our <child>", &list_who, err, sizeof(err)), 0);
	struct phrases p = { 0 };
	expand("is (<who> | it) ok", &p);
	assert_int_equal(p.n, 7);
	assert_true(has(&p, "is my little one ok"));
	assert_true(has(&p, "is our baby ok"));
	assert_true(has(&p, "is it ok"));
	phrases_free(&p);
	template_node_destroy(list_child);
	template_node_destroy(list_who);
	list_child = list_who = NULL;
}

static void test_nesting_deep(void **state)
{
	struct phrases p = { 0 };
	expand("a [b (c | d [e])] f", &p);
	assert_int_equal(p.n, 4);
	assert_true(has(&p, "a f"));
	assert_true(has(&p, "a b c f"));
	assert_true(has(&p, "a b d f"));
	assert_true(has(&p, "a b d e f"));
	phrases_free(&p);
}

static void test_apostrophes_kept(void **state)
{
	struct phrases p = { 0 };
	expand("what's (camhs | it) [don't know]", &p);
	assert_true(has(&p, "what's camhs don't know"));
	phrases_free(&p);
}

static void test_undefined_list(void **state)
{
	struct phrases p = { 0 };
	struct template_node *t = parse_ok("tell me about <nothing>");
	assert_int_equal(template_expand(t, lookup, NULL, collect, &p), -ENOENT);
	assert_int_equal(template_count(t, lookup, NULL), 0);
	template_node_destroy(t);
	phrases_free(&p);
}

static void test_list_loop_stops(void **state)
{
	struct phrases p = { 0 };
	struct template_node *t = parse_ok("a <loop>");
	/* The lookup hands back the template itself: a list that uses itself. */
	assert_int_equal(template_expand(t, lookup, t, collect, &p), -ELOOP);
	template_node_destroy(t);
	phrases_free(&p);
}

static int stop_after_two(void *data, const char *phrase)
{
	int *n = data;
	return ++*n == 2 ? 42 : 0;
}

static void test_callback_stops(void **state)
{
	int n = 0;
	struct template_node *t = parse_ok("(a | b | c) d");
	assert_int_equal(template_expand(t, lookup, NULL, stop_after_two, &n), 42);
	assert_int_equal(n, 2);
	template_node_destroy(t);
}

static void expect_error(const char *text, const char *message)
{
	char err[256] = "";
	struct template_node *t = (void *)1;
	assert_int_equal(template_parse(text, &t, err, sizeof(err)), -EINVAL);
	assert_null(t);
	assert_string_equal(err, message);
}

static void test_errors(void **state)
{
	expect_error("what (is | does", "unbalanced brackets: '(' at column 6 is never closed (add ')')");
	expect_error("what is)", "unbalanced brackets: ')' at column 8 has no opening bracket");
	expect_error("what [is)", "unbalanced brackets: ')' at column 9 closes '[' from column 6 (expected ']')");
	expect_error("(a | | b)", "empty alternative at column 5 (remove the extra '|' or bracket)");
	expect_error("a ()", "empty alternative at column 4 (remove the extra '|' or bracket)");
	expect_error("tell me about <child", "'<' at column 15 is not closed (write a list name as <name>)");
	expect_error("about <>", "empty list name '<>' at column 7 (write <name>)");
	expect_error("what is it?", "'?' at column 11 is not allowed in a template (use words, ( | ), [ ] and <list>)");
	expect_error("a > b", "'>' at column 3 has no '<' before it");
	expect_error("", "empty alternative at column 1 (remove the extra '|' or bracket)");
}

static void collect_word(void *data, const char *word)
{
	collect(data, word);
}

static void test_words(void **state)
{
	struct phrases p = { 0 };
	struct template_node *t = parse_ok("what (is | does) [the word] attuned mean");
	template_words(t, lookup, NULL, collect_word, &p);
	assert_int_equal(p.n, 7);
	assert_true(has(&p, "word"));
	template_node_destroy(t);
	phrases_free(&p);
}

/* A sentence matches when the template, through its lists, produces exactly its words. */
static bool matches(const char *text, const char *sentence)
{
	struct template_node *t = parse_ok(text);
	char copy[256], *save = NULL;
	const char *words[64];
	size_t n = 0;
	snprintf(copy, sizeof(copy), "%s", sentence);
	for (char *w = strtok_r(copy, " ", &save); w && n < 64; w = strtok_r(NULL, " ", &save))
		words[n++] = w;
	bool m = template_match(t, lookup, NULL, words, n);
	template_node_destroy(t);
	return m;
}

static void test_match(void **state)
{
	list_child = parse_ok("(son | daughter | little one)");
	list_who = parse_ok("(my <child> | me)");
	const char *t = "[can] (i | we) [please] [have] a [single shot] [iced] mocha for <who>";
	assert_true(matches(t, "i have a mocha for me"));
	assert_true(matches(t, "can we please have a single shot iced mocha for my little one"));
	assert_false(matches(t, "i have a mocha"));            /* stops early */
	assert_false(matches(t, "i have a mocha for me now")); /* words left over */
	assert_false(matches(t, "i have a single mocha for me"));
	assert_false(matches(t, "i have a mocha for my"));
	assert_false(matches(t, ""));
	assert_true(matches("[please]", ""));
	/* Optional words that could be taken either way. */
	assert_true(matches("[a] [a] a b", "a a b"));
	assert_false(matches("[a] [a] a b", "a a a a b"));
	assert_false(matches("what is <nowhere>", "what is it"));
	template_node_destroy(list_who);
	template_node_destroy(list_child);
	list_who = list_child = NULL;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_words),
		cmocka_unit_test(test_alternatives_and_options),
		cmocka_unit_test(test_top_level_alternatives),
		cmocka_unit_test(test_lists_nested),
		cmocka_unit_test(test_nesting_deep),
		cmocka_unit_test(test_apostrophes_kept),
		cmocka_unit_test(test_undefined_list),
		cmocka_unit_test(test_list_loop_stops),
		cmocka_unit_test(test_callback_stops),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_match),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
