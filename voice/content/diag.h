/* A list of messages for a person ("path:line: error: ..."), collected so a loader can report
 * every problem it finds before failing. Owned by the caller; _init/_done. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct diag {
	char **lines;
	size_t n_lines;
	size_t n_errors;
	size_t n_warnings;
};

void diag_init(struct diag *d);
void diag_done(struct diag *d);
/* Add "path:line: error: <message>" (line <= 0 leaves the line out; path NULL leaves both out). */
void diag_error(struct diag *d, const char *path, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void diag_warning(struct diag *d, const char *path, int line, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Add a line as it is (notes, summaries). */
void diag_note(struct diag *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Write every line to `out` (stderr for a person), one per line. */
void diag_print(const struct diag *d, FILE *out);
/* True when some line contains `needle`; for tests. */
bool diag_contains(const struct diag *d, const char *needle);
