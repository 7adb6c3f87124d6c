#include "template.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

#define MAX_LIST_DEPTH TEMPLATE_MAX_LIST_DEPTH

static struct template_node *node_new(enum template_node_type type)
{
	struct template_node *n = xcalloc(1, sizeof(*n));
	n->type = type;
	return n;
}

/* The children array doubles at each power of two, so a long line is read in linear time. */
static void node_add(struct template_node *parent, struct template_node *child)
{
	size_t n = parent->n_children;
	if ((n & (n - 1)) == 0)
		parent->children = xreallocarray(parent->children, n ? n * 2 : 1,
						 sizeof(*parent->children));
	parent->children[parent->n_children++] = child;
}

void template_node_destroy(struct template_node *node)
{
	if (!node)
		return;
	for (size_t i = 0; i < node->n_children; i++)
		template_node_destroy(node->children[i]);
	free(node->children);
	free(node->text);
	free(node);
}

struct parser {
	const char *text;
	size_t pos;
	char *err;
	size_t errlen;
	int depth;    /* brackets open around the current position */
	size_t words; /* words and list references so far */
};

static int count_word(struct parser *p, size_t col)
{
	if (++p->words <= TEMPLATE_MAX_WORDS)
		return 0;
	return errf(p->err, p->errlen, -EINVAL,
		    "more than %d words at column %zu (split the template into several lines)",
		    TEMPLATE_MAX_WORDS, col);
}

static bool is_word_char(char c)
{
	return isalnum((unsigned char)c) || c == '\'' || (unsigned char)c >= 0x80;
}

static void skip_space(struct parser *p)
{
	while (p->text[p->pos] && isspace((unsigned char)p->text[p->pos]))
		p->pos++;
}

static int parse_alts(struct parser *p, char close, size_t open_pos, struct template_node **out);

/* seq := item*, ending before '|', a closing bracket or the end. */
static int parse_seq(struct parser *p, struct template_node **out)
{
	struct template_node *seq = node_new(TEMPLATE_SEQ);
	int r = 0;
	for (;;) {
		skip_space(p);
		char c = p->text[p->pos];
		size_t col = p->pos + 1;
		if (!c || c == '|' || c == ')' || c == ']')
			break;
		if (c == '(' || c == '[') {
			/* Checked before recursing: a deep input is an error, not a stack overflow. */
			if (p->depth >= TEMPLATE_MAX_DEPTH) {
				r = errf(p->err, p->errlen, -EINVAL,
					 "brackets nested more than %d deep at column %zu (write the template flatter)",
					 TEMPLATE_MAX_DEPTH, col);
				goto fail;
			}
			p->pos++;
			struct template_node *alts;
			p->depth++;
			r = parse_alts(p, c == '(' ? ')' : ']', col, &alts);
			p->depth--;
			if (r < 0)
				goto fail;
			if (c == '[') {
				struct template_node *opt = node_new(TEMPLATE_OPT);
				node_add(opt, alts);
				alts = opt;
			}
			node_add(seq, alts);
		} else if (c == '<') {
			size_t start = ++p->pos;
			while (p->text[p->pos] && p->text[p->pos] != '>' &&
			       (is_word_char(p->text[p->pos]) || p->text[p->pos] == '-'))
				p->pos++;
			if (p->text[p->pos] != '>') {
				r = errf(p->err, p->errlen, -EINVAL,
					 "'<' at column %zu is not closed (write a list name as <name>)", col);
				goto fail;
			}
			if (p->pos == start) {
				r = errf(p->err, p->errlen, -EINVAL,
					 "empty list name '<>' at column %zu (write <name>)", col);
				goto fail;
			}
			if ((r = count_word(p, col)) < 0)
				goto fail;
			struct template_node *list = node_new(TEMPLATE_LIST);
			list->text = xstrndup(p->text + start, p->pos - start);
			for (char *t = list->text; *t; t++)
				*t = (char)tolower((unsigned char)*t);
			p->pos++;
			node_add(seq, list);
		} else if (is_word_char(c)) {
			size_t start = p->pos;
			while (is_word_char(p->text[p->pos]))
				p->pos++;
			if ((r = count_word(p, col)) < 0)
				goto fail;
			struct template_node *w = node_new(TEMPLATE_WORD);
			w->text = xstrndup(p->text + start, p->pos - start);
			for (char *t = w->text; *t; t++)
				*t = (char)tolower((unsigned char)*t);
			node_add(seq, w);
		} else if (c == '>') {
			r = errf(p->err, p->errlen, -EINVAL,
				 "'>' at column %zu has no '<' before it", col);
			goto fail;
		} else {
			r = errf(p->err, p->errlen, -EINVAL,
				 "'%c' at column %zu is not allowed in a template (use words, ( | ), [ ] and <list>)",
				 c, col);
			goto fail;
		}
	}
	*out = seq;
	return 0;
fail:
	template_node_destroy(seq);
	return r;
}

