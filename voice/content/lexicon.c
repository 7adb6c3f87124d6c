#include "lexicon.h"

#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "paths.h"
#include "textfile.h"

static const char *const cmu_phones[] = {
	"AA", "AE", "AH", "AO", "AW", "AY", "B",  "CH", "D",  "DH", "EH", "ER", "EY", "F",
	"G",  "HH", "IH", "IY", "JH", "K",  "L",  "M",  "N",  "NG", "OW", "OY", "P",  "R",
	"S",  "SH", "T",  "TH", "UH", "UW", "V",  "W",  "Y",  "Z",  "ZH", NULL,
};

int lexicon_phones_valid(const char *phones)
{
	size_t count = 0;
	const char *p = phones;
	while (*p) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		const char *start = p;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		size_t len = (size_t)(p - start);
		/* Stress digits from cmudict copies are accepted and ignored. */
		if (len > 1 && isdigit((unsigned char)start[len - 1]))
			len--;
		bool ok = false;
		for (const char *const *c = cmu_phones; *c && !ok; c++)
			ok = strlen(*c) == len && strncmp(*c, start, len) == 0;
		if (!ok)
			return 0;
		count++;
	}
	return count > 0;
}

void lexicon_destroy(struct lexicon *lex)
{
	if (!lex)
		return;
	for (size_t i = 0; i < lex->n_entries; i++) {
		struct lexicon_entry *e = &lex->entries[i];
		free(e->word);
		for (size_t h = 0; h < e->n_hear; h++)
			free(e->hear[h]);
		free(e->hear);
		free(e->sounds_like);
		free(e->speak);
	}
	free(lex->entries);
	for (size_t i = 0; i < lex->n_files; i++)
		free(lex->files[i]);
	free(lex->files);
	free(lex->add_to);
	free(lex);
}

static bool valid_word(const char *w)
{
	if (!*w)
		return false;
	for (; *w; w++)
		if (!(islower((unsigned char)*w) || isdigit((unsigned char)*w) || *w == '\'' ||
		      (unsigned char)*w >= 0x80))
			return false;
	return true;
}

static void entry_check(struct diag *d, const struct lexicon_entry *e)
{
	if (e && !e->n_hear && !e->sounds_like && !e->speak)
		diag_error(d, e->path, e->line,
			   "word '%s' has no hear:, sounds-like: or speak: line (add one)", e->word);
}

int lexicon_parse_text(struct lexicon *lex, const char *path, const char *text, struct diag *d)
{
	size_t before = d->n_errors;
	lex->files = xreallocarray(lex->files, lex->n_files + 1, sizeof(*lex->files));
	const char *p = lex->files[lex->n_files++] = xstrdup(path);
	char *copy = xstrdup(text);
	struct textfile_line *lines;
	size_t n = textfile_lines(copy, p, d, &lines);
	/* Index, not pointer: the array moves as it grows. */
	long cur = -1;
	for (size_t i = 0; i < n; i++) {
		const struct textfile_line *l = &lines[i];
		struct lexicon_entry *e = cur >= 0 ? &lex->entries[cur] : NULL;
		if (!l->field) {
			diag_error(d, p, l->number, "line has no 'field:' (write 'word: ...' or 'hear: ...')");
			continue;
		}
		if (!*l->value) {
			diag_error(d, p, l->number, "empty '%s:' (write something after the colon)",
				   l->field);
			continue;
		}
		if (strcmp(l->field, "word") == 0) {
			entry_check(d, e);
			char *w = xstrdup(l->value);
			for (char *c = w; *c; c++)
				*c = (char)tolower((unsigned char)*c);
			if (!valid_word(w)) {
				diag_error(d, p, l->number,
					   "'%s' is not one word (use letters, digits and apostrophes)", w);
			}
			lex->entries = xreallocarray(lex->entries, lex->n_entries + 1,
						     sizeof(*lex->entries));
			cur = (long)lex->n_entries++;
			lex->entries[cur] = (struct lexicon_entry){ .word = w, .path = p, .line = l->number };
			continue;
		}
		if (!e) {
			diag_error(d, p, l->number, "'%s:' comes before any 'word:' line", l->field);
			continue;
		}
		if (strcmp(l->field, "hear") == 0) {
			if (!lexicon_phones_valid(l->value)) {
				diag_error(d, p, l->number,
					   "'%s' is not a list of CMU phones (see lexicon/README.md for the phone set)",
					   l->value);
				continue;
			}
			e->hear = xreallocarray(e->hear, e->n_hear + 1, sizeof(*e->hear));
			e->hear[e->n_hear++] = xstrdup(l->value);
		} else if (strcmp(l->field, "sounds-like") == 0 || strcmp(l->field, "speak") == 0) {
			char **slot = l->field[0] == 's' && l->field[1] == 'o' ? &e->sounds_like : &e->speak;
			if (*slot) {
				diag_error(d, p, l->number, "second '%s:' for word '%s'", l->field, e->word);
				continue;
			}
			*slot = xstrdup(l->value);
		} else {
			diag_error(d, p, l->number,
				   "unknown field '%s' (expected word, hear, sounds-like or speak)", l->field);
		}
	}
	entry_check(d, cur >= 0 ? &lex->entries[cur] : NULL);
	free(lines);
	free(copy);
	return d->n_errors > before ? -EINVAL : 0;
}

