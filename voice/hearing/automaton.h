/* Word automata: the recogniser's grammar as states and word-labelled arcs, made as small as it
 * can be without changing which word sequences it accepts.
 *
 * The grammar PocketSphinx builds from JSGF copies each template alternative into states of its
 * own, so "what is ..." of twelve topics is twelve parallel paths that the search scores one by
 * one. The deterministic, minimal automaton for the same sentences shares every common start and
 * ending; with every arc's probability 1 (as the JSGF one has) the search scores the same
 * sentences the same way, at a fraction of the cost. Plain data, no PocketSphinx: the recogniser
 * converts to and from its own grammar type. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* The label of an arc taken without hearing a word. */
#define AUTOMATON_EPSILON (-1)

struct automaton_arc {
	int from, to;
	int word; /* a caller's word id (>= 0), or AUTOMATON_EPSILON */
};

/* States are 0..n_states-1. Owned by whoever filled it; automaton_done frees the arrays. */
struct automaton {
	int n_states;
	int start;
	bool *final;                /* n_states flags */
	struct automaton_arc *arcs; /* in any order */
	size_t n_arcs;
};

/* Into `out` (overwritten): the minimal deterministic automaton accepting exactly the word
 * sequences `in` accepts, with no epsilon arcs and no state that cannot reach a final one; arcs
 * sorted by state, then word. Returns 0; -E2BIG (out untouched) when determinising would need more
 * than max_states states (possible in theory for nested alternatives; the caller keeps `in`);
 * -EINVAL when `in` is malformed (a state or start out of range). An automaton accepting
 * nothing becomes one state, not final, with no arcs. */
int automaton_minimise(const struct automaton *in, size_t max_states, struct automaton *out);

void automaton_done(struct automaton *a);
