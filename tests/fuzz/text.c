/* Fuzz harness for the speech text preparation (voice/speaking/text.c): any bytes through
 * text_prepare_for and text_to_phonemes, with and without a lexicon, for an English voice and
 * another language's, and the promises of text.h checked on the result (abort when one is
 * broken). A libFuzzer target in a fuzzing build, else
 * tests/support/fuzz_replay.c replays tests/fuzz/corpus/text/ as a test (docs/fuzzing.md). */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "lexicon.h"
#include "log.h"
#include "text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Words in strcmp order (lexicon_find searches a sorted table); the pronunciations hold what the
 * preparation must filter: brackets, "_", non-ASCII. */
static const char lexicon_text[] = "word: a\n"
				   "speak: [[a]]_\xc3\xa9\n"
				   "word: caf\xc3\xa9\n"
				   "speak: kaf'eI\n"
				   "word: camhs\n"
				   "sounds-like: cams [[k'amz]] _x\n"
				   "word: don't\n"
				   "sounds-like: do not\n"
				   "word: well\n"
				   "speak: w'El\n";

static void fail(const char *what, const char *text)
{
	fprintf(stderr, "fuzz_text: %s in \"%s\"\n", what, text);
	abort();
}

/* Length of the valid UTF-8 sequence at s and its code point, or 0 (written apart from text.c's
 * decoder, so that one is checked). */
static size_t utf8_length(const unsigned char *s, unsigned long *cp)
{
	size_t len;
	unsigned long c;
	if (s[0] < 0x80)
		len = 1, c = s[0];
	else if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, c = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, c = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, c = s[0] & 0x07;
	else
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && (c < 0x800 || (c >= 0xd800 && c <= 0xdfff))) ||
	    (len == 4 && (c < 0x10000 || c > 0x10ffff)))
		return 0;
	*cp = c;
	return len;
}

/* text.h: outside [[ ]], valid UTF-8 without control characters, brackets or "_"; inside, only
 * printable ASCII other than brackets; phonemes set exactly when there is a [[ ]]. */
static void check_prepared(const char *out, bool phonemes)
{
	const unsigned char *u = (const unsigned char *)out;
	bool seen = false;
	size_t i = 0;
	while (u[i]) {
		if (u[i] == '[' && u[i + 1] == '[') {
			const char *end = strstr(out + i + 2, "]]");
			if (!end)
				fail("unclosed [[", out);
			const unsigned char *stop = (const unsigned char *)end;
			for (const unsigned char *p = u + i + 2; p < stop; p++)
				if (*p < 0x20 || *p >= 0x7f || *p == '[' || *p == ']')
					fail("not a phoneme character inside [[ ]]", out);
			i = (size_t)(end - out) + 2;
			seen = true;
			continue;
		}
		unsigned long cp;
		size_t len = utf8_length(u + i, &cp);
		if (len == 0)
			fail("broken UTF-8", out);
		if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0))
			fail("control character", out);
		if (cp == '[' || cp == ']' || cp == '_')
			fail("bracket or underscore outside [[ ]]", out);
		i += len;
	}
	if (seen != phonemes)
		fail("phonemes flag wrong", out);
}

/* A stand-in for eSpeak NG's clause converter: one clause up to a full stop or comma, given back
 * as it is (with a leading space, as eSpeak NG does), or "" for an empty clause. */
static const char *fake_clause(void *userdata, const void **pos)
{
	static char clause[256];
	const char *p = *pos;
	size_t n = strcspn(p, ".,");
	if (n >= sizeof clause - 1)
		n = sizeof clause - 2;
	clause[0] = ' ';
	memcpy(clause + 1, p, n);
	clause[n + 1] = '\0';
	p += n;
	if (*p == '.' || *p == ',')
		p++;
	*pos = *p ? (const void *)p : NULL;
	return n ? clause : "";
}

/* For an English voice and for another language's (numbers written apart: numbers.h). */
static void run(const struct lexicon *lex, const char *text)
{
	for (int l = NUMBERS_ENGLISH; l <= NUMBERS_OTHER; l++) {
		bool phonemes;
		char *out = text_prepare_for(lex, text, (enum numbers_language)l, &phonemes);
		check_prepared(out, phonemes);
		text_is_blank(out);
		free(out);
		free(text_to_phonemes(lex, text, (enum numbers_language)l, fake_clause, NULL));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct lexicon *lex;
	if (!lex) {
		struct diag d;
		diag_init(&d);
		lex = xcalloc(1, sizeof(*lex));
		if (lexicon_parse_text(lex, "fuzz-lexicon.txt", lexicon_text, &d) < 0 ||
		    d.n_errors > 0) {
			diag_print(&d, stderr);
			abort();
		}
		diag_done(&d);
	}
	char *text = xstrndup((const char *)data, size);
	run(NULL, text);
	run(lex, text);
	free(text);
	return 0;
}
