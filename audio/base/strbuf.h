/* A growing string: always NUL-terminated once anything was added, freed by its owner (free(s)).
 * One implementation for the text builders (speech text, placeholders, the JSGF grammar). */
#pragma once

#include <stddef.h>

struct strbuf {
	char *s; /* NULL until something is added */
	size_t len, cap;
};

/* An empty, NUL-terminated string. */
struct strbuf strbuf_new(void);
/* Append n bytes of s. */
void strbuf_addn(struct strbuf *b, const char *s, size_t n);
/* Append the string s. */
void strbuf_add(struct strbuf *b, const char *s);
