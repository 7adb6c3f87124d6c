#include "counts.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "turn_log.h"

/* A day file's name: counts-YYYY-MM-DD.txt. */
#define FILE_PREFIX "counts-"
#define FILE_SUFFIX ".txt"
/* Longest line a day file may have: a topic id is far shorter. */
#define LINE_MAX_CHARS 512

/* The day file's numbers, by name. */
static const struct {
	const char *name;
	size_t offset;
} fields[] = {
	{ "asked-voice", offsetof(struct counts_day, asked_voice) },
	{ "asked-key", offsetof(struct counts_day, asked_key) },
	{ "answered", offsetof(struct counts_day, answered) },
	{ "asked-back", offsetof(struct counts_day, asked_back) },
	{ "not-understood", offsetof(struct counts_day, not_understood) },
};
#define N_FIELDS (sizeof(fields) / sizeof(fields[0]))

static long *field_of(struct counts_day *day, size_t i)
{
	return (long *)((char *)day + fields[i].offset);
}

/* --- a day --- */

/* a + b for counts (never negative), held at LONG_MAX: a hand-edited file may hold anything. */
static long count_sum(long a, long b)
{
	return a > LONG_MAX - b ? LONG_MAX : a + b;
}

void counts_day_add_topic(struct counts_day *day, const char *id, long n)
{
	for (size_t i = 0; i < day->n_topics; i++)
		if (strcmp(day->topics[i].id, id) == 0) {
			day->topics[i].n = count_sum(day->topics[i].n, n);
			return;
		}
	day->topics = xreallocarray(day->topics, day->n_topics + 1, sizeof(*day->topics));
	day->topics[day->n_topics++] = (struct counts_topic){ xstrdup(id), n };
}

void counts_day_add(struct counts_day *to, const struct counts_day *from)
{
	for (size_t i = 0; i < N_FIELDS; i++)
		*field_of(to, i) = count_sum(*field_of(to, i), *field_of((struct counts_day *)from, i));
	for (size_t i = 0; i < from->n_topics; i++)
		counts_day_add_topic(to, from->topics[i].id, from->topics[i].n);
}

long counts_day_topic(const struct counts_day *day, const char *id)
{
	for (size_t i = 0; i < day->n_topics; i++)
		if (strcmp(day->topics[i].id, id) == 0)
			return day->topics[i].n;
	return 0;
}

void counts_day_done(struct counts_day *day)
{
	for (size_t i = 0; i < day->n_topics; i++)
		free(day->topics[i].id);
	free(day->topics);
	day->topics = NULL;
	day->n_topics = 0;
}

void counts_days_free(struct counts_day *days, size_t n)
{
	for (size_t i = 0; i < n; i++)
		counts_day_done(&days[i]);
	free(days);
}

bool counts_date_valid(const char *s)
{
	static const char form[] = "dddd-dd-dd";
	for (size_t i = 0; i < sizeof(form) - 1; i++)
		if (form[i] == 'd' ? !isdigit((unsigned char)s[i]) : s[i] != form[i])
			return false;
	return s[sizeof(form) - 1] == '\0';
}

/* A count as written: digits only; one too large for a long is held at LONG_MAX, as sums are. */
static bool parse_count(const char *s, long *out)
{
	if (!*s)
		return false;
	for (const char *p = s; *p; p++)
		if (!isdigit((unsigned char)*p))
			return false;
	errno = 0;
	*out = strtol(s, NULL, 10);
	if (errno == ERANGE)
		*out = LONG_MAX;
	return true;
}

