/* The recogniser's vocabulary and the task dictionary: every word it can hear, each with its
 * pronunciations from the lexicon, the dictionary, the speakers' accent or eSpeak NG. */
#include "recogniser_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

/* How many common English words form the open vocabulary unless configured. */
#define OPEN_WORDS_DEFAULT 1000
/* At most this many of a word's dictionary pronunciations go into the task dictionary. */
#define DICT_MAX_ALTS 8

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void vocab_add(struct vocab *v, const char *w)
{
	if (v->n == v->cap)
		v->words = xreallocarray(v->words, v->cap = v->cap ? v->cap * 2 : 1024,
					 sizeof(*v->words));
	v->words[v->n++] = xstrdup(w);
}

void vocab_sort(struct vocab *v)
{
	if (!v->n)
		return;
	qsort(v->words, v->n, sizeof(*v->words), str_cmp);
	size_t w = 0;
	for (size_t r = 1; r < v->n; r++) {
		if (strcmp(v->words[r], v->words[w]))
			v->words[++w] = v->words[r];
		else
			free(v->words[r]);
	}
	v->n = w + 1;
}

bool vocab_find(const struct vocab *v, const char *w, size_t *index)
{
	char **found = v->n ? bsearch(&w, v->words, v->n, sizeof(*v->words), str_cmp) : NULL;
	if (found && index)
		*index = (size_t)(found - v->words);
	return found;
}

bool vocab_has(const struct vocab *v, const char *w)
{
	return vocab_find(v, w, NULL);
}

void vocab_done(struct vocab *v)
{
	for (size_t i = 0; i < v->n; i++)
		free(v->words[i]);
	free(v->words);
	memset(v, 0, sizeof(*v));
}

size_t vocab_open_words_count(const struct recogniser_config *config)
{
	size_t n = config->open_words > 0 ? (size_t)config->open_words : OPEN_WORDS_DEFAULT;
	return n > recogniser_n_open_words ? recogniser_n_open_words : n;
}

/* Copy CMU phones without stress digits, upper case, single spaces. */
static void phones_normalise(const char *in, char *out, size_t len)
{
	size_t o = 0;
	bool space = false;
	for (const char *p = in; *p && o + 2 < len; p++) {
		if (*p == ' ' || *p == '\t') {
			space = o > 0;
			continue;
		}
		if (*p >= '0' && *p <= '9')
			continue;
		if (space) {
			out[o++] = ' ';
			space = false;
		}
		out[o++] = (char)(*p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p);
	}
	out[o] = '\0';
}

/* Whether one of `word`'s dictionary pronunciations is `phones` (normalised). */
static bool dictionary_has_phones(const struct dictionary *dict, const char *word,
				  const char *phones)
{
	char p[512];
	for (size_t alt = 0; alt < DICT_MAX_ALTS; alt++) {
		const char *d = dictionary_lookup(dict, word, alt);
		if (!d)
			break;
		phones_normalise(d, p, sizeof(p));
		if (!strcmp(p, phones))
			return true;
	}
	return false;
}

static void dict_line(FILE *f, const char *word, size_t alt, const char *phones)
{
	if (alt)
		fprintf(f, "%s(%zu) %s\n", word, alt + 1, phones);
	else
		fprintf(f, "%s %s\n", word, phones);
}

/* The lexicon's "hear:" pronunciations of `w`, or else the dictionary's, or none; how many. */
static size_t pronunciations_known(FILE *f, const char *w, const struct lexicon_entry *le,
				   const struct dictionary *dict)
{
	char phones[512];
	size_t n_prons = 0;
	if (le && le->n_hear) {
		for (size_t k = 0; k < le->n_hear; k++) {
			phones_normalise(le->hear[k], phones, sizeof(phones));
			dict_line(f, w, n_prons, phones);
			n_prons++;
		}
		return n_prons;
	}
	for (size_t alt = 0; !n_prons || alt < DICT_MAX_ALTS; alt++) {
		const char *p = dictionary_lookup(dict, w, alt);
		if (!p)
			break;
		phones_normalise(p, phones, sizeof(phones));
		dict_line(f, w, n_prons, phones);
		n_prons++;
	}
	return n_prons;
}

int pronunciations_write(FILE *f, struct vocab *v, const struct vocab *domain,
			 const struct dictionary *dict, const struct lexicon *lex,
			 const struct recogniser_config *config, struct diag *warnings)
{
	size_t keep = 0;
	char phones[512];
	/* The file a school would edit: its own lexicon's when it has a scripts folder. */
	const char *lexicon_file = lex && lex->add_to ? lex->add_to : "the lexicon";
	for (size_t i = 0; i < v->n; i++) {
		const char *w = v->words[i];
		const struct lexicon_entry *le = lex ? lexicon_find(lex, w) : NULL;
		size_t n_prons = pronunciations_known(f, w, le, dict);
		bool from_dict = n_prons && !(le && le->n_hear);
		/* British speakers drop the R after a vowel, which cmudict (American) keeps. Only
		 * the scripts' own words: the open vocabulary is there to catch, not to match. */
		if (from_dict && config->accent && vocab_has(domain, w) &&
		    config->accent(config->pronounce_data, w, phones, sizeof(phones)) == 0) {
			char norm[512];
			phones_normalise(phones, norm, sizeof(norm));
			if (norm[0] && !dictionary_has_phones(dict, w, norm)) {
				dict_line(f, w, n_prons, norm);
				n_prons++;
			}
		}
		if (!n_prons && config->pronounce &&
		    config->pronounce(config->pronounce_data, w, phones, sizeof(phones)) == 0 &&
		    phones[0]) {
			char norm[512];
			phones_normalise(phones, norm, sizeof(norm));
			fprintf(f, "%s %s\n", w, norm);
			n_prons++;
			if (warnings && vocab_has(domain, w))
				diag_warning(warnings, NULL, 0,
					     "'%s' is not in the recogniser's dictionary: using the generated pronunciation '%s' (add a 'hear:' line to %s if it is wrong)",
					     w, norm, lexicon_file);
		}
		if (!n_prons) {
			if (warnings && vocab_has(domain, w))
				diag_warning(warnings, NULL, 0,
					     "'%s' has no pronunciation, so it cannot be heard (add it to %s with a 'hear:' line)",
					     w, lexicon_file);
			free(v->words[i]);
			continue;
		}
		v->words[keep++] = v->words[i];
	}
	v->n = keep;
	return ferror(f) ? -EIO : 0;
}