/* alts := seq ('|' seq)*, then `close` (or the end of text when close is 0). */
static int parse_alts(struct parser *p, char close, size_t open_pos, struct template_node **out)
{
	struct template_node *alt = node_new(TEMPLATE_ALT);
	int r;
	for (;;) {
		size_t col = p->pos + 1;
		struct template_node *seq = NULL; /* set by parse_seq; -O3 cannot see that */
		r = parse_seq(p, &seq);
		if (r < 0)
			goto fail;
		if (seq->n_children == 0) {
			template_node_destroy(seq);
			r = errf(p->err, p->errlen, -EINVAL,
				 "empty alternative at column %zu (remove the extra '|' or bracket)", col);
			goto fail;
		}
		node_add(alt, seq);
		char c = p->text[p->pos];
		if (c == '|') {
			p->pos++;
			continue;
		}
		if (!c) {
			if (close) {
				r = errf(p->err, p->errlen, -EINVAL,
					 "unbalanced brackets: '%c' at column %zu is never closed (add '%c')",
					 close == ')' ? '(' : '[', open_pos, close);
				goto fail;
			}
			break;
		}
		/* c is ')' or ']' */
		if (c != close) {
			if (close)
				r = errf(p->err, p->errlen, -EINVAL,
					 "unbalanced brackets: '%c' at column %zu closes '%c' from column %zu (expected '%c')",
					 c, p->pos + 1, close == ')' ? '(' : '[', open_pos, close);
			else
				r = errf(p->err, p->errlen, -EINVAL,
					 "unbalanced brackets: '%c' at column %zu has no opening bracket",
					 c, p->pos + 1);
			goto fail;
		}
		p->pos++;
		break;
	}
	*out = alt;
	return 0;
fail:
	template_node_destroy(alt);
	return r;
}

int template_parse(const char *text, struct template_node **out, char *err, size_t errlen)
{
	struct parser p = { .text = text, .err = err, .errlen = errlen };
	struct template_node *alts;
	*out = NULL;
	int r = parse_alts(&p, 0, 0, &alts);
	if (r < 0)
		return r;
	if (alts->n_children == 1) {
		*out = alts->children[0];
		alts->n_children = 0;
		template_node_destroy(alts);
	} else {
		struct template_node *seq = node_new(TEMPLATE_SEQ);
		node_add(seq, alts);
		*out = seq;
	}
	return 0;
}

/* Phrasings, and the nodes one phrasing passes through at most (words, brackets and list uses:
 * the expansion's recursion), in one walk. */
struct measure {
	double count, longest;
	bool loops; /* a list uses itself, or lists nest too deep: listing would stop with -ELOOP */
};

static struct measure measure(const struct template_node *node, template_list_lookup_fn lookup,
			      void *lookup_data, int depth);

/* Expansion in continuation-passing style: `rest` is what must follow the current node. */
struct rest {
	struct template_node *const *items;
	size_t n;
	const struct rest *next;
};

struct expander {
	template_list_lookup_fn lookup;
	void *lookup_data;
	template_phrase_fn fn;
	void *fn_data;
	char *buf;
	size_t len, cap;
	int depth;
};

static int gen(struct expander *e, const struct template_node *node, const struct rest *rest);

static int cont(struct expander *e, const struct rest *rest)
{
	while (rest && rest->n == 0)
		rest = rest->next;
	if (!rest)
		return e->fn(e->fn_data, e->buf);
	struct rest r = { rest->items + 1, rest->n - 1, rest->next };
	return gen(e, rest->items[0], &r);
}

