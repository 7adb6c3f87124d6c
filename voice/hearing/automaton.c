/* Word automata: determinise (subset construction), minimise (Moore's partition refinement),
 * drop dead states. Sizes are a few thousand states, so plain sorting is fast enough: the
 * shipped grammar takes well under a millisecond. */
#include "automaton.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

struct int_vec {
	int *v;
	size_t n, cap;
};

static void int_vec_push(struct int_vec *a, int x)
{
	if (a->n == a->cap) {
		a->cap = a->cap ? a->cap * 2 : 64;
		a->v = xreallocarray(a->v, a->cap, sizeof(*a->v));
	}
	a->v[a->n++] = x;
}

static int int_cmp(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

/* A word arc, as sorted for grouping by word. */
struct word_to {
	int word, to;
};

static int word_to_cmp(const void *a, const void *b)
{
	const struct word_to *x = a, *y = b;
	if (x->word != y->word)
		return (x->word > y->word) - (x->word < y->word);
	return (x->to > y->to) - (x->to < y->to);
}

/* Where each state's arcs start once the arcs are grouped by state: first[s] .. first[s + 1]. */
static size_t *arc_offsets(const struct automaton_arc *arcs, size_t n_arcs, int n_states)
{
	size_t *first = xcalloc((size_t)n_states + 1, sizeof(*first));
	for (size_t k = 0; k < n_arcs; k++)
		first[arcs[k].from + 1]++;
	for (int s = 0; s < n_states; s++)
		first[s + 1] += first[s];
	return first;
}

/* The input's arcs grouped by state (first[s] .. first[s+1]). */
struct nfa {
	int n;
	size_t *first;
	struct automaton_arc *arcs;
	int *stamp; /* per state: the closure call that last reached it */
	int stamp_now;
};

/* The states reachable from `seeds` through epsilon arcs (the seeds included), sorted, into
 * `out` (emptied first). */
static void nfa_closure(struct nfa *a, const int *seeds, size_t n_seeds, struct int_vec *out,
			struct int_vec *stack)
{
	out->n = 0;
	stack->n = 0;
	a->stamp_now++;
	for (size_t i = 0; i < n_seeds; i++)
		if (a->stamp[seeds[i]] != a->stamp_now) {
			a->stamp[seeds[i]] = a->stamp_now;
			int_vec_push(stack, seeds[i]);
		}
	while (stack->n) {
		int s = stack->v[--stack->n];
		int_vec_push(out, s);
		for (size_t k = a->first[s]; k < a->first[s + 1]; k++) {
			int t = a->arcs[k].to;
			if (a->arcs[k].word == AUTOMATON_EPSILON && a->stamp[t] != a->stamp_now) {
				a->stamp[t] = a->stamp_now;
				int_vec_push(stack, t);
			}
		}
	}
	if (out->n) /* qsort may not be given a NULL array, even empty */
		qsort(out->v, out->n, sizeof(*out->v), int_cmp);
}

/* Deterministic states: each a sorted set of input states, kept in one pool, found by hash. */
struct dfa {
	struct int_vec pool;
	size_t *offset, *len; /* per state, into pool */
	int n, cap;
	int *table; /* open addressing: state + 1, 0 empty */
	size_t table_size;
	struct automaton_arc *arcs; /* grouped by `from` in order, words ascending within */
	size_t n_arcs, arcs_cap;
};

static uint64_t set_hash(const int *s, size_t n)
{
	uint64_t h = 1469598103934665603u; /* FNV-1a */
	for (size_t i = 0; i < n; i++) {
		h ^= (uint32_t)s[i];
		h *= 1099511628211u;
	}
	return h;
}

static void dfa_rehash(struct dfa *d, size_t size)
{
	free(d->table);
	d->table = xcalloc(size, sizeof(*d->table));
	d->table_size = size;
	for (int i = 0; i < d->n; i++) {
		size_t h = set_hash(d->pool.v + d->offset[i], d->len[i]) & (size - 1);
		while (d->table[h])
			h = (h + 1) & (size - 1);
		d->table[h] = i + 1;
	}
}

/* The deterministic state for input set `s`, added when new (*added set). */
static int dfa_find_or_add(struct dfa *d, const int *s, size_t n, bool *added)
{
	size_t mask = d->table_size - 1, h = set_hash(s, n) & mask;
	for (; d->table[h]; h = (h + 1) & mask) {
		int i = d->table[h] - 1;
		if (d->len[i] == n && !memcmp(d->pool.v + d->offset[i], s, n * sizeof(*s))) {
			*added = false;
			return i;
		}
	}
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 256;
		d->offset = xreallocarray(d->offset, (size_t)d->cap, sizeof(*d->offset));
		d->len = xreallocarray(d->len, (size_t)d->cap, sizeof(*d->len));
	}
	int id = d->n++;
	d->offset[id] = d->pool.n;
	d->len[id] = n;
	for (size_t i = 0; i < n; i++)
		int_vec_push(&d->pool, s[i]);
	d->table[h] = id + 1;
	*added = true;
	if ((size_t)d->n * 2 > d->table_size)
		dfa_rehash(d, d->table_size * 2);
	return id;
}