/* One "name value" or "topic ID value" line into day. */
static int parse_line(char *line, struct counts_day *day, const char *path, int no, char *err,
		      size_t errlen)
{
	line += strspn(line, " \t");
	if (line[0] == '#')
		return 0;
	char *words[4];
	int n = 0;
	for (char *save, *w = strtok_r(line, " \t\r\n", &save); w;
	     w = strtok_r(NULL, " \t\r\n", &save)) {
		if (n == 3)
			return errf(err, errlen, -EINVAL,
				    "%s:%d: error: too many words (write NAME COUNT or topic ID COUNT)",
				    path, no);
		words[n++] = w;
	}
	if (n == 0)
		return 0;
	long v;
	if (strcmp(words[0], "topic") == 0) {
		if (n != 3 || !parse_count(words[2], &v))
			return errf(err, errlen, -EINVAL,
				    "%s:%d: error: a topic line is topic ID COUNT", path, no);
		counts_day_add_topic(day, words[1], v);
		return 0;
	}
	for (size_t i = 0; i < N_FIELDS; i++)
		if (strcmp(words[0], fields[i].name) == 0) {
			if (n != 2 || !parse_count(words[1], &v))
				return errf(err, errlen, -EINVAL,
					    "%s:%d: error: %s needs one count (a whole number)",
					    path, no, fields[i].name);
			*field_of(day, i) = count_sum(*field_of(day, i), v);
			return 0;
		}
	return errf(err, errlen, -EINVAL, "%s:%d: error: unknown count '%s' (see docs/counts.md)",
		    path, no, words[0]);
}

/* Read a day file into day (added to what it holds). -ENOENT when there is none. */
static int day_read(const char *path, struct counts_day *day, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return errf(err, errlen, -errno, "cannot read %s: %s", path, strerror(errno));
	char line[LINE_MAX_CHARS];
	int no = 0, r = 0;
	while (r == 0 && fgets(line, sizeof(line), f)) {
		no++;
		if (!strchr(line, '\n') && !feof(f))
			r = errf(err, errlen, -EINVAL, "%s:%d: error: line too long", path, no);
		else
			r = parse_line(line, day, path, no, err, errlen);
	}
	if (r == 0 && ferror(f))
		r = errf(err, errlen, -EIO, "cannot read %s", path);
	fclose(f);
	return r;
}

static int day_compare(const void *a, const void *b)
{
	return strcmp(((const struct counts_day *)a)->date, ((const struct counts_day *)b)->date);
}

int counts_read(const char *dir, const char *from, const char *to, struct counts_day **days,
		size_t *n, char *err, size_t errlen)
{
	*days = NULL;
	*n = 0;
	DIR *d = opendir(dir);
	if (!d)
		return errf(err, errlen, -errno, "cannot read the counts in %s: %s", dir,
			    strerror(errno));
	struct counts_day *list = NULL;
	size_t len = 0;
	int r = 0;
	const size_t pre = strlen(FILE_PREFIX), date_len = COUNTS_DATE_LEN - 1;
	for (struct dirent *e; r == 0 && (e = readdir(d));) {
		const char *name = e->d_name;
		char date[COUNTS_DATE_LEN];
		if (strlen(name) != pre + date_len + strlen(FILE_SUFFIX) ||
		    strncmp(name, FILE_PREFIX, pre) != 0 ||
		    strcmp(name + pre + date_len, FILE_SUFFIX) != 0)
			continue;
		snprintf(date, sizeof(date), "%.*s", (int)date_len, name + pre);
		if (!counts_date_valid(date) || (from && strcmp(date, from) < 0) ||
		    (to && strcmp(date, to) > 0))
			continue;
		list = xreallocarray(list, len + 1, sizeof(*list));
		list[len] = (struct counts_day){ 0 };
		snprintf(list[len].date, sizeof(list[len].date), "%s", date);
		char *path = xasprintf("%s/%s", dir, name);
		r = day_read(path, &list[len++], err, errlen);
		free(path);
	}
	closedir(d);
	if (r < 0) {
		counts_days_free(list, len);
		return r;
	}
	if (len)
		qsort(list, len, sizeof(*list), day_compare);
	*days = list;
	*n = len;
	return 0;
}

/* --- the tally --- */

struct counts {
	char *dir;
	struct counts_day *pending; /* counted since the last save, a day each */
	size_t n_pending;
};