static int gen(struct expander *e, const struct template_node *node, const struct rest *rest)
{
	int r;
	switch (node->type) {
	case TEMPLATE_WORD: {
		size_t old = e->len, wl = strlen(node->text);
		if (e->len + wl + 2 > e->cap)
			e->buf = xrealloc(e->buf, e->cap = (e->len + wl + 2) * 2);
		if (e->len)
			e->buf[e->len++] = ' ';
		memcpy(e->buf + e->len, node->text, wl + 1);
		e->len += wl;
		r = cont(e, rest);
		e->len = old;
		e->buf[old] = '\0';
		return r;
	}
	case TEMPLATE_SEQ: {
		struct rest rr = { node->children, node->n_children, rest };
		return cont(e, &rr);
	}
	case TEMPLATE_ALT:
		for (size_t i = 0; i < node->n_children; i++)
			if ((r = gen(e, node->children[i], rest)))
				return r;
		return 0;
	case TEMPLATE_OPT:
		if ((r = gen(e, node->children[0], rest)))
			return r;
		return cont(e, rest);
	case TEMPLATE_LIST: {
		const struct template_node *list = e->lookup ? e->lookup(e->lookup_data, node->text) : NULL;
		if (!list)
			return -ENOENT;
		if (e->depth >= MAX_LIST_DEPTH)
			return -ELOOP;
		e->depth++;
		r = gen(e, list, rest);
		e->depth--;
		return r;
	}
	}
	return 0;
}

int template_expand(const struct template_node *node, template_list_lookup_fn lookup,
		    void *lookup_data, template_phrase_fn fn, void *fn_data)
{
	/* The expansion recurses a few frames a node of a phrasing's path, lists included. */
	struct measure m = measure(node, lookup, lookup_data, 0);
	if (m.loops)
		return -ELOOP;
	if (m.longest > TEMPLATE_MAX_PATH)
		return -E2BIG;
	struct expander e = { lookup, lookup_data, fn, fn_data, xmalloc(64), 0, 64, 0 };
	e.buf[0] = '\0';
	int r = gen(&e, node, NULL);
	free(e.buf);
	return r;
}

static struct measure measure(const struct template_node *node, template_list_lookup_fn lookup,
			      void *lookup_data, int depth)
{
	struct measure m = { 0, 0, false }, c;
	switch (node->type) {
	case TEMPLATE_WORD:
		return (struct measure){ 1, 1, false };
	case TEMPLATE_SEQ:
		m.count = 1;
		m.longest = 1;
		for (size_t i = 0; i < node->n_children; i++) {
			c = measure(node->children[i], lookup, lookup_data, depth);
			m.count *= c.count;
			m.longest += c.longest;
			m.loops |= c.loops;
		}
		break;
	case TEMPLATE_ALT:
		m.longest = 1;
		for (size_t i = 0; i < node->n_children; i++) {
			c = measure(node->children[i], lookup, lookup_data, depth);
			m.count += c.count;
			m.longest = 1 + c.longest > m.longest ? 1 + c.longest : m.longest;
			m.loops |= c.loops;
		}
		break;
	case TEMPLATE_OPT:
		m = measure(node->children[0], lookup, lookup_data, depth);
		m.count += 1;
		m.longest += 1;
		break;
	case TEMPLATE_LIST: {
		const struct template_node *list = lookup ? lookup(lookup_data, node->text) : NULL;
		m.loops = list && depth >= MAX_LIST_DEPTH;
		if (!list || depth >= MAX_LIST_DEPTH)
			return m;
		/* Measured once and remembered, so that a list used many times at every level is
		 * not walked again at each use (4 uses 16 lists deep would be 4^16 walks). */
		struct template_node *l = (struct template_node *)list;
		if (!l->counted) {
			if (l->counting) {
				m.loops = true; /* the list uses itself: an error at load */
				return m;
			}
			l->counting = true;
			c = measure(l, lookup, lookup_data, depth + 1);
			l->count = c.count;
			l->longest = c.longest;
			l->loops = c.loops;
			l->counting = false;
			l->counted = true;
		}
		m.count = l->count;
		m.longest = 1 + l->longest;
		m.loops = l->loops;
		break;
	}
	}
	m.count = m.count > 1e15 ? 1e15 : m.count;
	m.longest = m.longest > 1e15 ? 1e15 : m.longest;
	return m;
}

