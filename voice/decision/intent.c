/* Intent: words -> the topic or control whose phrasings explain them best.
 *
 * Every word gets a weight from how many entries (topics and controls) use it: a word only one
 * topic uses ("camhs", "dance") says much, a word all of them use ("what", "is") says little,
 * a word no entry uses counts as something the leaflet does not cover. For each entry:
 *   precision = weight of the heard words this entry uses / weight of all heard words
 *   recall    = best, over the entry's phrasings, of the weight of its words that were heard /
 *               the weight of all its words
 *   score     = harmonic mean of the two.
 * Precision keeps "what is the weather" away from "what is attunement"; recall rewards hearing
 * a whole phrasing, yet a paraphrase that shares the telling words still scores well. */
#include "intent.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "strset.h"

/* At most this many phrasings per entry are kept (every k-th, so the variety stays). */
#define INTENT_MAX_PHRASINGS 4000
#define INTENT_MAX_WORDS 64
/* Weight of a heard word no entry uses, relative to log(1 + n_entries / df) of known words:
 * about the weight of a word half the entries use. Too high and every paraphrase with a few
 * extra words ("the school said...") falls apart; too low and off-topic speech sharing one word
 * with a topic is accepted. */
#ifndef INTENT_UNKNOWN_WEIGHT /* (overridable when tuning offline) */
#define INTENT_UNKNOWN_WEIGHT 1.2
#endif
/* While confirming, yes/no win unless another entry is clearly better. */
#define INTENT_CONFIRM_FACTOR 0.85

struct phrasing {
	int *words; /* distinct word ids */
	size_t n;
	double weight; /* sum of the weights of its words */
};

struct entry {
	enum intent_kind kind;
	const char *id; /* topic id (into the set) or control name */
	enum control control;
	struct phrasing *phrasings;
	size_t n_phrasings, cap;
	int *vocab; /* sorted distinct word ids used by any phrasing */
	size_t n_vocab, vocab_cap;
};

struct intent_model {
	struct entry *entries;
	size_t n_entries;
	char **words; /* sorted */
	size_t n_words;
	double *weight; /* per word id */
};

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int int_cmp(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	return (x > y) - (x < y);
}

/* Split `text` into at most `max` words (pointers into the modified copy `buf`). */
static size_t split_words(char *buf, char **out, size_t max)
{
	size_t n = 0;
	char *save = NULL; /* strtok_r: recognisers may be built on several threads */
	for (char *t = strtok_r(buf, " \t\n", &save); t && n < max;
	     t = strtok_r(NULL, " \t\n", &save))
		out[n++] = t;
	return n;
}

static int word_id(const struct intent_model *m, const char *w)
{
	if (!m->n_words)
		return -1;
	char **p = bsearch(&w, m->words, m->n_words, sizeof(*m->words), str_cmp);
	return p ? (int)(p - m->words) : -1;
}

/* The vocabulary sorted and unique (while its phrasings come in, and once they are all in). */
static void vocab_finish(struct entry *e)
{
	if (!e->n_vocab)
		return;
	qsort(e->vocab, e->n_vocab, sizeof(*e->vocab), int_cmp);
	size_t u = 0;
	for (size_t k = 0; k < e->n_vocab; k++)
		if (!u || e->vocab[u - 1] != e->vocab[k])
			e->vocab[u++] = e->vocab[k];
	e->n_vocab = u;
}

/* Phrasings as word ids in the order the words are first met (`words`); renumbered in
 * alphabetical order once all are in (words_sort). */
struct build {
	struct intent_model *m;
	struct entry *e;
	struct strset words;
};

static int build_phrase(void *data, const char *phrase)
{
	struct build *b = data;
	struct entry *e = b->e;
	char *copy = xstrdup(phrase);
	char *w[INTENT_MAX_WORDS];
	size_t n = split_words(copy, w, INTENT_MAX_WORDS);
	struct phrasing p = { .words = xcalloc(n ? n : 1, sizeof(int)) };
	for (size_t k = 0; k < n; k++) {
		int id = (int)strset_add(&b->words, w[k], NULL);
		bool dup = false;
		for (size_t j = 0; j < p.n; j++)
			dup |= p.words[j] == id;
		if (!dup)
			p.words[p.n++] = id;
	}
	if (e->n_phrasings == e->cap)
		e->phrasings = xreallocarray(e->phrasings, e->cap = e->cap ? e->cap * 2 : 32,
					     sizeof(*e->phrasings));
	e->phrasings[e->n_phrasings++] = p;
	for (size_t k = 0; k < p.n; k++) {
		if (e->n_vocab == e->vocab_cap) {
			vocab_finish(e);
			if (e->n_vocab >= e->vocab_cap / 2) {
				e->vocab_cap = e->vocab_cap ? e->vocab_cap * 2 : 32;
				e->vocab = xreallocarray(e->vocab, e->vocab_cap, sizeof(*e->vocab));
			}
		}
		e->vocab[e->n_vocab++] = p.words[k];
	}
	free(copy);
	return 0;
}

