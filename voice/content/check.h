/* The content checks beyond loading: phrases two entries both produce, words nobody can
 * pronounce, sentences too long to follow, answers too long to listen to. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "dictionary.h"
#include "lexicon.h"
#include "script.h"

struct language;

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

/* What check_language found (each also a line in d). */
struct check_language_stats {
	size_t missing;       /* topics, menus, prompts, controls not in the language's own folder */
	size_t untranslated;  /* titles and say: lines word for word the main language's */
	size_t asks_to_speak; /* keypad only: prompts and control titles asking to speak (errors) */
};

/* Compare `set`, language `lang`'s, with the main language's (`main_set` may be NULL: not
 * compared; nothing is compared when lang is main_lang): a warning at the main language's block
 * for each topic, menu or prompt the language lacks, at the block said instead for each prompt
 * or control taken from the main built-in scripts, at the language's line for each title or
 * say: line identical to the main language's. In a keypad-only language, an error at each
 * prompt line or control title asking the parent to speak (languages_text_asks_to_speak). */
void check_language(const struct script_set *set, const struct language *lang,
		    const struct script_set *main_set, const struct language *main_lang,
		    struct diag *d, struct check_language_stats *st);
/* True when e comes from lang's own folders, not from the main language's built-in ones it is
 * layered over (a school's language takes what it lacks from English: docs/languages.md). */
bool check_language_owns(const struct script_entry *e, const struct language *lang,
			 const struct language *main_lang);