static void dfa_arc_add(struct dfa *d, int from, int word, int to)
{
	if (d->n_arcs == d->arcs_cap) {
		d->arcs_cap = d->arcs_cap ? d->arcs_cap * 2 : 256;
		d->arcs = xreallocarray(d->arcs, d->arcs_cap, sizeof(*d->arcs));
	}
	d->arcs[d->n_arcs++] = (struct automaton_arc){ .from = from, .to = to, .word = word };
}

static void dfa_done(struct dfa *d)
{
	free(d->pool.v);
	free(d->offset);
	free(d->len);
	free(d->table);
	free(d->arcs);
}

/* Subset construction. States are numbered in the order they are found, the start first, and
 * processed in that order, so d->arcs comes out grouped by state. */
static int determinise(struct nfa *a, int start, size_t max_states, struct dfa *d)
{
	struct int_vec set = { 0 }, stack = { 0 }, targets = { 0 };
	struct word_to *moves = NULL;
	size_t moves_cap = 0;
	int r = 0;
	bool added;

	dfa_rehash(d, 1024);
	nfa_closure(a, &start, 1, &set, &stack);
	dfa_find_or_add(d, set.v, set.n, &added);
	for (int i = 0; i < d->n; i++) {
		size_t n_moves = 0;
		for (size_t m = 0; m < d->len[i]; m++) {
			int s = d->pool.v[d->offset[i] + m];
			for (size_t k = a->first[s]; k < a->first[s + 1]; k++) {
				if (a->arcs[k].word == AUTOMATON_EPSILON)
					continue;
				if (n_moves == moves_cap) {
					moves_cap = moves_cap ? moves_cap * 2 : 64;
					moves = xreallocarray(moves, moves_cap, sizeof(*moves));
				}
				moves[n_moves++] = (struct word_to){ a->arcs[k].word, a->arcs[k].to };
			}
		}
		if (n_moves)
			qsort(moves, n_moves, sizeof(*moves), word_to_cmp);
		for (size_t g = 0; g < n_moves;) {
			size_t e = g;
			targets.n = 0;
			for (; e < n_moves && moves[e].word == moves[g].word; e++)
				int_vec_push(&targets, moves[e].to);
			nfa_closure(a, targets.v, targets.n, &set, &stack);
			int to = dfa_find_or_add(d, set.v, set.n, &added);
			if (added && (size_t)d->n > max_states) {
				r = -E2BIG;
				goto out;
			}
			dfa_arc_add(d, i, moves[g].word, to);
			g = e;
		}
	}
out:
	free(set.v);
	free(stack.v);
	free(targets.v);
	free(moves);
	return r;
}

/* A state's signature for one round of refinement: its class, then (word, class of target) for
 * each arc. States with equal signatures stay together. */
struct signature {
	const int *key;
	size_t len;
	int state;
};

static int signature_cmp(const void *a, const void *b)
{
	const struct signature *x = a, *y = b;
	size_t n = x->len < y->len ? x->len : y->len;
	for (size_t i = 0; i < n; i++)
		if (x->key[i] != y->key[i])
			return (x->key[i] > y->key[i]) - (x->key[i] < y->key[i]);
	return (x->len > y->len) - (x->len < y->len);
}

/* Moore's algorithm: start from final / not final and split classes until nothing changes.
 * cls gets each state's class; returns the number of classes. */
static int minimise(const struct dfa *d, const bool *final, const size_t *first, int *cls)
{
	int n = d->n, n_classes = 0;
	int *key = xmalloc((2 * (size_t)n + 2 * d->n_arcs) * sizeof(*key));
	struct signature *sig = xmalloc((size_t)n * sizeof(*sig));
	bool any_final = false, any_other = false;
	for (int i = 0; i < n; i++) {
		cls[i] = final[i] ? 1 : 0;
		any_final |= final[i];
		any_other |= !final[i];
	}
	int prev = any_final + any_other;
	for (;;) {
		size_t o = 0;
		for (int i = 0; i < n; i++) {
			sig[i] = (struct signature){ .key = key + o, .state = i };
			key[o++] = cls[i];
			for (size_t k = first[i]; k < first[i + 1]; k++) {
				key[o++] = d->arcs[k].word;
				key[o++] = cls[d->arcs[k].to];
			}
			sig[i].len = (size_t)(key + o - sig[i].key);
		}
		qsort(sig, (size_t)n, sizeof(*sig), signature_cmp);
		n_classes = 0;
		for (int i = 0; i < n; i++) {
			if (i && signature_cmp(&sig[i - 1], &sig[i]))
				n_classes++;
			cls[sig[i].state] = n_classes;
		}
		n_classes++;
		if (n_classes == prev)
			break;
		prev = n_classes;
	}
	free(key);
	free(sig);
	return n_classes;
}