static int id_by_word(const void *a, const void *b, void *words)
{
	char *const *w = words;
	return strcmp(w[*(const int *)a], w[*(const int *)b]);
}

/* The words in alphabetical order (word_id bisects them), every phrasing's and vocabulary's
 * ids renumbered to match. */
static void words_sort(struct intent_model *m, struct strset *words)
{
	char **met = strset_take(words, &m->n_words);
	size_t n = m->n_words;
	int *order = xcalloc(n ? n : 1, sizeof(*order)), *rank = xcalloc(n ? n : 1, sizeof(*rank));
	for (size_t i = 0; i < n; i++)
		order[i] = (int)i;
	qsort_r(order, n, sizeof(*order), id_by_word, met);
	m->words = xcalloc(n ? n : 1, sizeof(*m->words));
	for (size_t i = 0; i < n; i++) {
		m->words[i] = met[order[i]];
		rank[order[i]] = (int)i;
	}
	for (size_t i = 0; i < m->n_entries; i++) {
		struct entry *e = &m->entries[i];
		for (size_t k = 0; k < e->n_phrasings; k++)
			for (size_t j = 0; j < e->phrasings[k].n; j++)
				e->phrasings[k].words[j] = rank[e->phrasings[k].words[j]];
		for (size_t k = 0; k < e->n_vocab; k++)
			e->vocab[k] = rank[e->vocab[k]];
		vocab_finish(e);
	}
	free(met);
	free(order);
	free(rank);
}

/* An entry with no ask: line has no vocabulary (and bsearch may not be given NULL). */
static bool entry_uses(const struct entry *e, int id)
{
	return id >= 0 && e->n_vocab &&
	       bsearch(&id, e->vocab, e->n_vocab, sizeof(*e->vocab), int_cmp);
}

/* Evenly spaced phrasings, built one by one: a template of billions is never walked. */
static int expand_entry(struct build *b, const struct script_set *set,
			const struct script_entry *se, struct entry *e)
{
	b->e = e;
	return script_entry_sample(set, se, INTENT_MAX_PHRASINGS, build_phrase, b);
}

int intent_model_create(const struct script_set *set, struct intent_model **out, char *err,
			size_t errlen)
{
	*out = NULL;
	struct intent_model *m = xcalloc(1, sizeof(*m));
	struct build b = { .m = m };
	int r = 0;
	m->n_entries = set->n_topics + set->n_controls;
	m->entries = xcalloc(m->n_entries ? m->n_entries : 1, sizeof(*m->entries));
	for (size_t i = 0; i < m->n_entries; i++) {
		struct entry *e = &m->entries[i];
		if (i < set->n_topics) {
			e->kind = INTENT_TOPIC;
			e->id = set->topics[i].id;
		} else {
			const struct script_entry *c = &set->controls[i - set->n_topics];
			e->kind = INTENT_CONTROL;
			e->control = c->control;
			e->id = control_names[c->control];
		}
	}
	for (size_t i = 0; i < m->n_entries; i++) {
		const struct script_entry *se =
			i < set->n_topics ? &set->topics[i] : &set->controls[i - set->n_topics];
		r = expand_entry(&b, set, se, &m->entries[i]);
		if (r != 0) {
			r = errf(err, errlen, -EINVAL,
				 "%s:%d: the templates of '%s' cannot be expanded (run talkleaf check)",
				 se->path ? se->path : "?", se->line, se->id);
			goto fail;
		}
	}
	words_sort(m, &b.words);
	/* Weights: log(1 + entries / entries using the word). */
	m->weight = xcalloc(m->n_words ? m->n_words : 1, sizeof(*m->weight));
	for (size_t w = 0; w < m->n_words; w++) {
		size_t df = 0;
		for (size_t i = 0; i < m->n_entries; i++)
			df += entry_uses(&m->entries[i], (int)w);
		m->weight[w] = log(1.0 + (double)m->n_entries / (double)(df ? df : 1));
	}
	for (size_t i = 0; i < m->n_entries; i++)
		for (size_t k = 0; k < m->entries[i].n_phrasings; k++) {
			struct phrasing *p = &m->entries[i].phrasings[k];
			for (size_t j = 0; j < p->n; j++)
				p->weight += m->weight[p->words[j]];
		}
	*out = m;
	return 0;
fail:
	strset_done(&b.words);
	intent_model_destroy(m);
	return r;
}

