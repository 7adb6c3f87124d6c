/* automaton: the minimal deterministic grammar accepts exactly what the original does. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "automaton.h"

#define EPS AUTOMATON_EPSILON

/* Does `a` (deterministic or not, epsilons allowed) accept words[0..n-1]? A set simulation. */
static bool accepts(const struct automaton *a, const int *words, size_t n)
{
	bool *cur = calloc((size_t)a->n_states, 1), *next = calloc((size_t)a->n_states, 1);
	cur[a->start] = true;
	for (size_t i = 0;; i++) {
		/* epsilon closure of cur */
		for (bool changed = true; changed;) {
			changed = false;
			for (size_t k = 0; k < a->n_arcs; k++)
				if (a->arcs[k].word == EPS && cur[a->arcs[k].from] && !cur[a->arcs[k].to])
					cur[a->arcs[k].to] = changed = true;
		}
		if (i == n)
			break;
		memset(next, 0, (size_t)a->n_states);
		for (size_t k = 0; k < a->n_arcs; k++)
			if (a->arcs[k].word == words[i] && cur[a->arcs[k].from])
				next[a->arcs[k].to] = true;
		bool *t = cur;
		cur = next;
		next = t;
	}
	bool ok = false;
	for (int s = 0; s < a->n_states; s++)
		ok |= cur[s] && a->final[s];
	free(cur);
	free(next);
	return ok;
}

static void assert_deterministic(const struct automaton *a)
{
	for (size_t k = 0; k < a->n_arcs; k++) {
		assert_int_not_equal(a->arcs[k].word, EPS);
		assert_in_range(a->arcs[k].from, 0, a->n_states - 1);
		assert_in_range(a->arcs[k].to, 0, a->n_states - 1);
		for (size_t j = 0; j < k; j++)
			assert_false(a->arcs[j].from == a->arcs[k].from &&
				     a->arcs[j].word == a->arcs[k].word);
	}
}

/* An automaton of `n` states, start 0, final state `final`, from a list of arcs. */
static struct automaton make(int n, int final, const struct automaton_arc *arcs, size_t n_arcs)
{
	struct automaton a = { .n_states = n, .start = 0, .n_arcs = n_arcs };
	a.final = calloc((size_t)n, sizeof(*a.final));
	a.final[final] = true;
	a.arcs = malloc((n_arcs ? n_arcs : 1) * sizeof(*a.arcs));
	memcpy(a.arcs, arcs, n_arcs * sizeof(*arcs));
	return a;
}

enum { WHAT, IS, CAMHS, DANCE, TELL, ME, ABOUT, PLEASE };

/* "what is camhs", "what is dance", "tell me about camhs", each followed by an optional
 * "please", written the way JSGF expands it: one copy of the states per sentence, joined by
 * epsilon arcs to a shared start and end. */
static void test_shared_starts_and_endings(void **state)
{
	(void)state;
	const struct automaton_arc arcs[] = {
		{ 0, 2, EPS }, { 2, 3, WHAT }, { 3, 4, IS }, { 4, 5, CAMHS }, { 5, 1, EPS },
		{ 0, 6, EPS }, { 6, 7, WHAT }, { 7, 8, IS }, { 8, 9, DANCE }, { 9, 1, EPS },
		{ 0, 10, EPS }, { 10, 11, TELL }, { 11, 12, ME }, { 12, 13, ABOUT },
		{ 13, 14, CAMHS }, { 14, 1, EPS },
		{ 1, 15, EPS }, { 1, 16, PLEASE }, { 16, 15, EPS },
	};
	struct automaton in = make(17, 15, arcs, sizeof(arcs) / sizeof(*arcs)), out;
	assert_int_equal(automaton_minimise(&in, 1000, &out), 0);
	assert_deterministic(&out);
	/* start, what, what is, tell, tell me, tell me about, the sentence end, please: 8 states
	 * (the input has 17) */
	assert_int_equal(out.n_states, 8);
	assert_int_equal(out.n_arcs, 9);
	const int s1[] = { WHAT, IS, CAMHS }, s2[] = { WHAT, IS, DANCE, PLEASE },
		  s3[] = { TELL, ME, ABOUT, CAMHS, PLEASE }, bad1[] = { WHAT, IS },
		  bad2[] = { TELL, ME, ABOUT, DANCE }, bad3[] = { WHAT, IS, CAMHS, PLEASE, PLEASE };
	assert_true(accepts(&out, s1, 3));
	assert_true(accepts(&out, s2, 4));
	assert_true(accepts(&out, s3, 5));
	assert_false(accepts(&out, bad1, 2));
	assert_false(accepts(&out, bad2, 4));
	assert_false(accepts(&out, bad3, 5));
	assert_false(accepts(&out, NULL, 0));
	automaton_done(&in);
	automaton_done(&out);
}

/* A path that never reaches the end (a word the dictionary lacked, cut from the grammar) goes. */
static void test_dead_ends_are_dropped(void **state)
{
	(void)state;
	const struct automaton_arc arcs[] = { { 0, 1, WHAT }, { 1, 2, IS }, { 0, 3, TELL },
					      { 3, 4, ME } };
	struct automaton in = make(5, 2, arcs, 4), out;
	assert_int_equal(automaton_minimise(&in, 1000, &out), 0);
	assert_int_equal(out.n_states, 3);
	assert_int_equal(out.n_arcs, 2);
	const int tell[] = { TELL };
	assert_false(accepts(&out, tell, 1));
	automaton_done(&in);
	automaton_done(&out);
}

