/* How long loading takes as content grows (docs/limits.md): generated folders of 1,000, 10,000
 * and 100,000 topics, and one ask: line of 10,000 and 40,000 words (an error past
 * TEMPLATE_MAX_WORDS, found at once). Prints seconds; no assertion on time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audio_helpers.h"
#include "monotonic.h"
#include "check.h"
#include "log.h"
#include "script.h"

#define SCRIPTS_DIR TEST_SOURCE_DIR "/scripts"

/* Load the built-in scripts with `dir`'s topics, then run check's content checks when it loads;
 * returns the seconds taken and the number of errors. */
static double load_seconds(const char *dir, size_t *errors)
{
	struct diag d;
	diag_init(&d);
	struct script_set *set;
	double t0 = monotonic_s();
	if (script_set_load(SCRIPTS_DIR, dir, &set, &d) == 0) {
		struct check_stats st;
		check_content(set, NULL, NULL, &d, &st);
		script_set_destroy(set);
	}
	double t = monotonic_s() - t0;
	*errors = d.n_errors;
	diag_done(&d);
	return t;
}

static void write_topics(const char *dir, size_t n)
{
	char *path = xasprintf("%s/all.txt", dir);
	FILE *f = fopen(path, "w");
	if (!f)
		abort();
	/* Only 99 keys exist: the rest have none (an error each, as in the measurement). */
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "topic: t%zu\n", i);
		if (i < 99)
			fprintf(f, "key: %zu\n", i + 1);
		fprintf(f, "title: Topic %zu\nask: what is topic number%zu [please]\n"
			   "say: This is topic %zu.\nsee: t%zu\n\n", i, i, i, (i + 1) % n);
	}
	fclose(f);
	free(path);
}

static void write_words(const char *dir, size_t n)
{
	char *path = xasprintf("%s/all.txt", dir);
	FILE *f = fopen(path, "w");
	if (!f)
		abort();
	fputs("topic: a\nkey: 1\ntitle: A\nask:", f);
	for (size_t i = 0; i < n; i++)
		fprintf(f, " word%zu", i);
	fputs("\nsay: A.\n", f);
	fclose(f);
	free(path);
}

int main(void)
{
	char dir[256];
	snprintf(dir, sizeof(dir), "%s/bench-content-XXXXXX", TEST_BUILD_DIR);
	if (!mkdtemp(dir))
		return 1;
	size_t errors;
	const size_t topics[] = { 1000, 10000, 100000 };
	for (size_t i = 0; i < 3; i++) {
		write_topics(dir, topics[i]);
		double s = load_seconds(dir, &errors);
		printf("%6zu topics: %.2f s (%zu errors)\n", topics[i], s, errors);
	}
	const size_t words[] = { 10000, 40000 };
	for (size_t i = 0; i < 2; i++) {
		write_words(dir, words[i]);
		double s = load_seconds(dir, &errors);
		printf("%6zu-word ask: line: %.3f s (%zu errors)\n", words[i], s, errors);
	}
	char *cmd = xasprintf("rm -rf '%s'", dir);
	int r = system(cmd);
	free(cmd);
	return r == 0 ? 0 : 1;
}