void intent_model_destroy(struct intent_model *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n_entries; i++) {
		struct entry *e = &m->entries[i];
		for (size_t k = 0; k < e->n_phrasings; k++)
			free(e->phrasings[k].words);
		free(e->phrasings);
		free(e->vocab);
	}
	free(m->entries);
	for (size_t w = 0; w < m->n_words; w++)
		free(m->words[w]);
	free(m->words);
	free(m->weight);
	free(m);
}

void intent_classify(const struct intent_model *m, const char *words, enum intent_expect expect,
		     struct intent_result *out)
{
	memset(out, 0, sizeof(*out));
	out->kind = INTENT_NONE;
	if (!words || !words[0] || !m->n_entries)
		return;
	char *copy = xstrdup(words);
	char *w[INTENT_MAX_WORDS];
	size_t n = split_words(copy, w, INTENT_MAX_WORDS);
	int ids[INTENT_MAX_WORDS];
	double wt[INTENT_MAX_WORDS];
	size_t n_ids = 0;
	double heard_weight = 0;
	for (size_t k = 0; k < n; k++) {
		int id = word_id(m, w[k]);
		bool dup = false;
		for (size_t j = 0; j < n_ids; j++)
			dup |= id >= 0 && ids[j] == id;
		if (dup)
			continue;
		ids[n_ids] = id;
		wt[n_ids] = id >= 0 ? m->weight[id] : INTENT_UNKNOWN_WEIGHT;
		heard_weight += wt[n_ids];
		n_ids++;
	}
	free(copy);
	if (heard_weight <= 0)
		return;

	size_t best = 0, second = 0;
	double best_score = -1, second_score = -1, best_precision = 0;
	for (size_t i = 0; i < m->n_entries; i++) {
		const struct entry *e = &m->entries[i];
		double explained = 0;
		for (size_t k = 0; k < n_ids; k++)
			if (entry_uses(e, ids[k]))
				explained += wt[k];
		double precision = explained / heard_weight;
		double recall = 0;
		for (size_t p = 0; p < e->n_phrasings && precision > 0; p++) {
			const struct phrasing *ph = &e->phrasings[p];
			if (ph->weight <= 0)
				continue;
			double got = 0;
			for (size_t j = 0; j < ph->n; j++)
				for (size_t k = 0; k < n_ids; k++)
					if (ids[k] == ph->words[j]) {
						got += wt[k];
						break;
					}
			if (got / ph->weight > recall)
				recall = got / ph->weight;
		}
		double score = precision + recall > 0 ? 2 * precision * recall / (precision + recall)
						      : 0;
		if (expect == INTENT_EXPECT_CONFIRM &&
		    !(e->kind == INTENT_CONTROL &&
		      (e->control == CONTROL_YES || e->control == CONTROL_NO)))
			score *= INTENT_CONFIRM_FACTOR;
		if (score > best_score) {
			second = best;
			second_score = best_score;
			best = i;
			best_score = score;
			best_precision = precision;
		} else if (score > second_score) {
			second = i;
			second_score = score;
		}
	}
	if (best_score <= 0)
		return;
	const struct entry *e = &m->entries[best];
	out->kind = e->kind;
	out->topic_id = e->kind == INTENT_TOPIC ? e->id : NULL;
	out->control = e->control;
	out->score = best_score;
	out->margin = best_score - (second_score > 0 ? second_score : 0);
	out->coverage = best_precision;
	out->second_id = m->n_entries > 1 && second != best ? m->entries[second].id : NULL;
	out->second_kind = out->second_id ? m->entries[second].kind : INTENT_NONE;
}

const char *intent_result_name(const struct intent_result *r, char *buf, size_t buflen)
{
	switch (r->kind) {
	case INTENT_TOPIC:
		snprintf(buf, buflen, "%s", r->topic_id);
		return buf;
	case INTENT_CONTROL:
		snprintf(buf, buflen, "control:%s", control_names[r->control]);
		return buf;
	case INTENT_NONE:
	default:
		return NULL;
	}
}
