/* Scripts written for a test, and the loader's messages checked by their exact text. */
#include "script_files.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

void script_file_write(const char *dir, const char *name, const char *text)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

void assert_diag_line(const struct diag *d, const char *dir, const char *message)
{
	char expected[2048];
	snprintf(expected, sizeof(expected), "%s/%s", dir, message);
	for (size_t i = 0; i < d->n_lines; i++)
		if (strcmp(d->lines[i], expected) == 0)
			return;
	for (size_t i = 0; i < d->n_lines; i++)
		print_error("got: %s\n", d->lines[i]);
	fail_msg("expected: %s", expected);
}
