#include "textfile.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "log.h"

int textfile_read(const char *path, char **out)
{
	*out = NULL;
	FILE *f = fopen(path, "rb");
	if (!f)
		return -errno;
	size_t cap = 4096, len = 0;
	char *buf = xmalloc(cap);
	for (;;) {
		if (len + 1 >= cap)
			buf = xrealloc(buf, cap *= 2);
		size_t got = fread(buf + len, 1, cap - len - 1, f);
		len += got;
		if (got == 0)
			break;
	}
	int err = ferror(f) ? -EIO : 0;
	fclose(f);
	if (err) {
		free(buf);
		return err;
	}
	buf[len] = '\0';
	if (strlen(buf) != len) {
		/* A NUL byte means this is not a text file; say so rather than reading half of it. */
		free(buf);
		return -EILSEQ;
	}
	*out = buf;
	return 0;
}

const char *textfile_read_error(int r)
{
	if (r == -EILSEQ)
		return "it is not a text file (it holds a NUL byte; if it was saved as UTF-16 or "
		       "\"Unicode\", save it as UTF-8)";
	return strerror(-r);
}

/* Length of the UTF-8 sequence at s and its code point, or 0 when s does not start one (a stray
 * continuation byte, an overlong form, a surrogate, past U+10FFFF, or cut short). */
static size_t utf8_decode(const unsigned char *s, unsigned long *cp)
{
	static const unsigned long min[] = { 0, 0, 0x80, 0x800, 0x10000 };
	size_t len = s[0] < 0x80 ? 1 : s[0] < 0xc0 ? 0 : s[0] < 0xe0 ? 2 : s[0] < 0xf0 ? 3
		   : s[0] < 0xf8 ? 4 : 0;
	if (len == 0)
		return 0;
	unsigned long c = len == 1 ? s[0] : s[0] & (0x3fu >> (len - 1));
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80) /* also the NUL at the end */
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min[len] || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

/* Windows-1252's characters at 0x80-0x9F (NULL: none); 0xA0-0xFF are Latin-1's, U+00A0-U+00FF. */
static const char *const cp1252_high[32] = {
	"\u20ac", NULL,     "\u201a", "\u0192", "\u201e", "\u2026", "\u2020", "\u2021",
	"\u02c6", "\u2030", "\u0160", "\u2039", "\u0152", NULL,     "\u017d", NULL,
	NULL,     "\u2018", "\u2019", "\u201c", "\u201d", "\u2022", "\u2013", "\u2014",
	"\u02dc", "\u2122", "\u0161", "\u203a", "\u0153", NULL,     "\u017e", "\u0178",
};

#define SAVE_AS_UTF8 \
	"save the file as UTF-8: in Notepad or Word, Save As and choose the encoding UTF-8"

int textfile_utf8_check(const char *s, char *msg, size_t msglen)
{
	const unsigned char *u = (const unsigned char *)s;
	int column = 1;
	for (size_t i = 0; u[i]; column++) {
		unsigned long cp;
		size_t len = utf8_decode(u + i, &cp);
		if (len) {
			i += len;
			continue;
		}
		/* A lead byte with all its continuation bytes is a malformed sequence, not another
		 * encoding's character. */
		size_t want = u[i] >= 0xc0 && u[i] < 0xe0 ? 2 : u[i] >= 0xe0 && u[i] < 0xf0 ? 3
			    : u[i] >= 0xf0 && u[i] < 0xf8 ? 4 : 1;
		size_t have = 1;
		while (have < want && (u[i + have] & 0xc0) == 0x80)
			have++;
		if (want > 1 && have == want) {
			char bytes[24] = "";
			for (size_t k = 0; k < want; k++)
				snprintf(bytes + strlen(bytes), sizeof(bytes) - strlen(bytes), "%s0x%02X",
					 k ? " " : "", u[i + k]);
			snprintf(msg, msglen,
				 "bytes %s at column %d are not UTF-8 (an overlong or out-of-range sequence; %s)",
				 bytes, column, SAVE_AS_UTF8);
			return column;
		}
		unsigned char b = u[i];
		if (b >= 0xa0) {
			char latin1[3] = { (char)(0xc0 | (b >> 6)), (char)(0x80 | (b & 0x3f)), 0 };
			snprintf(msg, msglen,
				 "byte 0x%02X at column %d is not UTF-8; in Latin-1 and Windows-1252 it is %s (%s)",
				 b, column, latin1, SAVE_AS_UTF8);
		} else if (cp1252_high[b - 0x80]) {
			snprintf(msg, msglen,
				 "byte 0x%02X at column %d is not UTF-8; in Windows-1252 it is %s (%s)", b,
				 column, cp1252_high[b - 0x80], SAVE_AS_UTF8);
		} else {
			snprintf(msg, msglen, "byte 0x%02X at column %d is not UTF-8 (%s)", b, column,
				 SAVE_AS_UTF8);
		}
		return column;
	}
	return 0;
}

