/* Pronunciations of words the stock dictionaries lack or get wrong, from lexicon/ text files (format in
 * lexicon/README.md), for the recogniser (CMU phones) and the synthesiser (respelling or eSpeak
 * NG phonemes). Read-only once loaded. */
#pragma once

#include <stddef.h>

#include "diag.h"

struct lexicon_entry {
	char *word;   /* lower case */
	char **hear;  /* CMU phone strings, "K AE M Z" */
	size_t n_hear;
	char *sounds_like; /* respelling for the synthesiser, or NULL */
	char *speak;       /* eSpeak NG phonemes for the synthesiser, or NULL */
	const char *path;
	int line;
};

struct lexicon {
	struct lexicon_entry *entries; /* sorted by word */
	size_t n_entries;
	char **files;
	size_t n_files;
	/* The file a new word goes into, for advice: the first file of the last folder read (the
	 * school's when there is one), or NULL when no folder had a file. */
	char *add_to;
};

/* The folder inside a --scripts folder that holds a school's own pronunciations. */
#define LEXICON_USER_SUBDIR "lexicon"

/* Load every *.txt in `dir`, then, when `extra_dir` is not NULL and holds a lexicon, its words
 * (replacing built-in entries of the same word). Problems go to `d` as "path:line: error: ...".
 * Returns 0, -EINVAL or -ENOENT; *out is owned by the caller: lexicon_destroy. */
int lexicon_load(const char *dir, const char *extra_dir, struct lexicon **out, struct diag *d);
/* lexicon_load of the built-in folder `dir` and, when the --scripts folder `user_scripts_dir`
 * (may be NULL) has a lexicon/ folder, of that folder too, so its words win. With a scripts
 * folder, add_to names a file in its lexicon/ folder (words.txt when there is none yet). */
int lexicon_load_with_scripts(const char *dir, const char *user_scripts_dir, struct lexicon **out,
			      struct diag *d);
void lexicon_destroy(struct lexicon *lex);
/* Parse one file's text and add its entries; for tests and fuzzing. */
int lexicon_parse_text(struct lexicon *lex, const char *path, const char *text, struct diag *d);
const struct lexicon_entry *lexicon_find(const struct lexicon *lex, const char *word);
/* True when every space-separated token of `phones` is a CMU phone (stress digits allowed). */
int lexicon_phones_valid(const char *phones);