/* A tree counted at load (template_count_cache) is only read: sets are shared by threads. */
static double count(const struct template_node *node, template_list_lookup_fn lookup,
		    void *lookup_data, int depth)
{
	return node->counted ? node->count : measure(node, lookup, lookup_data, depth).count;
}

double template_count_cache(struct template_node *node, template_list_lookup_fn lookup,
			    void *lookup_data)
{
	if (node->counted)
		return node->count;
	/* Every node, so that drawing a phrasing reads each choice's count, not walks it again. */
	for (size_t i = 0; i < node->n_children; i++)
		template_count_cache(node->children[i], lookup, lookup_data);
	node->counting = true;
	struct measure m = measure(node, lookup, lookup_data, 0);
	node->count = m.count;
	node->longest = m.longest;
	node->loops = m.loops;
	node->counting = false;
	node->counted = true;
	return node->count;
}

double template_path_length(const struct template_node *node, template_list_lookup_fn lookup,
			void *lookup_data)
{
	return measure(node, lookup, lookup_data, 0).longest;
}

struct sampler {
	template_list_lookup_fn lookup;
	void *lookup_data;
	char *buf;
	size_t len, cap;
};

static void sampler_word(struct sampler *s, const char *word)
{
	size_t wl = strlen(word);
	if (s->len + wl + 2 > s->cap)
		s->buf = xrealloc(s->buf, s->cap = (s->len + wl + 2) * 2);
	if (s->len)
		s->buf[s->len++] = ' ';
	memcpy(s->buf + s->len, word, wl + 1);
	s->len += wl;
}

/* Mixed radix: in a sequence the first child's choice varies slowest, as in gen(). Counts are
 * exact integers below 2^53, so the arithmetic in uint64_t is exact for any valid template. */
static int sample(struct sampler *s, const struct template_node *node, uint64_t idx, int depth)
{
	switch (node->type) {
	case TEMPLATE_WORD:
		sampler_word(s, node->text);
		return 0;
	case TEMPLATE_SEQ: {
		uint64_t total = (uint64_t)count(node, s->lookup, s->lookup_data, depth);
		for (size_t i = 0; i < node->n_children; i++) {
			uint64_t c = (uint64_t)count(node->children[i], s->lookup, s->lookup_data,
						     depth);
			if (c == 0 || total == 0)
				return -ENOENT;
			total /= c;
			uint64_t digit = total ? idx / total : 0;
			idx = total ? idx % total : 0;
			int r = sample(s, node->children[i], digit, depth);
			if (r < 0)
				return r;
		}
		return 0;
	}
	case TEMPLATE_ALT:
		for (size_t i = 0; i < node->n_children; i++) {
			uint64_t c = (uint64_t)count(node->children[i], s->lookup, s->lookup_data,
						     depth);
			if (idx < c)
				return sample(s, node->children[i], idx, depth);
			idx -= c;
		}
		return -ERANGE;
	case TEMPLATE_OPT: {
		uint64_t c = (uint64_t)count(node->children[0], s->lookup, s->lookup_data, depth);
		if (idx < c)
			return sample(s, node->children[0], idx, depth);
		return idx == c ? 0 : -ERANGE;
	}
	case TEMPLATE_LIST: {
		const struct template_node *list = s->lookup ? s->lookup(s->lookup_data, node->text)
							     : NULL;
		if (!list)
			return -ENOENT;
		if (depth >= MAX_LIST_DEPTH)
			return -ELOOP;
		return sample(s, list, idx, depth + 1);
	}
	}
	return 0;
}

/* Why a template counts no phrasing: -ENOENT (undefined list) or -ELOOP (nested too deep). */
static int list_problem(const struct template_node *node, template_list_lookup_fn lookup,
			void *lookup_data, int depth)
{
	if (node->type == TEMPLATE_LIST) {
		const struct template_node *list = lookup ? lookup(lookup_data, node->text) : NULL;
		if (!list)
			return -ENOENT;
		return depth >= MAX_LIST_DEPTH ? -ELOOP
					       : list_problem(list, lookup, lookup_data, depth + 1);
	}
	for (size_t i = 0; i < node->n_children; i++) {
		int r = list_problem(node->children[i], lookup, lookup_data, depth);
		if (r < 0)
			return r;
	}
	return 0;
}