int automaton_minimise(const struct automaton *in, size_t max_states, struct automaton *out)
{
	if (in->n_states < 1 || in->start < 0 || in->start >= in->n_states)
		return -EINVAL;
	for (size_t k = 0; k < in->n_arcs; k++)
		if (in->arcs[k].from < 0 || in->arcs[k].from >= in->n_states || in->arcs[k].to < 0 ||
		    in->arcs[k].to >= in->n_states ||
		    (in->arcs[k].word < 0 && in->arcs[k].word != AUTOMATON_EPSILON))
			return -EINVAL;

	/* Group the input's arcs by state (counting sort). */
	struct nfa a = { .n = in->n_states };
	a.first = arc_offsets(in->arcs, in->n_arcs, a.n);
	a.arcs = xmalloc((in->n_arcs ? in->n_arcs : 1) * sizeof(*a.arcs));
	a.stamp = xcalloc((size_t)a.n, sizeof(*a.stamp));
	size_t *fill = xmalloc((size_t)a.n * sizeof(*fill));
	memcpy(fill, a.first, (size_t)a.n * sizeof(*fill));
	for (size_t k = 0; k < in->n_arcs; k++)
		a.arcs[fill[in->arcs[k].from]++] = in->arcs[k];
	free(fill);

	struct dfa d = { 0 };
	int r = determinise(&a, in->start, max_states, &d);
	if (r < 0)
		goto out;

	bool *final = xcalloc((size_t)d.n, sizeof(*final));
	size_t *first = arc_offsets(d.arcs, d.n_arcs, d.n); /* d.arcs are grouped already */
	for (int i = 0; i < d.n; i++)
		for (size_t m = 0; m < d.len[i] && !final[i]; m++)
			final[i] = in->final[d.pool.v[d.offset[i] + m]];
	int *cls = xmalloc((size_t)d.n * sizeof(*cls));
	int n_cls = minimise(&d, final, first, cls);

	/* One representative per class; then keep the classes that can reach a final one
	 * (backwards from the finals until nothing changes: the automaton is small). */
	int *rep = xmalloc((size_t)n_cls * sizeof(*rep));
	bool *live = xcalloc((size_t)n_cls, sizeof(*live));
	for (int i = d.n - 1; i >= 0; i--)
		rep[cls[i]] = i;
	for (int c = 0; c < n_cls; c++)
		live[c] = final[rep[c]];
	for (bool changed = true; changed;) {
		changed = false;
		for (int c = 0; c < n_cls; c++)
			for (size_t k = first[rep[c]]; !live[c] && k < first[rep[c] + 1]; k++)
				if (live[cls[d.arcs[k].to]])
					live[c] = changed = true;
	}
	/* Number the live classes from the start's, in the order they are reached. */
	int *number = xmalloc((size_t)n_cls * sizeof(*number));
	int *order = xmalloc((size_t)n_cls * sizeof(*order));
	for (int c = 0; c < n_cls; c++)
		number[c] = -1;
	int n_out = 0;
	order[n_out] = cls[0];
	number[cls[0]] = n_out++;
	for (int q = 0; q < n_out; q++)
		for (size_t k = first[rep[order[q]]]; k < first[rep[order[q]] + 1]; k++) {
			int t = cls[d.arcs[k].to];
			if (live[t] && number[t] < 0) {
				order[n_out] = t;
				number[t] = n_out++;
			}
		}

	*out = (struct automaton){ .n_states = n_out, .start = 0 };
	out->final = xcalloc((size_t)n_out, sizeof(*out->final));
	out->arcs = xmalloc((d.n_arcs ? d.n_arcs : 1) * sizeof(*out->arcs));
	for (int q = 0; q < n_out; q++) {
		int c = order[q];
		out->final[q] = final[rep[c]];
		if (!live[c])
			continue; /* the start, when nothing is accepted */
		for (size_t k = first[rep[c]]; k < first[rep[c] + 1]; k++) {
			int t = cls[d.arcs[k].to];
			if (live[t])
				out->arcs[out->n_arcs++] = (struct automaton_arc){
					.from = q, .to = number[t], .word = d.arcs[k].word
				};
		}
	}
	free(number);
	free(order);
	free(rep);
	free(live);
	free(cls);
	free(first);
	free(final);
out:
	dfa_done(&d);
	free(a.first);
	free(a.arcs);
	free(a.stamp);
	return r;
}

void automaton_done(struct automaton *a)
{
	free(a->final);
	free(a->arcs);
	*a = (struct automaton){ 0 };
}
