#include "jsonl_field.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int jsonl_field(const char *line, const char *name, char *buf, size_t len)
{
	char key[64];
	snprintf(key, sizeof(key), "\"%s\":", name);
	const char *p = strstr(line, key);
	if (!p) {
		if (len)
			buf[0] = '\0';
		return -ENOENT;
	}
	p += strlen(key);
	const char *e = p;
	int r = 0;
	if (*p == '"') {
		for (e = p + 1; *e && *e != '"'; e++)
			if (*e == '\\' && e[1])
				e++;
		e++;
	} else if (*p == '[') {
		e = strchr(p, ']');
		if (e) {
			e++;
		} else {
			e = p + strlen(p);
			r = -EINVAL;
		}
	} else {
		while (*e && *e != ',' && *e != '}')
			e++;
	}
	snprintf(buf, len, "%.*s", (int)(e - p), p);
	return r;
}