int template_phrasing_at(const struct template_node *node, template_list_lookup_fn lookup,
			 void *lookup_data, uint64_t index, char **buf, size_t *cap)
{
	struct sampler s = { lookup, lookup_data, *buf, 0, *cap };
	if (!s.buf || s.cap < 64)
		s.buf = xrealloc(s.buf, s.cap = 64);
	s.buf[0] = '\0';
	double total = count(node, lookup, lookup_data, 0);
	int r = (double)index < total ? sample(&s, node, index, 0) : -ERANGE;
	if (r == -ERANGE && total == 0)
		r = list_problem(node, lookup, lookup_data, 0);
	*buf = s.buf;
	*cap = s.cap;
	return r;
}

double template_count(const struct template_node *node, template_list_lookup_fn lookup,
		      void *lookup_data)
{
	return count(node, lookup, lookup_data, 0);
}

struct words_walk {
	template_list_lookup_fn lookup;
	void *lookup_data;
	template_word_fn fn;
	void *fn_data;
	const struct template_node **seen; /* lists already walked: each list's words once */
	size_t n_seen, cap_seen;
};

static bool words_list_seen(struct words_walk *w, const struct template_node *list)
{
	for (size_t i = 0; i < w->n_seen; i++)
		if (w->seen[i] == list)
			return true;
	if (w->n_seen == w->cap_seen)
		w->seen = xreallocarray(w->seen, w->cap_seen = w->cap_seen ? w->cap_seen * 2 : 8,
					sizeof(*w->seen));
	w->seen[w->n_seen++] = list;
	return false;
}

static void words(struct words_walk *w, const struct template_node *node, int depth)
{
	if (node->type == TEMPLATE_WORD) {
		w->fn(w->fn_data, node->text);
		return;
	}
	if (node->type == TEMPLATE_LIST) {
		const struct template_node *list = w->lookup ? w->lookup(w->lookup_data, node->text)
							     : NULL;
		if (list && depth < MAX_LIST_DEPTH && !words_list_seen(w, list))
			words(w, list, depth + 1);
		return;
	}
	for (size_t i = 0; i < node->n_children; i++)
		words(w, node->children[i], depth);
}

void template_words(const struct template_node *node, template_list_lookup_fn lookup,
		    void *lookup_data, template_word_fn fn, void *fn_data)
{
	struct words_walk w = { .lookup = lookup, .lookup_data = lookup_data, .fn = fn,
				.fn_data = fn_data };
	words(&w, node, 0);
	free(w.seen);
}

/* The positions (bits of a word index, 0..TEMPLATE_MATCH_MAX_WORDS) the template can end at when
 * it starts at any position of `from`: a set of positions, so alternatives and optional words
 * cost one pass each and nothing is listed. */
static uint64_t match_from(const struct template_node *node, template_list_lookup_fn lookup,
			   void *lookup_data, const char *const *words, size_t n, uint64_t from,
			   int list_depth)
{
	uint64_t to = 0;
	if (!from)
		return 0;
	switch (node->type) {
	case TEMPLATE_WORD:
		for (size_t p = 0; p < n; p++)
			if ((from >> p & 1) && !strcmp(words[p], node->text))
				to |= UINT64_C(1) << (p + 1);
		return to;
	case TEMPLATE_SEQ:
		to = from;
		for (size_t i = 0; i < node->n_children && to; i++)
			to = match_from(node->children[i], lookup, lookup_data, words, n, to,
					list_depth);
		return to;
	case TEMPLATE_ALT:
		for (size_t i = 0; i < node->n_children; i++)
			to |= match_from(node->children[i], lookup, lookup_data, words, n, from,
					 list_depth);
		return to;
	case TEMPLATE_OPT:
		return from | match_from(node->children[0], lookup, lookup_data, words, n, from,
					 list_depth);
	case TEMPLATE_LIST: {
		const struct template_node *list = lookup ? lookup(lookup_data, node->text) : NULL;
		if (!list || list_depth >= TEMPLATE_MAX_LIST_DEPTH)
			return 0;
		return match_from(list, lookup, lookup_data, words, n, from, list_depth + 1);
	}
	}
	return 0;
}

bool template_match(const struct template_node *node, template_list_lookup_fn lookup,
		    void *lookup_data, const char *const *words, size_t n)
{
	if (n > TEMPLATE_MATCH_MAX_WORDS)
		return false;
	return match_from(node, lookup, lookup_data, words, n, 1, 0) >> n & 1;
}