int counts_create(const char *dir, struct counts **out, char *err, size_t errlen)
{
	*out = NULL;
	struct stat st;
	if (stat(dir, &st) != 0)
		return errf(err, errlen, -errno,
			    "cannot keep counts in %s: %s (create the folder, or give another "
			    "--state-dir)",
			    dir, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return errf(err, errlen, -ENOTDIR, "cannot keep counts in %s: not a folder", dir);
	if (access(dir, W_OK | X_OK) != 0)
		return errf(err, errlen, -errno,
			    "cannot keep counts in %s: %s (let this user write there)", dir,
			    strerror(errno));
	struct counts *c = xcalloc(1, sizeof(*c));
	c->dir = xstrdup(dir);
	*out = c;
	return 0;
}

void counts_destroy(struct counts *c)
{
	if (!c)
		return;
	counts_days_free(c->pending, c->n_pending);
	free(c->dir);
	free(c);
}

void counts_today(char date[COUNTS_DATE_LEN])
{
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	strftime(date, COUNTS_DATE_LEN, "%Y-%m-%d", &tm);
}

/* Today's pending tally. */
static struct counts_day *today(struct counts *c)
{
	char date[COUNTS_DATE_LEN];
	counts_today(date);
	for (size_t i = 0; i < c->n_pending; i++)
		if (strcmp(c->pending[i].date, date) == 0)
			return &c->pending[i];
	c->pending = xreallocarray(c->pending, c->n_pending + 1, sizeof(*c->pending));
	struct counts_day *d = &c->pending[c->n_pending++];
	*d = (struct counts_day){ 0 };
	snprintf(d->date, sizeof(d->date), "%s", date);
	return d;
}

/* The turn said yes (by voice or by key): to "did you ask about ...?", it asks that topic. */
static bool said_yes(const struct script_set *set, const struct turn_log *t)
{
	const struct script_entry *e = script_set_control(set, CONTROL_YES);
	return (t->has_intent && strcmp(t->intent, "control:yes") == 0) ||
	       (t->has_key && e && e->key && strcmp(e->key, t->key) == 0);
}

void counts_add_turn(struct counts *c, const struct script_set *set, const struct turn_log *t)
{
	if (!c || !set)
		return;
	bool speech = strcmp(t->event, "speech") == 0, key = strcmp(t->event, "key") == 0;
	if (!speech && !key)
		return;
	const char *decision = t->decision ? t->decision : "";
	/* Nothing said back: the room's own sound or a television while waiting, not a question. */
	bool reject = speech && strcmp(decision, "reject") == 0 && t->n_said > 0;
	bool topic_asked = speech && t->has_intent && script_set_find_topic(set, t->intent);
	/* A digit that chose a topic: its answer comes first (a digit's meaning depends on what
	 * was offered, so the key alone does not say). */
	bool topic_key = key && t->key[0] >= '1' && t->key[0] <= '9' && t->key[1] == '\0' &&
			 t->n_said > 0 && strncmp(t->said[0], "topic:", 6) == 0;
	bool confirm = speech && strcmp(decision, "confirm") == 0;
	const char *topic = NULL;
	/* A topic said for a question, or for a yes to "did you ask about"; a repeat or a step back
	 * says it again but was not asked again. */
	if (topic_asked || topic_key || said_yes(set, t))
		for (size_t i = 0; !topic && i < t->n_said; i++)
			if (strncmp(t->said[i], "topic:", 6) == 0)
				topic = t->said[i] + 6;
	if (!(topic_asked || reject || topic_key || confirm || topic))
		return; /* a control, a key of no topic: nothing to count, nothing to write */
	struct counts_day *d = today(c);
	d->asked_voice += topic_asked || reject;
	d->asked_key += topic_key;
	d->asked_back += confirm;
	d->not_understood += reject;
	if (topic) {
		d->answered++;
		counts_day_add_topic(d, topic, 1);
	}
}

/* Write `day` whole to `path` through a synced temporary file in the same folder. */
static int day_write(const char *dir, const char *path, const struct counts_day *day,
		     char *err, size_t errlen)
{
	char *tmp = xasprintf("%s/.%s%s.XXXXXX", dir, FILE_PREFIX, day->date);
	int fd = mkstemp(tmp), r = 0;
	if (fd < 0) {
		r = errf(err, errlen, -errno, "cannot write the counts in %s: %s", dir,
			 strerror(errno));
		free(tmp);
		return r;
	}
	FILE *f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		r = -errno;
		goto out;
	}
	fprintf(f, "# talkleaf counts for %s: numbers only, no words, no audio (docs/counts.md)\n",
		day->date);
	for (size_t i = 0; i < N_FIELDS; i++)
		fprintf(f, "%s %ld\n", fields[i].name, *field_of((struct counts_day *)day, i));
	for (size_t i = 0; i < day->n_topics; i++)
		fprintf(f, "topic %s %ld\n", day->topics[i].id, day->topics[i].n);
	if (fflush(f) != 0 || fsync(fileno(f)) != 0)
		r = -errno;
	if (fclose(f) != 0 && r == 0)
		r = -errno;
	if (r == 0 && rename(tmp, path) != 0)
		r = -errno;
	if (r == 0) {
		/* The rename itself must reach the disk too. */
		int dfd = open(dir, O_RDONLY | O_DIRECTORY);
		if (dfd >= 0) {
			fsync(dfd);
			close(dfd);
		}
	}
out:
	if (r < 0) {
		unlink(tmp);
		errf(err, errlen, r, "cannot write the counts %s: %s (is the disk full?)", path,
		     strerror(-r));
	}
	free(tmp);
	return r;
}

