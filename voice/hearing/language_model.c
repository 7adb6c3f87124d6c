/* The language models the recogniser writes at start-up: every phrasing of the scripts (the
 * corpus), a trigram model estimated from it (interpolated Witten-Bell) with an open vocabulary of
 * common English words beside it, written as an ARPA file; and the neutral unigram model that
 * favours no sentence of the leaflet. */
#include "recogniser_internal.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "strset.h"

/* At most this many phrasings per entry go into the language model (a template with lists can
 * expand to millions; every k-th phrasing keeps the variety). */
#define LM_MAX_PHRASINGS_PER_ENTRY 4000
/* An entry with few phrasings counts each several times (at least this much in all): Witten-Bell
 * needs real counts, or its sentences are smoothed away (docs/recognition-tuning.md). */
#define LM_MIN_ENTRY_COUNT 30.0
/* Share of the unigram probability mass given to the open vocabulary of common words. */
#define LM_OPEN_VOCAB_MASS 0.10
/* The rank among common English words the neutral model gives a leaflet word that is not one of
 * them: a moderately common word. */
#define NEUTRAL_DOMAIN_RANK 300
/* Words in a sentence counted; longer ones are cut. */
#define LM_MAX_SENTENCE_WORDS 64

/* ---- the corpus: every phrasing, per entry --------------------------------------------------- */

static int corpus_add_phrase(void *data, const char *phrase)
{
	struct corpus_entry *e = data;
	if (e->n == e->cap)
		e->phrases = xreallocarray(e->phrases, e->cap = e->cap ? e->cap * 2 : 64,
					   sizeof(*e->phrases));
	e->phrases[e->n++] = xstrdup(phrase);
	return 0;
}

void corpus_done(struct corpus *c)
{
	for (size_t i = 0; i < c->n; i++) {
		for (size_t j = 0; j < c->entries[i].n; j++)
			free(c->entries[i].phrases[j]);
		free(c->entries[i].phrases);
	}
	free(c->entries);
	memset(c, 0, sizeof(*c));
}

static int corpus_add_entry(struct corpus *c, const struct script_set *set,
			    const struct script_entry *entry)
{
	c->entries = xreallocarray(c->entries, c->n + 1, sizeof(*c->entries));
	struct corpus_entry *e = &c->entries[c->n++];
	memset(e, 0, sizeof(*e));
	return script_entry_sample(set, entry, LM_MAX_PHRASINGS_PER_ENTRY, corpus_add_phrase, e);
}

int corpus_build(struct corpus *c, const struct script_set *set)
{
	int r = 0;
	for (size_t i = 0; r >= 0 && i < set->n_topics; i++)
		r = corpus_add_entry(c, set, &set->topics[i]);
	for (size_t i = 0; r >= 0 && i < set->n_controls; i++)
		r = corpus_add_entry(c, set, &set->controls[i]);
	return r < 0 ? r : 0;
}

void corpus_words(const struct corpus *c, struct vocab *v)
{
	struct strset words = { 0 }; /* each word once, not every occurrence */
	for (size_t i = 0; i < c->n; i++)
		for (size_t j = 0; j < c->entries[i].n; j++) {
			char *copy = xstrdup(c->entries[i].phrases[j]);
			char *save = NULL;
			for (char *t = strtok_r(copy, " ", &save); t; t = strtok_r(NULL, " ", &save))
				strset_add(&words, t, NULL);
			free(copy);
		}
	for (size_t i = 0; i < words.n; i++)
		vocab_add(v, words.s[i]);
	strset_done(&words);
	vocab_sort(v);
}

/* ---- n-gram counting and the ARPA file ------------------------------------------------------- */

struct ngram {
	char *text; /* "w1 w2 w3" */
	double count;
};

/* N-grams and their counts. While counting, each n-gram is kept once (`texts`, in the order first
 * added, with its count in `counts`), not at every occurrence; ngram_table_sort moves them into
 * `items`, sorted by text, for looking up and writing. */
struct ngram_table {
	struct strset texts;
	double *counts;
	struct ngram *items;
	size_t n; /* items */
};

static void ngram_table_add(struct ngram_table *t, const char *text, double count)
{
	bool added;
	size_t cap = t->texts.cap;
	size_t i = strset_add(&t->texts, text, &added);
	if (t->texts.cap != cap || !t->counts)
		t->counts = xreallocarray(t->counts, t->texts.cap, sizeof(*t->counts));
	t->counts[i] = added ? count : t->counts[i] + count;
}

static int ngram_cmp(const void *a, const void *b)
{
	return strcmp(((const struct ngram *)a)->text, ((const struct ngram *)b)->text);
}

/* The n-grams counted since the last sort join the items, sorted; one counted both before and
 * after that sort gets both counts, the earlier first (qsort here is glibc's merge sort). */