static int cmp_entry(const void *a, const void *b)
{
	const struct lexicon_entry *x = a, *y = b;
	return strcmp(x->word, y->word);
}

static int load_dir(struct lexicon *lex, const char *dir, struct diag *d)
{
	char **files;
	int n = textfile_list_dir(dir, &files);
	if (n < 0) {
		diag_error(d, dir, 0, "cannot read the lexicon folder: %s", strerror(-n));
		return -ENOENT;
	}
	for (int i = 0; i < n; i++) {
		char *text;
		int r = textfile_read(files[i], &text);
		if (r < 0) {
			diag_error(d, files[i], 0, "cannot read: %s", textfile_read_error(r));
			continue;
		}
		lexicon_parse_text(lex, files[i], text, d);
		free(text);
	}
	if (n > 0) {
		free(lex->add_to);
		lex->add_to = xstrdup(files[0]);
	}
	textfile_free_list(files, (size_t)n);
	return 0;
}

int lexicon_load(const char *dir, const char *extra_dir, struct lexicon **out, struct diag *d)
{
	struct lexicon *lex = xcalloc(1, sizeof(*lex));
	size_t before = d->n_errors;
	int r = load_dir(lex, dir, d);
	size_t builtin = lex->n_entries;
	if (r == 0 && extra_dir)
		r = load_dir(lex, extra_dir, d);
	/* Duplicates within one folder are mistakes; a later folder's word replaces the built-in. */
	for (size_t i = 0; i < lex->n_entries; i++)
		for (size_t j = 0; j < i; j++) {
			struct lexicon_entry *a = &lex->entries[j], *b = &lex->entries[i];
			if (!a->word || !b->word || strcmp(a->word, b->word) != 0)
				continue;
			if ((i < builtin) == (j < builtin)) {
				diag_error(d, b->path, b->line,
					   "word '%s' is already defined at %s:%d (merge the two)", b->word,
					   a->path, a->line);
			} else {
				free(a->word);
				a->word = NULL;
			}
		}
	size_t k = 0;
	for (size_t i = 0; i < lex->n_entries; i++) {
		if (lex->entries[i].word) {
			lex->entries[k++] = lex->entries[i];
		} else {
			for (size_t h = 0; h < lex->entries[i].n_hear; h++)
				free(lex->entries[i].hear[h]);
			free(lex->entries[i].hear);
			free(lex->entries[i].sounds_like);
			free(lex->entries[i].speak);
		}
	}
	lex->n_entries = k;
	if (r == 0 && d->n_errors > before)
		r = -EINVAL;
	if (r < 0) {
		lexicon_destroy(lex);
		*out = NULL;
		return r;
	}
	if (lex->n_entries)
		qsort(lex->entries, lex->n_entries, sizeof(*lex->entries), cmp_entry);
	*out = lex;
	return 0;
}

int lexicon_load_with_scripts(const char *dir, const char *user_scripts_dir, struct lexicon **out,
			      struct diag *d)
{
	char *user = user_scripts_dir ? xasprintf("%s/" LEXICON_USER_SUBDIR, user_scripts_dir)
				      : NULL;
	bool has = user && paths_is_dir(user);
	int r = lexicon_load(dir, has ? user : NULL, out, d);
	/* A school's new words go into its own folder, even before that folder exists. */
	if (r == 0 && user && (!has || !(*out)->add_to || strncmp((*out)->add_to, user,
								      strlen(user)) != 0)) {
		free((*out)->add_to);
		(*out)->add_to = xasprintf("%s/words.txt", user);
	}
	free(user);
	return r;
}

const struct lexicon_entry *lexicon_find(const struct lexicon *lex, const char *word)
{
	struct lexicon_entry key = { .word = (char *)word };
	if (!lex->n_entries) /* an empty lexicon has no array; bsearch may not be given NULL */
		return NULL;
	return bsearch(&key, lex->entries, lex->n_entries, sizeof(key), cmp_entry);
}
