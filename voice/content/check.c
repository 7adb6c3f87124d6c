#include "check.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "strset.h"

/* eSpeak NG's pause between sentences at the default rate is about this long. */
#define SENTENCE_PAUSE_SECONDS 0.4

size_t check_count_words(const char *s)
{
	size_t n = 0;
	bool in = false;
	for (; *s; s++) {
		bool w = isalnum((unsigned char)*s) || *s == '\'' || (unsigned char)*s >= 0x80;
		if (w && !in)
			n++;
		in = w;
	}
	return n;
}

double check_estimate_seconds(char *const *sentences, size_t n)
{
	size_t words = 0;
	for (size_t i = 0; i < n; i++)
		words += check_count_words(sentences[i]);
	return (double)words * 60.0 / CHECK_WORDS_PER_MINUTE + (double)n * SENTENCE_PAUSE_SECONDS;
}

/* The entry (and template) that first produced a phrase; entry NULL once its collision is
 * reported. */
struct phrase_owner {
	const struct script_entry *entry;
	const struct script_ask *ask;
};

/* Every phrase once, each with its first owner (owners[i] for phrases.s[i]). */
struct phrase_table {
	struct strset phrases;
	struct phrase_owner *owners;
	/* the entry being expanded */
	const struct script_entry *entry;
	const struct script_ask *ask;
	struct diag *d;
	size_t ambiguous;
	size_t reported;
};

/* Past this many, further ambiguous phrases are counted, not listed. */
#define MAX_AMBIGUITY_REPORTS 40

static int add_phrase(void *data, const char *phrase)
{
	struct phrase_table *t = data;
	size_t cap = t->phrases.cap;
	bool added;
	size_t i = strset_add(&t->phrases, phrase, &added);
	if (t->phrases.cap != cap)
		t->owners = xreallocarray(t->owners, t->phrases.cap, sizeof(*t->owners));
	if (added) {
		t->owners[i] = (struct phrase_owner){ t->entry, t->ask };
		return 0;
	}
	const struct script_entry *other = t->owners[i].entry;
	if (other != t->entry && other) {
		t->ambiguous++;
		if (t->reported++ < MAX_AMBIGUITY_REPORTS)
			diag_warning(t->d, t->ask->path, t->ask->line,
				     "ambiguous: \"%s\" is asked both for %s '%s' and for %s '%s' (%s:%d)",
				     phrase, t->entry->kind == SCRIPT_TOPIC ? "topic" : "control",
				     t->entry->id, other->kind == SCRIPT_TOPIC ? "topic" : "control",
				     other->id, t->owners[i].ask->path, t->owners[i].ask->line);
		/* Report each colliding phrase once. */
		t->owners[i].entry = NULL;
	}
	return 0;
}

/* Templates that expand past this are reported instead of listed: they would also swamp the
 * recogniser's search. */
#define MAX_PHRASINGS_PER_TEMPLATE 200000.0
/* And past this many in all, the rest are not compared, so check stays quick on any content. */
#define MAX_PHRASINGS_COMPARED 2000000.0

static void check_ambiguity(const struct script_set *set, struct diag *d, struct check_stats *st)
{
	struct phrase_table t = { .d = d };
	double compared = 0;
	size_t skipped = 0;
	const struct script_entry *groups[] = { set->topics, set->controls };
	size_t counts[] = { set->n_topics, set->n_controls };
	for (size_t g = 0; g < 2; g++)
		for (size_t i = 0; i < counts[g]; i++) {
			const struct script_entry *e = &groups[g][i];
			t.entry = e;
			for (size_t a = 0; a < e->n_asks; a++) {
				t.ask = &e->asks[a];
				double c = template_count(t.ask->tree, script_set_list_lookup, (void *)set);
				if (c > MAX_PHRASINGS_PER_TEMPLATE) {
					diag_warning(d, t.ask->path, t.ask->line,
						     "this template makes %.0f phrasings, too many to compare with the others (split it or use fewer optional words)",
						     c);
					continue;
				}
				if (compared + c > MAX_PHRASINGS_COMPARED) {
					if (!skipped++)
						diag_warning(d, t.ask->path, t.ask->line,
							     "over %.0f phrasings in all: this template and the rest are not compared for ambiguity",
							     MAX_PHRASINGS_COMPARED);
					continue;
				}
				compared += c;
				template_expand(t.ask->tree, script_set_list_lookup, (void *)set, add_phrase,
						&t);
			}
		}
	if (t.reported > MAX_AMBIGUITY_REPORTS)
		diag_warning(d, NULL, 0, "%zu more ambiguous phrasings not listed", t.reported - MAX_AMBIGUITY_REPORTS);
	st->phrasings = t.phrases.n;
	st->ambiguous = t.ambiguous;
	strset_done(&t.phrases);
	free(t.owners);
}