static void ngram_table_sort(struct ngram_table *t)
{
	size_t n_new;
	char **texts = strset_take(&t->texts, &n_new);
	if (n_new) {
		t->items = xreallocarray(t->items, t->n + n_new, sizeof(*t->items));
		for (size_t i = 0; i < n_new; i++)
			t->items[t->n + i] = (struct ngram){ texts[i], t->counts[i] };
		t->n += n_new;
	}
	free(texts);
	free(t->counts);
	t->counts = NULL;
	if (!t->n)
		return;
	qsort(t->items, t->n, sizeof(*t->items), ngram_cmp);
	size_t w = 0;
	for (size_t r = 1; r < t->n; r++) {
		if (!strcmp(t->items[r].text, t->items[w].text)) {
			t->items[w].count += t->items[r].count;
			free(t->items[r].text);
		} else {
			t->items[++w] = t->items[r];
		}
	}
	t->n = w + 1;
}

static const struct ngram *ngram_table_find(const struct ngram_table *t, const char *text)
{
	struct ngram key = { .text = (char *)text };
	if (!t->n) /* bsearch may not be given a NULL array, even empty */
		return NULL;
	return bsearch(&key, t->items, t->n, sizeof(*t->items), ngram_cmp);
}

static void ngram_table_done(struct ngram_table *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->items[i].text);
	free(t->items);
	strset_done(&t->texts);
	free(t->counts);
	memset(t, 0, sizeof(*t));
}

/* Probabilities of an order (Witten-Bell, interpolated): for each n-gram its log10 probability,
 * and for each history its log10 backoff weight T/(c+T). */
struct lm_order {
	struct ngram_table grams; /* count replaced by log10 p after lm_estimate */
	struct ngram_table hist;  /* history "w1 w2" -> log10 backoff */
};

struct lm {
	struct lm_order o[3];
};

/* log10 p(words) at `order` (1-based number of words in `words`), backing off as needed. */
static double lm_prob_lower(const struct lm *lm, int order, const char *words)
{
	const struct ngram *g = ngram_table_find(&lm->o[order - 1].grams, words);
	if (g)
		return g->count;
	if (order == 1)
		return -99.0;
	/* Back off: bow(history) + p(suffix). */
	const char *sp = strchr(words, ' ');
	char *hist = xstrndup(words, (size_t)(strrchr(words, ' ') - words));
	const struct ngram *h = ngram_table_find(&lm->o[order - 2].hist, hist);
	free(hist);
	double bow = h ? h->count : 0.0;
	return bow + lm_prob_lower(lm, order - 1, sp + 1);
}

/* Estimate order `n` (2 or 3) from its counts and the lower orders. */
static void lm_estimate(struct lm *lm, int n)
{
	struct ngram_table *g = &lm->o[n - 1].grams;
	struct ngram_table *hist = &lm->o[n - 2].hist;
	size_t i = 0;
	while (i < g->n) {
		const char *last = strrchr(g->items[i].text, ' ');
		size_t hlen = (size_t)(last - g->items[i].text);
		size_t j = i;
		double c = 0;
		while (j < g->n && !strncmp(g->items[j].text, g->items[i].text, hlen) &&
		       g->items[j].text[hlen] == ' ' && !strchr(g->items[j].text + hlen + 1, ' ')) {
			c += g->items[j].count;
			j++;
		}
		double types = (double)(j - i);
		char *h = xstrndup(g->items[i].text, hlen);
		for (size_t k = i; k < j; k++) {
			double plow = pow(10.0, lm_prob_lower(lm, n - 1, strchr(g->items[k].text, ' ') + 1));
			g->items[k].count = log10((g->items[k].count + types * plow) / (c + types));
		}
		ngram_table_add(hist, h, log10(types / (c + types)));
		free(h);
		i = j;
	}
	ngram_table_sort(hist);
}

/* Add the n-grams of one sentence (with <s> and </s>) weighted by w. */
static void lm_count_sentence(struct lm *lm, const char *sentence, double w)
{
	char *words[LM_MAX_SENTENCE_WORDS];
	size_t n = 0;
	char *copy = xasprintf("<s> %s </s>", sentence);
	char *save = NULL;
	for (char *tok = strtok_r(copy, " ", &save); tok && n < LM_MAX_SENTENCE_WORDS;
	     tok = strtok_r(NULL, " ", &save))
		words[n++] = tok;
	char buf[512];
	for (size_t i = 0; i < n; i++) {
		for (int order = 1; order <= 3 && i + 1 >= (size_t)order; order++) {
			buf[0] = '\0';
			for (size_t k = i + 1 - (size_t)order; k <= i; k++) {
				if (k > i + 1 - (size_t)order)
					strncat(buf, " ", sizeof(buf) - strlen(buf) - 1);
				strncat(buf, words[k], sizeof(buf) - strlen(buf) - 1);
			}
			if (order == 1 && i == 0)
				continue; /* <s> has no unigram probability of its own */
			ngram_table_add(&lm->o[order - 1].grams, buf, w);
		}
	}
	free(copy);
}

