/* The check of the acoustic model's adaptation file before PocketSphinx reads it. PocketSphinx
 * (5prealpha) trusts the file's shape: a transform for other streams than the model's reads past
 * its arrays, and only the first class is ever applied. So the shape, and that every number is a
 * finite number, are checked here, with the line of the first problem. */
#include "recogniser_internal.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

struct reader {
	FILE *f;
	int line;
};

/* The next whitespace-separated word: 0, -1 at the end of the file, -2 for a word of len
 * characters or more. */
static int word_next(struct reader *r, char *word, size_t len)
{
	int c;
	while ((c = getc(r->f)) != EOF && (c == ' ' || c == '\t' || c == '\n' || c == '\r'))
		if (c == '\n')
			r->line++;
	size_t n = 0;
	for (; c != EOF && c != ' ' && c != '\t' && c != '\n' && c != '\r'; c = getc(r->f)) {
		if (n + 1 >= len)
			return -2;
		word[n++] = (char)c;
	}
	if (c == '\n')
		ungetc(c, r->f);
	word[n] = '\0';
	return n ? 0 : -1;
}

static int number_next(struct reader *r, double *value)
{
	char word[64], *end;
	if (word_next(r, word, sizeof(word)) != 0)
		return -1;
	errno = 0;
	*value = strtod(word, &end);
	return *end || errno == ERANGE || !isfinite(*value) ? -1 : 0;
}

/* A count that must be `want`. */
static int count_expect(struct reader *r, const char *path, int want, const char *what, char *err,
			size_t errlen)
{
	double v;
	if (number_next(r, &v) < 0)
		return errf(err, errlen, -EINVAL, "%s:%d: the %s is not a number", path, r->line,
			    what);
	if (v != want)
		return errf(err, errlen, -EINVAL, "%s:%d: the %s is %g where the model needs %d",
			    path, r->line, what, v, want);
	return 0;
}

int adaptation_check(const char *path, char *err, size_t errlen)
{
	struct reader r = { .f = fopen(path, "r"), .line = 1 };
	if (!r.f)
		return errf(err, errlen, -ENOENT, "%s: cannot open: %s", path, strerror(errno));
	int rc = count_expect(&r, path, 1, "number of transforms", err, errlen);
	if (rc == 0)
		rc = count_expect(&r, path, ADAPTATION_STREAMS, "number of feature streams", err,
				  errlen);
	for (int s = 0; rc == 0 && s < ADAPTATION_STREAMS; s++) {
		rc = count_expect(&r, path, ADAPTATION_STREAM_LENGTH, "length of a stream", err,
				  errlen);
		/* the rotation, the bias, then the variance scales, which must be above zero */
		int n = ADAPTATION_STREAM_LENGTH * (ADAPTATION_STREAM_LENGTH + 2);
		for (int k = 0; rc == 0 && k < n; k++) {
			double v;
			bool scale = k >= ADAPTATION_STREAM_LENGTH * (ADAPTATION_STREAM_LENGTH + 1);
			if (number_next(&r, &v) < 0 || (scale && v <= 0))
				rc = errf(err, errlen, -EINVAL,
					  "%s:%d: stream %d: %s %d of %d is missing or not a %s", path,
					  r.line, s + 1, scale ? "variance scale" : "number", k + 1, n,
					  scale ? "number above 0" : "number");
		}
	}
	char extra[64];
	if (rc == 0 && word_next(&r, extra, sizeof(extra)) != -1)
		rc = errf(err, errlen, -EINVAL, "%s:%d: more numbers than the model's transform",
			  path, r.line);
	fclose(r.f);
	return rc;
}
