/* A growing string (strbuf.h). */
#include "strbuf.h"

#include <string.h>

#include "log.h"

struct strbuf strbuf_new(void)
{
	struct strbuf b = { 0 };
	strbuf_addn(&b, "", 0);
	return b;
}

void strbuf_addn(struct strbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->s = xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void strbuf_add(struct strbuf *b, const char *s)
{
	strbuf_addn(b, s, strlen(s));
}