static void lm_done(struct lm *lm)
{
	for (int i = 0; i < 3; i++) {
		ngram_table_done(&lm->o[i].grams);
		ngram_table_done(&lm->o[i].hist);
	}
}

int lm_write_arpa(const struct corpus *c, const char *const *open, size_t n_open,
		  double open_mass, const char *path)
{
	struct lm lm;
	memset(&lm, 0, sizeof(lm));
	if (!(open_mass > 0))
		open_mass = LM_OPEN_VOCAB_MASS;
	for (size_t i = 0; i < c->n; i++)
		for (size_t j = 0; j < c->entries[i].n; j++)
			lm_count_sentence(&lm, c->entries[i].phrases[j],
					  fmax(1.0, LM_MIN_ENTRY_COUNT / (double)c->entries[i].n));
	for (int o = 0; o < 3; o++)
		ngram_table_sort(&lm.o[o].grams);

	/* Unigrams: the domain share, plus an equal share of open_mass for each open word. */
	struct ngram_table *u = &lm.o[0].grams;
	double total = 0;
	for (size_t i = 0; i < u->n; i++)
		total += u->items[i].count;
	for (size_t i = 0; i < u->n; i++)
		u->items[i].count = (1.0 - open_mass) * u->items[i].count / total;
	for (size_t i = 0; i < n_open; i++)
		ngram_table_add(u, open[i], open_mass / (double)n_open);
	ngram_table_sort(u); /* an open word the domain also uses gets both shares */
	for (size_t i = 0; i < u->n; i++)
		u->items[i].count = log10(u->items[i].count);
	lm_estimate(&lm, 2);
	lm_estimate(&lm, 3);

	FILE *f = fopen(path, "w");
	if (!f) {
		lm_done(&lm);
		return -EIO;
	}
	fprintf(f, "\\data\\\nngram 1=%zu\nngram 2=%zu\nngram 3=%zu\n\n\\1-grams:\n", u->n + 1,
		lm.o[1].grams.n, lm.o[2].grams.n);
	const struct ngram *hs = ngram_table_find(&lm.o[0].hist, "<s>");
	fprintf(f, "-99.0000 <s> %.4f\n", hs ? hs->count : 0.0);
	for (size_t i = 0; i < u->n; i++) {
		const struct ngram *h = ngram_table_find(&lm.o[0].hist, u->items[i].text);
		fprintf(f, "%.4f %s %.4f\n", u->items[i].count, u->items[i].text,
			h ? h->count : 0.0);
	}
	fprintf(f, "\n\\2-grams:\n");
	for (size_t i = 0; i < lm.o[1].grams.n; i++) {
		const struct ngram *h = ngram_table_find(&lm.o[1].hist, lm.o[1].grams.items[i].text);
		fprintf(f, "%.4f %s %.4f\n", lm.o[1].grams.items[i].count, lm.o[1].grams.items[i].text,
			h ? h->count : 0.0);
	}
	fprintf(f, "\n\\3-grams:\n");
	for (size_t i = 0; i < lm.o[2].grams.n; i++)
		fprintf(f, "%.4f %s\n", lm.o[2].grams.items[i].count, lm.o[2].grams.items[i].text);
	fprintf(f, "\n\\end\\\n");
	int bad = ferror(f);
	bad |= fclose(f);
	lm_done(&lm);
	return bad ? -EIO : 0;
}

/* ---- the neutral model ----------------------------------------------------------------------- */

/* Zipf-fashion: a word's probability falls with its rank. No sentence of the leaflet is favoured,
 * so what this search hears is what the sound says, not what the leaflet expects. */
int lm_write_neutral(const struct vocab *all, const char *const *open, size_t n_open,
		     int domain_rank, const char *path)
{
	double *p = xcalloc(all->n ? all->n : 1, sizeof(*p));
	if (domain_rank <= 0)
		domain_rank = NEUTRAL_DOMAIN_RANK;
	for (size_t i = 0; i < all->n; i++)
		p[i] = 1.0 / (domain_rank + 10.0);
	for (size_t k = 0; k < n_open; k++) {
		size_t w;
		if (vocab_find(all, open[k], &w))
			p[w] = 1.0 / ((double)k + 10.0);
	}
	double total = 0;
	for (size_t i = 0; i < all->n; i++)
		total += p[i];
	FILE *f = fopen(path, "w");
	if (!f) {
		free(p);
		return -EIO;
	}
	fprintf(f, "\\data\\\nngram 1=%zu\n\n\\1-grams:\n", all->n + 2);
	fprintf(f, "-99.0000 <s>\n");
	fprintf(f, "%.4f </s>\n", log10(0.1));
	for (size_t i = 0; i < all->n; i++)
		fprintf(f, "%.4f %s\n", log10(0.9 * p[i] / total), all->words[i]);
	fprintf(f, "\n\\end\\\n");
	free(p);
	return fclose(f) ? -EIO : 0;
}
