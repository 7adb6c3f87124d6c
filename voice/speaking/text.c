#include "text.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "lexicon.h"
#include "log.h"
#include "numbers.h"
#include "strbuf.h"

/* Length of the valid UTF-8 sequence at s (at most n bytes) and its code point, or 0 when the
 * bytes are not UTF-8 (stray continuation bytes, overlong forms, surrogates, cut sequences). */
static size_t utf8_decode(const unsigned char *s, size_t n, unsigned long *cp)
{
	static const unsigned long min[] = { 0, 0, 0x80, 0x800, 0x10000 };
	size_t len = s[0] < 0x80 ? 1 : (s[0] & 0xe0) == 0xc0 ? 2 : (s[0] & 0xf0) == 0xe0 ? 3
		   : (s[0] & 0xf8) == 0xf0 ? 4 : 0;
	if (len == 0 || len > n)
		return 0;
	unsigned long c = len == 1 ? s[0] : s[0] & (0x3f >> (len - 1));
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min[len] || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

/* Plain text that eSpeak NG cannot read as anything but text: brackets (which could start "[["
 * phoneme input) are dropped; control characters (embedded commands), bytes that are not UTF-8
 * and "_" become spaces (eSpeak NG 1.51 misreads the last two; docs/speaking.md). */
static void sb_put_text(struct strbuf *b, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		unsigned long cp;
		size_t len = utf8_decode(u + i, n - i, &cp);
		if (len == 0) {
			strbuf_addn(b, " ", 1);
			i++;
			continue;
		}
		if (cp == '[' || cp == ']')
			; /* dropped */
		else if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) || cp == '_')
			strbuf_addn(b, " ", 1);
		else
			strbuf_addn(b, s + i, len);
		i += len;
	}
}

/* eSpeak NG phonemes from the lexicon, in [[ ]]: only characters of its phoneme notation. */
static void sb_put_phonemes(struct strbuf *b, const char *ph)
{
	strbuf_add(b, "[[");
	for (const char *p = ph; *p; p++) {
		/* eSpeak NG's phoneme names are printable ASCII */
		unsigned char c = (unsigned char)*p;
		if (c == '[' || c == ']' || c < 0x20 || c >= 0x7f)
			continue;
		strbuf_addn(b, p, 1);
	}
	strbuf_add(b, "]]");
}

static bool is_word_byte(unsigned char c)
{
	return isalnum(c) || c >= 0x80;
}

/* Length of the word at s (letters, digits, UTF-8; inner apostrophes and hyphens). */
static size_t word_length(const char *s)
{
	size_t i = 0;
	for (;;) {
		while (is_word_byte((unsigned char)s[i]))
			i++;
		if ((s[i] == '\'' || s[i] == '-') && is_word_byte((unsigned char)s[i + 1])) {
			i++;
			continue;
		}
		return i;
	}
}

static const struct lexicon_entry *find_word(const struct lexicon *lex, const char *w, size_t n)
{
	if (!lex || lex->n_entries == 0 || n == 0 || n > 64)
		return NULL;
	char lower[65];
	for (size_t i = 0; i < n; i++)
		lower[i] = (char)tolower((unsigned char)w[i]);
	lower[n] = '\0';
	const struct lexicon_entry *e = lexicon_find(lex, lower);
	return e && (e->speak || e->sounds_like) ? e : NULL;
}

/* One segment of prepared text: plain text, or eSpeak NG phonemes for one word. */
struct segment {
	char *text;
	bool phonemes;
};

struct segments {
	struct segment *items;
	size_t n;
};

static void segments_add(struct segments *sg, char *text, bool phonemes)
{
	if (!phonemes && sg->n > 0 && !sg->items[sg->n - 1].phonemes) {
		/* merge consecutive text */
		struct strbuf b = { sg->items[sg->n - 1].text, 0, 0 };
		b.len = strlen(b.s);
		b.cap = b.len + 1;
		strbuf_add(&b, text);
		free(text);
		sg->items[sg->n - 1].text = b.s;
		return;
	}
	sg->items = xreallocarray(sg->items, sg->n + 1, sizeof *sg->items);
	sg->items[sg->n++] = (struct segment){ text, phonemes };
}

