/* The installed languages: the main language (the scripts folder itself) and every sub-folder
 * holding a language.txt, each with its voice, whether it has a recogniser, and the folders its
 * scripts and pronunciations load from. The format is in docs/languages.md. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

struct lexicon;
struct script_set;

/* The file naming a language; the script loader skips it. */
#define LANGUAGES_FILE "language.txt"
/* The main language when its folder has no language.txt: today's English (SYNTH_VOICE_DEFAULT's
 * voice; content/ does not link the synthesiser, so test_languages checks they agree). */
#define LANGUAGES_DEFAULT_CODE "en"
#define LANGUAGES_DEFAULT_NAME "English"
#define LANGUAGES_DEFAULT_VOICE "en+f3"

struct language {
	char *code;       /* "en", "pl" */
	char *name;       /* its own name: "English", "Polski" */
	char *voice;      /* eSpeak NG voice */
	bool recognition; /* false: keypad only */
	char **speaking_words; /* words asking the parent to speak, as written (speaking-words:) */
	size_t n_speaking_words;
	char *builtin_dir; /* script_set_load's builtin_dir for this language */
	char *user_dir;    /* its user_dir, or NULL */
	char *lexicon_builtin_dir; /* the language's built-in lexicon folder or NULL (main: lexicon/) */
	char *lexicon_user_dir;    /* scripts folder whose lexicon/ adds words, or NULL */
	const char *path; /* its language.txt (owned here), NULL for a default main language */
	int line;         /* the line of its language: field, 0 for a default main language */
	int speaking_words_line; /* the line of speaking-words:, or 0 */
	int recognition_line;    /* the line of recognition:, or 0 */
	int voice_line;          /* the line of voice:, or 0 */
};

/* items[0] is the main language, then the others by code. Owned by the caller. */
struct languages {
	struct language *items;
	size_t n;
};

/* Find the installed languages. Without user_dir: builtin_dir's main language and every
 * sub-folder of builtin_dir with a language.txt. With user_dir: user_dir's main language and
 * user_dir's language sub-folders only (each layered over builtin_dir/CODE when it exists, else
 * over builtin_dir). Every problem goes to d as "path:line: error: ..." (all of them, then it
 * fails). Returns 0 and *out, or -EINVAL (errors in d) / -ENOENT (a folder cannot be read) with
 * *out NULL. */
int languages_find(const char *builtin_dir, const char *user_dir, struct languages **out,
		   struct diag *d);
void languages_destroy(struct languages *langs);
/* The language with this code, or NULL. */
const struct language *languages_find_code(const struct languages *langs, const char *code);

/* Parse one language.txt's text into lang (zeroed by the caller; languages_language_done frees
 * it), reporting problems in d at path:line. `main` allows recognition: en. Returns 0 or -EINVAL.
 * For tests and fuzzing; languages_find uses it. */
int languages_parse_text(struct language *lang, const char *path, const char *text, bool main,
			 struct diag *d);
void languages_language_done(struct language *lang);

/* The installed languages' codes, "en, pl", into buf (cut short when it does not fit): for the
 * message that names them when a code is not installed. */
void languages_codes(const struct languages *langs, char *buf, size_t len);

/* script_set_load of this language's folders, as a keypad-only set when it has no recogniser
 * (script_set_load_flags). Returns as script_set_load. */
int languages_load_set(const struct language *lang, struct script_set **out, struct diag *d);

/* The language's pronunciations: its built-in lexicon folder and its scripts folder's lexicon/
 * (lexicon_load_with_scripts), either or both absent (an empty lexicon). Returns as
 * lexicon_load; *out is the caller's (lexicon_destroy). */
int languages_load_lexicon(const struct language *lang, struct lexicon **out, struct diag *d);

/* True when `text` contains a word that asks the parent to speak: one of lang's speaking-words
 * or the English "say", "speak", "ask", "tell me" (whole words, ASCII case ignored). *word gets
 * the word found (a static or lang-owned string). */
bool languages_text_asks_to_speak(const struct language *lang, const char *text,
				  const char **word);