/* Add one pending day to its file. */
static int day_save(const char *dir, const struct counts_day *pending, char *err, size_t errlen)
{
	char *path = xasprintf("%s/%s%s%s", dir, FILE_PREFIX, pending->date, FILE_SUFFIX);
	struct counts_day day = { 0 };
	snprintf(day.date, sizeof(day.date), "%s", pending->date);
	char rerr[512];
	int told = 0, r = day_read(path, &day, rerr, sizeof(rerr));
	if (r < 0 && r != -ENOENT && r != -EINVAL) {
		counts_day_done(&day);
		free(path);
		return errf(err, errlen, r, "%s", rerr);
	}
	if (r == -EINVAL) {
		/* Never lose today's tally over a file someone edited: keep it for a person to
		 * look at, and count on from nothing (not from the lines read before the bad one). */
		char *bad = xasprintf("%s.bad", path);
		/* A file kept before is kept too. */
		for (int i = 2; access(bad, F_OK) == 0 && i < 1000; i++) {
			free(bad);
			bad = xasprintf("%s.bad.%d", path, i);
		}
		counts_day_done(&day);
		day = (struct counts_day){ 0 };
		snprintf(day.date, sizeof(day.date), "%s", pending->date);
		int kept = access(bad, F_OK) == 0 ? -EEXIST : rename(path, bad) == 0 ? 0 : -errno;
		if (kept < 0) {
			r = errf(err, errlen, kept, "%s; cannot keep it as %s: %s", rerr, bad,
				 strerror(-kept));
			free(bad);
			free(path);
			return r;
		}
		errf(err, errlen, 1, "%s; kept it as %s and started the day's counts again", rerr,
		     bad);
		told = 1;
		free(bad);
	}
	counts_day_add(&day, pending);
	r = day_write(dir, path, &day, err, errlen);
	counts_day_done(&day);
	free(path);
	return r < 0 ? r : told;
}

int counts_save(struct counts *c, char *err, size_t errlen)
{
	if (!c)
		return 0;
	int status = 0;
	size_t kept = 0;
	for (size_t i = 0; i < c->n_pending; i++) {
		int r = day_save(c->dir, &c->pending[i], err, errlen);
		if (r < 0) {
			/* Kept, to be tried again at the next save. */
			c->pending[kept++] = c->pending[i];
			status = r;
			continue;
		}
		if (r > 0 && status == 0)
			status = r;
		counts_day_done(&c->pending[i]);
	}
	c->n_pending = kept;
	return status;
}