static void segments_done(struct segments *sg)
{
	for (size_t i = 0; i < sg->n; i++)
		free(sg->items[i].text);
	free(sg->items);
	sg->items = NULL;
	sg->n = 0;
}

static char *text_copy(const char *s, size_t n)
{
	struct strbuf b = strbuf_new();
	sb_put_text(&b, s, n);
	return b.s;
}

/* One word (maybe hyphenated) through the lexicon: the whole word first, then its parts. */
static void segment_word(const struct lexicon *lex, const char *w, size_t n, struct segments *sg)
{
	const struct lexicon_entry *e = find_word(lex, w, n);
	if (!e && memchr(w, '-', n)) {
		size_t start = 0;
		for (size_t i = 0; i <= n; i++) {
			if (i == n || w[i] == '-') {
				segment_word(lex, w + start, i - start, sg);
				if (i < n)
					segments_add(sg, xstrdup("-"), false);
				start = i + 1;
			}
		}
		return;
	}
	if (!e)
		segments_add(sg, text_copy(w, n), false);
	else if (e->speak)
		segments_add(sg, xstrdup(e->speak), true);
	else
		segments_add(sg, text_copy(e->sounds_like, strlen(e->sounds_like)), false);
}

/* The text as it is to be said: its numbers as words (numbers.h), then word by word through the
 * lexicon. */
static void segment_text(const struct lexicon *lex, const char *text,
			 enum numbers_language language, struct segments *sg)
{
	char *said = numbers_to_words(text, language);
	const char *p = said;
	while (*p) {
		if (is_word_byte((unsigned char)*p)) {
			size_t n = word_length(p);
			segment_word(lex, p, n, sg);
			p += n;
		} else {
			const char *q = p;
			while (*q && !is_word_byte((unsigned char)*q))
				q++;
			/* A hyphen between words is a dash: a pause, said as a comma (and eSpeak NG
			 * 1.51 misreads "a -" before punctuation). */
			char *run = text_copy(p, (size_t)(q - p));
			for (char *c = run; *c; c++)
				if (*c == '-')
					*c = ',';
			segments_add(sg, run, false);
			p = q;
		}
	}
	free(said);
}

char *text_prepare(const struct lexicon *lex, const char *text, bool *phonemes)
{
	return text_prepare_for(lex, text, NUMBERS_ENGLISH, phonemes);
}

char *text_prepare_for(const struct lexicon *lex, const char *text,
		       enum numbers_language language, bool *phonemes)
{
	struct segments sg = { 0 };
	struct strbuf b = strbuf_new();
	*phonemes = false;
	segment_text(lex, text, language, &sg);
	for (size_t i = 0; i < sg.n; i++) {
		if (sg.items[i].phonemes) {
			/* spaces keep eSpeak NG from joining the phonemes to a neighbouring word */
			strbuf_add(&b, " ");
			sb_put_phonemes(&b, sg.items[i].text);
			strbuf_add(&b, " ");
			*phonemes = true;
		} else {
			strbuf_add(&b, sg.items[i].text);
		}
	}
	segments_done(&sg);
	return b.s;
}

bool text_is_blank(const char *s)
{
	for (; *s; s++)
		if (!isspace((unsigned char)*s))
			return false;
	return true;
}

char *text_to_phonemes(const struct lexicon *lex, const char *text,
		       enum numbers_language language, text_clause_fn fn, void *userdata)
{
	struct segments sg = { 0 };
	struct strbuf b = strbuf_new();
	segment_text(lex, text, language, &sg);
	for (size_t i = 0; i < sg.n; i++) {
		if (sg.items[i].phonemes) {
			if (b.len > 0)
				strbuf_add(&b, " ");
			strbuf_add(&b, sg.items[i].text);
			continue;
		}
		if (text_is_blank(sg.items[i].text))
			continue;
		/* eSpeak NG's espeak_TextToPhonemes ignores [[ ]] input, so phoneme segments are
		 * added above, and each run of text is converted clause by clause. */
		const void *p = sg.items[i].text;
		while (p) {
			const char *ph = fn(userdata, &p);
			if (!ph || !*ph)
				continue;
			while (*ph == ' ')
				ph++;
			if (b.len > 0)
				strbuf_add(&b, " ");
			strbuf_add(&b, ph);
		}
	}
	segments_done(&sg);
	return b.s;
}
