#include "status.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "log.h"

/* Room for one line: a terminal's width and then some; longer is cut. */
#define STATUS_LINE_MAX 512

struct status {
	FILE *out;
	bool words;
	char last[STATUS_LINE_MAX];
};

/* Append to buf as snprintf would, cut at buflen. */
__attribute__((format(printf, 4, 5)))
static void append(char *buf, size_t buflen, size_t *len, const char *fmt, ...)
{
	if (*len + 1 >= buflen)
		return;
	va_list ap;
	va_start(ap, fmt);
	int k = vsnprintf(buf + *len, buflen - *len, fmt, ap);
	va_end(ap);
	if (k > 0)
		*len = *len + (size_t)k < buflen ? *len + (size_t)k : buflen - 1;
}

const char *status_format(const struct status_event *ev, bool words, char *buf, size_t buflen)
{
	size_t len = 0;
	if (!buflen)
		return buf;
	buf[0] = '\0';
	const char *device = ev->device ? ev->device : "sound devices";
	switch (ev->kind) {
	case STATUS_LISTENING:
		append(buf, buflen, &len, "listening");
		break;
	case STATUS_HEARD:
		append(buf, buflen, &len, "heard %s (%s)", ev->intent ? ev->intent : "nothing clear",
		       ev->decision ? ev->decision : "reject");
		/* What the person said is theirs: only shown when asked for (--log-words). */
		if (words && ev->words)
			append(buf, buflen, &len, ": \"%s\"", ev->words);
		break;
	case STATUS_KEY:
		append(buf, buflen, &len, "key %s", ev->key ? ev->key : "?");
		break;
	case STATUS_SPEAKING:
		append(buf, buflen, &len, "speaking");
		/* A menu's items in a row are one name: "prompt:help-item x5". */
		for (size_t i = 0, k; i < ev->n_said; i = k) {
			for (k = i + 1; k < ev->n_said && strcmp(ev->said[k], ev->said[i]) == 0; k++)
				;
			append(buf, buflen, &len, "%s%s", i ? ", " : " ", ev->said[i]);
			if (k - i > 1)
				append(buf, buflen, &len, " x%zu", k - i);
		}
		break;
	case STATUS_DEVICE_LOST:
		append(buf, buflen, &len, "%s lost%s", device, ev->detail ? ": " : "");
		if (ev->detail)
			append(buf, buflen, &len, "%s", ev->detail);
		break;
	case STATUS_DEVICE_BACK:
		append(buf, buflen, &len, "%s back", device);
		break;
	}
	/* One line, and nothing a terminal would take as a command. */
	for (char *p = buf; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	return buf;
}

struct status *status_create(FILE *out, bool words)
{
	struct status *st = xcalloc(1, sizeof(*st));
	st->out = out;
	st->words = words;
	return st;
}

void status_destroy(struct status *st)
{
	free(st);
}

void status_emit(struct status *st, const struct status_event *ev)
{
	if (!st)
		return;
	char line[STATUS_LINE_MAX];
	status_format(ev, st->words, line, sizeof(line));
	if (strcmp(line, st->last) == 0)
		return;
	memcpy(st->last, line, sizeof(line));
	time_t now = time(NULL);
	struct tm tm;
	char clock[16] = "";
	if (localtime_r(&now, &tm))
		strftime(clock, sizeof(clock), "%H:%M:%S ", &tm);
	fprintf(st->out, "%s%s\n", clock, line);
	fflush(st->out);
}