static void test_nothing_accepted(void **state)
{
	(void)state;
	const struct automaton_arc arcs[] = { { 0, 1, WHAT } };
	struct automaton in = make(3, 2, arcs, 1), out;
	assert_int_equal(automaton_minimise(&in, 1000, &out), 0);
	assert_int_equal(out.n_states, 1);
	assert_int_equal(out.n_arcs, 0);
	assert_false(out.final[0]);
	automaton_done(&in);
	automaton_done(&out);
}

/* "The k-th word from the end is WHAT" over {WHAT, IS} needs 2^k deterministic states from
 * k + 1: the limit is kept, and the input is left for the caller to use. */
static void test_too_many_states(void **state)
{
	(void)state;
	enum { K = 8 };
	struct automaton_arc arcs[2 + 2 * K];
	size_t n = 0;
	arcs[n++] = (struct automaton_arc){ 0, 0, WHAT };
	arcs[n++] = (struct automaton_arc){ 0, 0, IS };
	arcs[n++] = (struct automaton_arc){ 0, 1, WHAT };
	for (int i = 1; i < K; i++) {
		arcs[n++] = (struct automaton_arc){ i, i + 1, WHAT };
		arcs[n++] = (struct automaton_arc){ i, i + 1, IS };
	}
	struct automaton in = make(K + 1, K, arcs, n), out = { 0 };
	assert_int_equal(automaton_minimise(&in, 100, &out), -E2BIG);
	assert_null(out.arcs);
	assert_int_equal(automaton_minimise(&in, 1000, &out), 0);
	assert_int_equal(out.n_states, 1 << K);
	automaton_done(&out);
	automaton_done(&in);
}

static void test_malformed(void **state)
{
	(void)state;
	const struct automaton_arc arcs[] = { { 0, 7, WHAT } };
	struct automaton in = make(2, 1, arcs, 1), out = { 0 };
	assert_int_equal(automaton_minimise(&in, 1000, &out), -EINVAL);
	in.arcs[0].to = 1;
	in.start = 2;
	assert_int_equal(automaton_minimise(&in, 1000, &out), -EINVAL);
	automaton_done(&in);
}

/* Random automata with epsilon arcs and cycles: every word sequence up to length 6 over three
 * words is accepted by the result exactly when by the input, and no two states of the result
 * accept the same continuations (minimal), checked up to the same length. */
static void test_random_automata_keep_their_language(void **state)
{
	(void)state;
	uint32_t seed = 12345;
	int checked_minimal = 0;
#define RND(m) ((seed = seed * 1103515245u + 12345u), (int)((seed >> 16) % (uint32_t)(m)))
	for (int round = 0; round < 200; round++) {
		int n = 2 + RND(6);
		struct automaton_arc arcs[24];
		size_t n_arcs = (size_t)RND(24);
		for (size_t k = 0; k < n_arcs; k++) {
			/* One draw a statement: an initializer's order of evaluation is unspecified. */
			int from = RND(n), to = RND(n), word = RND(4) - 1;
			arcs[k] = (struct automaton_arc){ from, to, word };
		}
		struct automaton in = make(n, RND(n), arcs, n_arcs), out;
		assert_int_equal(automaton_minimise(&in, 10000, &out), 0);
		assert_deterministic(&out);
		int words[8];
		for (int len = 0; len <= 6; len++) {
			int total = 1;
			for (int i = 0; i < len; i++)
				total *= 3;
			for (int code = 0; code < total; code++) {
				for (int i = 0, c = code; i < len; i++, c /= 3)
					words[i] = c % 3;
				assert_int_equal(accepts(&in, words, (size_t)len),
						 accepts(&out, words, (size_t)len));
			}
		}
		/* Minimal: any two distinct states differ on some continuation, no longer than the
		 * number of states (checked where that is cheap). */
		int max_len = out.n_states;
		if (max_len <= 7)
			checked_minimal++;
		for (int p = 0; max_len <= 7 && p < out.n_states; p++)
			for (int q = p + 1; q < out.n_states; q++) {
				bool differ = false;
				struct automaton ap = out, aq = out;
				ap.start = p;
				aq.start = q;
				for (int len = 0; len <= max_len && !differ; len++) {
					int total = 1;
					for (int i = 0; i < len; i++)
						total *= 3;
					for (int code = 0; code < total && !differ; code++) {
						for (int i = 0, c = code; i < len; i++, c /= 3)
							words[i] = c % 3;
						differ = accepts(&ap, words, (size_t)len) !=
							 accepts(&aq, words, (size_t)len);
					}
				}
				assert_true(differ);
			}
		automaton_done(&in);
		automaton_done(&out);
	}
#undef RND
	assert_true(checked_minimal > 100);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shared_starts_and_endings),
		cmocka_unit_test(test_dead_ends_are_dropped),
		cmocka_unit_test(test_nothing_accepted),
		cmocka_unit_test(test_too_many_states),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_random_automata_keep_their_language),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