struct word_check {
	const struct lexicon *lex;
	const struct dictionary *dict;
	struct diag *d;
	const char *path; /* the template or list being read */
	int line;
	struct strset seen; /* the unknown words reported */
};

static void check_word(void *data, const char *word)
{
	struct word_check *w = data;
	if (dictionary_lookup(w->dict, word, 0) || (w->lex && lexicon_find(w->lex, word)))
		return;
	bool added;
	strset_add(&w->seen, word, &added);
	if (!added)
		return;
	/* Name the file, so a school adds the word to its own lexicon, not the installed one. */
	const char *file = w->lex && w->lex->add_to ? w->lex->add_to : "the lexicon";
	diag_warning(w->d, w->path, w->line,
		     "the recogniser does not know the word '%s' (add it to %s with a hear: line)",
		     word, file);
}

/* Each template's and each list's own words, once: a list used by many templates is read once,
 * not at every use. */
static void check_words(const struct script_set *set, const struct lexicon *lex,
			const struct dictionary *dict, struct diag *d, struct check_stats *st)
{
	struct word_check w = { .lex = lex, .dict = dict, .d = d };
	const struct script_entry *groups[] = { set->topics, set->controls };
	size_t counts[] = { set->n_topics, set->n_controls };
	for (size_t g = 0; g < 2; g++)
		for (size_t i = 0; i < counts[g]; i++)
			for (size_t a = 0; a < groups[g][i].n_asks; a++) {
				w.path = groups[g][i].asks[a].path;
				w.line = groups[g][i].asks[a].line;
				template_words(groups[g][i].asks[a].tree, NULL, NULL, check_word, &w);
			}
	for (size_t i = 0; i < set->n_lists; i++) {
		w.path = set->lists[i].path;
		w.line = set->lists[i].line;
		template_words(set->lists[i].tree, NULL, NULL, check_word, &w);
	}
	st->unknown_words = w.seen.n;
	strset_done(&w.seen);
}

static void check_sentences(const struct script_entry *e, char *const *s, const int *lines,
			    size_t n, struct diag *d, struct check_stats *st, size_t *words,
			    size_t *sentences)
{
	for (size_t i = 0; i < n; i++) {
		/* A say: line may hold more than one sentence; judge each. */
		const char *p = s[i];
		while (*p) {
			const char *end = p + strcspn(p, ".?!");
			char *one = xstrndup(p, (size_t)(end - p));
			size_t w = check_count_words(one);
			free(one);
			if (w) {
				*words += w;
				(*sentences)++;
				if (w > CHECK_MAX_SENTENCE_WORDS) {
					st->long_sentences++;
					diag_warning(d, e->path, lines[i],
						     "a sentence of %zu words is hard to follow by ear (keep it to %d or fewer)",
						     w, CHECK_MAX_SENTENCE_WORDS);
				}
			}
			p = *end ? end + 1 : end;
		}
	}
}

void check_content(const struct script_set *set, const struct lexicon *lex,
		   const struct dictionary *dict, struct diag *d, struct check_stats *st)
{
	memset(st, 0, sizeof(*st));
	check_ambiguity(set, d, st);

	if (dict)
		check_words(set, lex, dict, d, st);

	size_t words = 0, sentences = 0;
	for (size_t i = 0; i < set->n_topics; i++) {
		const struct script_entry *e = &set->topics[i];
		check_sentences(e, e->say, e->say_lines, e->n_say, d, st, &words, &sentences);
		check_sentences(e, e->more, e->more_lines, e->n_more, d, st, &words, &sentences);
		double secs = check_estimate_seconds(e->say, e->n_say);
		if (!e->clip && secs > CHECK_MAX_ANSWER_SECONDS) {
			st->long_answers++;
			diag_warning(d, e->path, e->say_line,
				     "the answer of '%s' takes about %.0f s to say (keep it under %.0f s; move the rest to more:)",
				     e->id, secs, CHECK_MAX_ANSWER_SECONDS);
		}
		double more = check_estimate_seconds(e->more, e->n_more);
		if (!e->more_clip && more > CHECK_MAX_ANSWER_SECONDS * 1.5) {
			st->long_answers++;
			diag_warning(d, e->path, e->more_line,
				     "the more: part of '%s' takes about %.0f s to say (keep it under %.0f s)",
				     e->id, more, CHECK_MAX_ANSWER_SECONDS * 1.5);
		}
	}
	st->words_per_sentence = sentences ? (double)words / (double)sentences : 0;
}
