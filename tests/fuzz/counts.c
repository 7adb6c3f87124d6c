/* libFuzzer target: today's counts file (docs/counts.md) as a station may find it after someone
 * edited it. counts_read reads it; then a question not understood is counted and saved onto it.
 * What reads has no negative count and no empty topic id. After the save the file reads, and
 * holds what it held plus the one question (a file that read), or only the one question with
 * the old file kept byte for byte as FILE.bad beside it (a file that did not). */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "counts.h"
#include "fuzz_files.h"
#include "log.h"
#include "script.h"
#include "turn_log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A broken promise stops the run, naming it. */
#define CHECK(cond)                                                                         \
	do {                                                                                \
		if (!(cond)) {                                                              \
			fprintf(stderr, "%s:%d: not so: %s\n", __FILE__, __LINE__, #cond);   \
			abort();                                                            \
		}                                                                           \
	} while (0)

static const char *dir;
static struct script_set *set;

static void destroy_set(void)
{
	script_set_destroy(set);
}

static void setup(void)
{
	struct diag d;
	diag_init(&d);
	CHECK(script_set_load(FUZZ_SCRIPTS_DIR, NULL, &set, &d) == 0);
	diag_done(&d);
	atexit(destroy_set);
}

static long sum(long a, long b)
{
	return a > LONG_MAX - b ? LONG_MAX : a + b;
}

static void check_day(const struct counts_day *day)
{
	CHECK(day->asked_voice >= 0 && day->asked_key >= 0 && day->answered >= 0 &&
	      day->asked_back >= 0 && day->not_understood >= 0);
	for (size_t i = 0; i < day->n_topics; i++)
		CHECK(day->topics[i].id[0] && day->topics[i].n >= 0);
}

/* Today's one day in dir, which must read. */
static struct counts_day *read_today(const char *date, size_t *n)
{
	struct counts_day *days;
	char err[512];
	CHECK(counts_read(dir, date, date, &days, n, err, sizeof(err)) == 0 && *n <= 1);
	return days;
}

static void check_bad_kept(const char *path, const uint8_t *data, size_t size)
{
	char *bad = xasprintf("%s.bad", path);
	FILE *f = fopen(bad, "rb");
	CHECK(f);
	uint8_t *back = malloc(size + 1);
	CHECK(back && fread(back, 1, size + 1, f) == size && (!size || !memcmp(back, data, size)));
	fclose(f);
	free(back);
	free(bad);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!set)
		setup();
	dir = fuzz_own_folder();
	char date[COUNTS_DATE_LEN], after[COUNTS_DATE_LEN];
	counts_today(date);
	char *path = xasprintf("%s/counts-%s.txt", dir, date);
	FILE *f = fopen(path, "wb");
	CHECK(f && fwrite(data, 1, size, f) == size && fclose(f) == 0);

	struct counts_day *before = NULL;
	size_t n_before = 0;
	char err[512];
	int read = counts_read(dir, NULL, NULL, &before, &n_before, err, sizeof(err));
	CHECK(read == -EINVAL || (read == 0 && n_before == 1));
	for (size_t i = 0; i < n_before; i++)
		check_day(&before[i]);

	struct counts *c;
	CHECK(counts_create(dir, &c, err, sizeof(err)) == 0);
	struct turn_log t = { .event = "speech", .decision = "reject", .n_said = 1 };
	snprintf(t.said[0], sizeof(t.said[0]), "prompt:not-heard");
	counts_add_turn(c, set, &t);
	int saved = counts_save(c, err, sizeof(err));
	counts_destroy(c);
	counts_today(after);
	if (strcmp(date, after) != 0) /* midnight: the turn went to another day */
		goto out;
	CHECK(saved == (read == 0 ? 0 : 1));

	size_t n;
	struct counts_day *now = read_today(date, &n);
	CHECK(n == 1);
	check_day(&now[0]);
	if (read == 0) {
		const struct counts_day *b = &before[0];
		CHECK(now->asked_voice == sum(b->asked_voice, 1));
		CHECK(now->asked_key == b->asked_key && now->answered == b->answered &&
		      now->asked_back == b->asked_back);
		CHECK(now->not_understood == sum(b->not_understood, 1));
		CHECK(now->n_topics == b->n_topics);
		for (size_t i = 0; i < b->n_topics; i++)
			CHECK(counts_day_topic(now, b->topics[i].id) == b->topics[i].n);
	} else {
		check_bad_kept(path, data, size);
		CHECK(now->asked_voice == 1 && now->not_understood == 1);
		CHECK(!now->asked_key && !now->answered && !now->asked_back && !now->n_topics);
	}
	counts_days_free(now, n);
out:
	counts_days_free(before, n_before);
	free(path);
	return 0;
}
