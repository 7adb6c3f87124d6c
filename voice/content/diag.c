#include "diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

void diag_init(struct diag *d)
{
	memset(d, 0, sizeof(*d));
}

void diag_done(struct diag *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n_lines; i++)
		free(d->lines[i]);
	free(d->lines);
	memset(d, 0, sizeof(*d));
}

static void add_line(struct diag *d, char *line)
{
	/* Doubling (the capacity is the next power of two): one realloc a message made content
	 * with tens of thousands of errors quadratic (1.3 GB copied for a 9 KB file, fuzz_script). */
	size_t n = d->n_lines;
	if (n == 0 || (n >= 16 && (n & (n - 1)) == 0))
		d->lines = xreallocarray(d->lines, n ? n * 2 : 16, sizeof(*d->lines));
	d->lines[d->n_lines++] = line;
}

__attribute__((format(printf, 5, 0)))
static void add(struct diag *d, const char *kind, const char *path, int line, const char *fmt,
		va_list ap)
{
	char msg[1024];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (path && line > 0)
		add_line(d, xasprintf("%s:%d: %s: %s", path, line, kind, msg));
	else if (path)
		add_line(d, xasprintf("%s: %s: %s", path, kind, msg));
	else
		add_line(d, xasprintf("%s: %s", kind, msg));
}

void diag_error(struct diag *d, const char *path, int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	add(d, "error", path, line, fmt, ap);
	va_end(ap);
	d->n_errors++;
}

void diag_warning(struct diag *d, const char *path, int line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	add(d, "warning", path, line, fmt, ap);
	va_end(ap);
	d->n_warnings++;
}

void diag_note(struct diag *d, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	add_line(d, xstrdup(msg));
}

void diag_print(const struct diag *d, FILE *out)
{
	for (size_t i = 0; i < d->n_lines; i++)
		fprintf(out, "%s\n", d->lines[i]);
}

bool diag_contains(const struct diag *d, const char *needle)
{
	for (size_t i = 0; i < d->n_lines; i++)
		if (strstr(d->lines[i], needle))
			return true;
	return false;
}
