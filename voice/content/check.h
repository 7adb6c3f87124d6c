/* The content checks beyond loading: phrases two entries both produce, words nobody can
 * pronounce, sentences too long to follow, answers too long to listen to. */
#pragma once

#include <stddef.h>

#include "diag.h"
#include "dictionary.h"
#include "lexicon.h"
#include "script.h"

struct check_stats {
	size_t phrasings;         /* distinct phrasings over all topics and controls */
	size_t ambiguous;         /* phrasings produced by two entries */
	size_t unknown_words;
	size_t long_sentences;
	size_t long_answers;
	double words_per_sentence; /* average over all say: and more: sentences of topics */
};

/* Words a minute used to estimate how long an answer takes to say (the default speaking rate). */
#define CHECK_WORDS_PER_MINUTE 140.0
#define CHECK_MAX_SENTENCE_WORDS 20
#define CHECK_MAX_ANSWER_SECONDS 20.0

/* Add a warning to `d` for every problem found; `dict` may be NULL (unknown words unchecked).
 * Fills *stats. */
void check_content(const struct script_set *set, const struct lexicon *lex,
		   const struct dictionary *dict, struct diag *d, struct check_stats *stats);

/* Seconds an answer takes at CHECK_WORDS_PER_MINUTE, with a pause between sentences. */
double check_estimate_seconds(char *const *sentences, size_t n);
/* Number of words in a sentence. */
size_t check_count_words(const char *s);