/* What Word's typography means in plain text, or NULL to keep the character. */
static const char *plain_for(unsigned long cp)
{
	switch (cp) {
	case 0x00b4: /* acute accent, typed for an apostrophe */
	case 0x02bc: /* modifier letter apostrophe */
	case 0x2018: case 0x2019: case 0x201a: case 0x201b: case 0x2032:
		return "'";
	case 0x201c: case 0x201d: case 0x201e: case 0x201f: case 0x2033:
		return "\"";
	case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2015:
	case 0x2212:
		return "-";
	case 0x00a0: case 0x2002: case 0x2003: case 0x2004: case 0x2005: case 0x2006:
	case 0x2007: case 0x2008: case 0x2009: case 0x200a: case 0x202f:
		return " ";
	case 0x2026:
		return "...";
	case 0x00ad: case 0x200b: case 0x2060: case 0xfeff:
		return "";
	default:
		return NULL;
	}
}

void textfile_normalise(char *s)
{
	unsigned char *u = (unsigned char *)s;
	size_t r = 0, w = 0;
	while (u[r]) {
		unsigned long cp;
		size_t len = utf8_decode(u + r, &cp);
		const char *plain = len > 1 ? plain_for(cp) : NULL;
		if (plain) {
			/* every replacement is no longer than its UTF-8 form */
			size_t n = strlen(plain);
			memcpy(s + w, plain, n);
			w += n;
			r += len;
		} else {
			for (size_t k = len ? len : 1; k; k--)
				s[w++] = s[r++];
		}
	}
	s[w] = '\0';
}

static char *trim(char *s)
{
	while (*s && isspace((unsigned char)*s))
		s++;
	char *end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

static void strip_comment(char *s)
{
	if (*s == '#' || *s == '\0') {
		*s = '\0';
		return;
	}
	/* "key: #" is a key, not a comment: an inline comment is " # text". */
	for (char *p = s + 1; *p; p++) {
		if (*p == '#' && isspace((unsigned char)p[-1]) && isspace((unsigned char)p[1])) {
			*p = '\0';
			return;
		}
	}
}

/* Past this many lines that are not UTF-8, a file is counted, not listed: it was saved in
 * another encoding, and one message says what to do. */
#define MAX_ENCODING_REPORTS 10

size_t textfile_lines(char *text, const char *path, struct diag *d, struct textfile_line **out)
{
	int bad_lines = 0;
	size_t n = 0, cap = 0;
	struct textfile_line *lines = NULL;
	int number = 0;
	/* A UTF-8 byte-order mark from a Windows editor is not content. */
	if ((unsigned char)text[0] == 0xef && (unsigned char)text[1] == 0xbb &&
	    (unsigned char)text[2] == 0xbf)
		text += 3;
	char *p = text;
	while (*p) {
		char *line = p;
		char *nl = strchr(p, '\n');
		if (nl) {
			*nl = '\0';
			p = nl + 1;
		} else {
			p += strlen(p);
		}
		number++;
		char msg[320];
		if (textfile_utf8_check(line, msg, sizeof(msg)) &&
		    ++bad_lines <= MAX_ENCODING_REPORTS)
			diag_error(d, path, number, "%s", msg);
		textfile_normalise(line);
		strip_comment(line);
		line = trim(line);
		if (!*line)
			continue;
		if (n == cap)
			lines = xreallocarray(lines, cap = cap ? cap * 2 : 64, sizeof(*lines));
		struct textfile_line *l = &lines[n++];
		l->number = number;
		l->field = NULL;
		l->value = line;
		char *colon = strchr(line, ':');
		if (colon) {
			*colon = '\0';
			l->field = trim(line);
			for (char *c = l->field; *c; c++)
				*c = (char)tolower((unsigned char)*c);
			l->value = trim(colon + 1);
		}
	}
	if (bad_lines > MAX_ENCODING_REPORTS)
		diag_error(d, path, 0, "%d more lines are not UTF-8 (%s)",
			   bad_lines - MAX_ENCODING_REPORTS, SAVE_AS_UTF8);
	*out = lines;
	return n;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int textfile_list_dir(const char *dir, char ***out)
{
	*out = NULL;
	DIR *d = opendir(dir);
	if (!d)
		return -errno;
	char **list = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (e->d_name[0] == '.' || len < 5 || strcmp(e->d_name + len - 4, ".txt") != 0)
			continue;
		if (n == cap)
			list = xreallocarray(list, cap = cap ? cap * 2 : 16, sizeof(*list));
		list[n++] = xasprintf("%s/%s", dir, e->d_name);
	}
	closedir(d);
	if (n)
		qsort(list, n, sizeof(*list), cmp_str);
	*out = list;
	return (int)n;
}

void textfile_free_list(char **list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(list[i]);
	free(list);
}
