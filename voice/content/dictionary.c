#include "dictionary.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "textfile.h"

struct dict_word {
	const char *word; /* points into text */
	const char *phones;
	unsigned alt;
};

struct dictionary {
	char *text;
	struct dict_word *words;
	size_t n_words;
};

static int cmp_word(const void *a, const void *b)
{
	const struct dict_word *x = a, *y = b;
	int c = strcmp(x->word, y->word);
	return c ? c : (x->alt > y->alt) - (x->alt < y->alt);
}

int dictionary_load(const char *path, struct dictionary **out, char *err, size_t errlen)
{
	*out = NULL;
	char *text;
	int r = textfile_read(path, &text);
	if (r < 0)
		return errf(err, errlen, r == -ENOENT ? -ENOENT : -EIO,
			    "%s: cannot read the recogniser dictionary: %s (install pocketsphinx-en-us)",
			    path, strerror(-r));
	struct dictionary *dict = xcalloc(1, sizeof(*dict));
	dict->text = text;
	size_t cap = 0;
	for (char *line = text; line && *line;) {
		char *nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		char *sp = strpbrk(line, " \t");
		if (sp && sp != line) {
			*sp = '\0';
			char *phones = sp + 1;
			while (*phones == ' ' || *phones == '\t')
				phones++;
			unsigned alt = 0;
			char *paren = strchr(line, '(');
			if (paren) {
				alt = (unsigned)atoi(paren + 1);
				alt = alt > 1 ? alt - 1 : 0;
				*paren = '\0';
			}
			if (dict->n_words == cap)
				dict->words = xreallocarray(dict->words, cap = cap ? cap * 2 : 65536,
							    sizeof(*dict->words));
			dict->words[dict->n_words++] = (struct dict_word){ line, phones, alt };
		}
		line = nl ? nl + 1 : NULL;
	}
	if (dict->n_words == 0) {
		dictionary_destroy(dict);
		return errf(err, errlen, -EIO, "%s: no words in the recogniser dictionary", path);
	}
	qsort(dict->words, dict->n_words, sizeof(*dict->words), cmp_word);
	*out = dict;
	return 0;
}

void dictionary_destroy(struct dictionary *dict)
{
	if (!dict)
		return;
	free(dict->words);
	free(dict->text);
	free(dict);
}

const char *dictionary_lookup(const struct dictionary *dict, const char *word, size_t alt)
{
	struct dict_word key = { word, NULL, (unsigned)alt };
	const struct dict_word *w = dict->n_words ?
		bsearch(&key, dict->words, dict->n_words, sizeof(key), cmp_word) : NULL;
	return w ? w->phones : NULL;
}

size_t dictionary_size(const struct dictionary *dict)
{
	return dict->n_words;
}
