#include "textfile.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

size_t textfile_lines(char *text, struct textfile_line **out)
{
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
