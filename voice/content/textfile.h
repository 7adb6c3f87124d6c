/* Reading the line-oriented `field: value` files of scripts/ and lexicon/. */
#pragma once

#include <stddef.h>

/* Read a whole file into a new NUL-terminated string. Returns 0, or a negative errno. */
int textfile_read(const char *path, char **out);

/* One significant line: comments ("#" starting the line, or " # " after text) and surrounding spaces
 * removed. field is NULL when the line has no ':' before its first space-separated word ends. */
struct textfile_line {
	int number;  /* from 1 */
	char *field; /* "topic", "list child", "ask" (trimmed, lower case), or NULL */
	char *value; /* trimmed text after ':' (or the whole line when field is NULL) */
};

/* Split `text` (modified in place) into significant lines. Blank and comment-only lines are
 * skipped. Returns the number of lines; *out is a new array the caller frees (strings point into
 * text). */
size_t textfile_lines(char *text, struct textfile_line **out);

/* Files named *.txt in `dir`, sorted, as new "dir/name" strings. Returns the count, or a negative
 * errno when the folder cannot be read. */
int textfile_list_dir(const char *dir, char ***out);
void textfile_free_list(char **list, size_t n);
