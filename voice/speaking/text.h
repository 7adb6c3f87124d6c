/* Script text made ready for the speech engine: numbers written as people say them (numbers.h:
 * phone numbers digit by digit and said again, times, dates, money, ordinals), lexicon words
 * replaced by their phonemes or respelling, markup and control characters made harmless, broken
 * UTF-8 made spaces. Pure string work (no eSpeak NG), so it can be fuzzed on its own
 * (tests/fuzz/text.c).
 *
 * The prepared text is plain text except for "[[...]]" around the lexicon's eSpeak NG phonemes:
 * outside them it is valid UTF-8 with no control characters and no "[", "]" or "_"; inside them
 * only printable ASCII other than "[" and "]". */
#pragma once

#include <stdbool.h>

#include "numbers.h"

struct lexicon;

/* The string for the engine to say for `text` (UTF-8, may be broken), with `lex` (may be NULL)
 * applied whole-word and case-insensitively, numbers written for an English voice. *phonemes is
 * set when the result holds [[ ]] phoneme input. Returns a new string owned by the caller
 * (free). */
char *text_prepare(const struct lexicon *lex, const char *text, bool *phonemes);

/* text_prepare with the numbers written for a voice of `language` (numbers.h). */
char *text_prepare_for(const struct lexicon *lex, const char *text,
		       enum numbers_language language, bool *phonemes);

/* The engine's phonemes for one clause of plain text at *pos; it moves *pos on (NULL after the
 * last clause). Returns NULL or "" for a clause without phonemes. */
typedef const char *(*text_clause_fn)(void *userdata, const void **pos);

/* The phonemes of `text` as text_prepare_for(language) would have it said: the lexicon's
 * `speak:` phonemes as they are, every other non-blank run (escaped as in text_prepare) through
 * `fn`, clause by clause; all joined by single spaces. Returns a new string owned by the caller
 * (free). */
char *text_to_phonemes(const struct lexicon *lex, const char *text,
		       enum numbers_language language, text_clause_fn fn, void *userdata);

/* True when `s` is empty or only white space (nothing to say). */
bool text_is_blank(const char *s);
