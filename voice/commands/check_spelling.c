#include "check_spelling.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "lexicon.h"
#include "log.h"
#include "synthesiser.h"

/* Words longer than this are never spelled out in practice and are skipped. */
#define WORD_MAX 64

struct spelling {
	struct synth *synth;
	const struct language *lang, *main_lang;
	struct diag *d;
	char **seen; /* the words looked at, in order of first use */
	size_t n_seen;
	size_t found;
};

/* eSpeak NG's phonemes without stress, length and pause marks, and in lower case: a word said
 * as letters has its vowels reduced ("NHS" in Welsh: ,Enh,a'Es; N H S: 'En h'A: 'Es). Returns
 * the number of stressed syllables (' and ,): a spelled word has one a letter. */
static size_t sounds(struct synth *synth, const char *text, char *out, size_t outlen)
{
	char ph[1024];
	size_t n = 0, stressed = 0;
	if (synth_text_to_phonemes(synth, text, ph, sizeof(ph)) < 0)
		ph[0] = '\0';
	for (const char *p = ph; *p && n + 1 < outlen; p++) {
		stressed += *p == '\'' || *p == ',';
		if (!strchr(" '_,!:%=|", *p))
			out[n++] = (char)tolower((unsigned char)*p);
	}
	out[n] = '\0';
	return stressed;
}

/* Bytes of the UTF-8 character starting at p. */
static size_t char_len(const char *p)
{
	size_t n = 1;
	while (((unsigned char)p[n] & 0xC0) == 0x80)
		n++;
	return n;
}

static void check_word(struct spelling *s, const char *word, const char *path, int line)
{
	for (size_t i = 0; i < s->n_seen; i++)
		if (strcmp(s->seen[i], word) == 0)
			return;
	s->seen = xreallocarray(s->seen, s->n_seen + 1, sizeof(*s->seen));
	s->seen[s->n_seen++] = xstrdup(word);
	char letters[WORD_MAX * 2 + 1];
	size_t n = 0, count = 0;
	for (const char *p = word; *p; p += char_len(p), count++) {
		if (n)
			letters[n++] = ' ';
		memcpy(letters + n, p, char_len(p));
		n += char_len(p);
	}
	letters[n] = '\0';
	if (count < 2)
		return;
	char whole[1024], spelled[1024];
	/* Letters alone can be words too (Polish "z a" is said as "za"): the stress on each letter
	 * tells a spelled word from a short one. */
	size_t stressed = sounds(s->synth, word, whole, sizeof(whole));
	sounds(s->synth, letters, spelled, sizeof(spelled));
	if (!whole[0] || strcmp(whole, spelled) != 0 || stressed < count)
		return;
	s->found++;
	diag_warning(s->d, path, line,
		     "the %s voice (%s) spells out '%s' letter by letter (to say it as a word, write it as it sounds or give it a sounds-like: in %s/%s/; to spell it, write '%s')",
		     s->lang->name, s->lang->voice, word,
		     s->lang->user_dir ? s->lang->user_dir : s->lang->builtin_dir,
		     LEXICON_USER_SUBDIR, letters);
}

/* Each word of text (letters only: not numbers, not {placeholders}). */
static void check_text(struct spelling *s, const char *text, const char *path, int line)
{
	char word[WORD_MAX + 1];
	size_t n = 0;
	bool digits = false;
	for (const char *p = text;; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '{' && strchr(p, '}')) {
			p = strchr(p, '}');
			c = ' ';
		}
		if (isalnum(c) || c >= 0x80 || (c == '\'' && n)) {
			digits |= isdigit(c) != 0;
			if (n < WORD_MAX)
				word[n++] = (char)c;
			else
				digits = true; /* too long: skipped */
			continue;
		}
		word[n] = '\0';
		if (n && !digits)
			check_word(s, word, path, line);
		n = 0;
		digits = false;
		if (!c)
			break;
	}
}

static void check_lines(struct spelling *s, const struct script_entry *e, char *const *lines,
			const int *numbers, size_t n)
{
	for (size_t i = 0; i < n; i++)
		check_text(s, lines[i], e->path, numbers[i]);
}

static void check_entry(void *data, const struct script_entry *e)
{
	struct spelling *s = data;
	if (!check_language_owns(e, s->lang, s->main_lang))
		return;
	if (e->title)
		check_text(s, e->title, e->path, e->title_line);
	check_lines(s, e, e->say, e->say_lines, e->n_say);
	check_lines(s, e, e->more, e->more_lines, e->n_more);
}

size_t check_spelled_words(const struct script_set *set, struct synth *synth,
			   const struct language *lang, const struct language *main_lang,
			   struct diag *d)
{
	struct spelling s = { .synth = synth, .lang = lang, .main_lang = main_lang, .d = d };
	script_set_each_entry(set, check_entry, &s);
	for (size_t i = 0; i < s.n_seen; i++)
		free(s.seen[i]);
	free(s.seen);
	return s.found;
}
