/* Reading the line-oriented `field: value` files of scripts/ and lexicon/. */
#pragma once

#include <stddef.h>

struct diag;

/* Read a whole file into a new NUL-terminated string. Returns 0, or a negative errno (-EILSEQ
 * when it holds a NUL byte: not a text file). */
int textfile_read(const char *path, char **out);
/* Why textfile_read failed with r, for "path: cannot read: <reason>". */
const char *textfile_read_error(int r);

/* Where `s` stops being UTF-8: 0 when all of it is UTF-8, else the column (from 1, in
 * characters) of the first bad byte, with "byte 0x92 at column 9 is not UTF-8; in Windows-1252 it
 * is ’ (save the file as UTF-8 ...)" written into msg. */
int textfile_utf8_check(const char *s, char *msg, size_t msglen);

/* Make Word's typography plain, in place, so templates, speech and the lexicon all read
 * "don't": curly quotes and primes become ' and ", dashes and minus signs "-", non-breaking and
 * other wide spaces " ", the ellipsis "...", and invisible marks (soft hyphen, zero-width space,
 * word joiner, a byte-order mark) nothing. Never makes s longer. */
void textfile_normalise(char *s);

/* One significant line: comments ("#" starting the line, or " # " after text) and surrounding spaces
 * removed. field is NULL when the line has no ':' before its first space-separated word ends. */
struct textfile_line {
	int number;  /* from 1 */
	char *field; /* "topic", "list child", "ask" (trimmed, lower case), or NULL */
	char *value; /* trimmed text after ':' (or the whole line when field is NULL) */
};

/* Split `text` (modified in place) into significant lines. Blank and comment-only lines are
 * skipped. Every line is checked to be UTF-8 (one "path:line: error:" in `d` for each line that
 * is not) and normalised (textfile_normalise). Returns the number of lines; *out is a new array
 * the caller frees (strings point into text). */
size_t textfile_lines(char *text, const char *path, struct diag *d, struct textfile_line **out);

/* Files named *.txt in `dir`, sorted, as new "dir/name" strings. Returns the count, or a negative
 * errno when the folder cannot be read. */
int textfile_list_dir(const char *dir, char ***out);
void textfile_free_list(char **list, size_t n);
