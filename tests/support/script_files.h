/* Helpers for the tests that write scripts into a temp folder and check what the loader says:
 * a file written whole, and a message looked for by its exact "path:line: ..." text. cmocka
 * asserts inside; test code only. */
#pragma once

#include "diag.h"

/* Write `text` as dir/name (asserts that it can). */
void script_file_write(const char *dir, const char *name, const char *text);
/* Assert that d holds the line "dir/message" exactly; else print every line d holds and fail. */
void assert_diag_line(const struct diag *d, const char *dir, const char *message);
