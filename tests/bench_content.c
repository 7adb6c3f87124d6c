/* What content costs. For the leaflet and the two contents in a
 * school's own shape (tests/data/scripts-drinks, -school: templates with lists, tens of thousands
 * of phrasings), what `talkleaf ask` takes from start to answer on three real coffee orders,
 * quiet and in the benchmarks' kitchen at 6 dB: wall seconds and peak memory (the process's
 * ru_maxrss; issue 4's targets: start-up <= 0.5 s, peak memory <= 60 MB). Prints figures; no
 * assertion on time or memory.
 * Then how long loading takes as content grows (docs/limits.md): generated folders of 1,000,
 * 10,000 and 100,000 topics, and one ask: line of 10,000 and 40,000 words (an error past
 * TEMPLATE_MAX_WORDS, found at once). */
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "audio.h"
#include "audio_helpers.h"
#include "monotonic.h"
#include "check.h"
#include "log.h"
#include "noise.h"
#include "script.h"

extern char **environ;

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

/* `talkleaf ask` on `wav` with the content in `scripts` (NULL: the leaflet): its wall seconds
 * and peak memory in MB; -1 when it could not be run or failed. */
static int ask_cost(const char *scripts, const char *wav, double *seconds, double *peak_mb)
{
	const char *argv[] = { "talkleaf", "ask", "--json", wav, NULL, NULL, NULL };
	if (scripts) {
		argv[4] = "--scripts";
		argv[5] = scripts;
	}
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	double t0 = monotonic_s();
	pid_t pid;
	int r = posix_spawn(&pid, TALKLEAF_EXE, &fa, NULL, (char *const *)argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (r != 0)
		return -1;
	int status;
	struct rusage ru;
	if (wait4(pid, &status, 0, &ru) != pid || !WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return -1;
	*seconds = monotonic_s() - t0;
	*peak_mb = (double)ru.ru_maxrss / 1024.0;
	return 0;
}

/* The order as recorded and mixed with the kitchen at 6 dB, as WAVs in dir (wav[0], wav[1]). */
static int orders_write(const char *dir, const char *name, const float *kitchen, size_t n_noise,
			char wav[2][512])
{
	char path[512], err[512];
	snprintf(path, sizeof(path), "%s/tests/data/real-speech/coffee/%s.flac", TEST_SOURCE_DIR,
		 name);
	size_t n;
	int rate;
	int16_t *pcm = read_wav(path, &n, &rate);
	if (!pcm || rate != AUDIO_RATE_HZ)
		return -1;
	int16_t *mixed = xmalloc(n * sizeof(*mixed));
	noise_mix(pcm, n, kitchen, n_noise, 6.0, 0, mixed);
	const int16_t *copies[2] = { pcm, mixed };
	int r = 0;
	for (int c = 0; c < 2 && r == 0; c++) {
		snprintf(wav[c], 512, "%s/%.8s-%s.wav", dir, name, c ? "kitchen6" : "quiet");
		struct audio_sink *sink;
		r = audio_sink_open_file(wav[c], AUDIO_RATE_HZ, &sink, err, sizeof(err));
		if (r == 0) {
			r = audio_sink_write(sink, copies[c], n, AUDIO_RATE_HZ, NULL, err,
					     sizeof(err));
			audio_sink_destroy(sink);
		}
		if (r != 0)
			fprintf(stderr, "bench_content: %s\n", err);
	}
	free(pcm);
	free(mixed);
	return r;
}

static void contents_cost(const char *dir)
{
	static const char *const orders[] = { "3f94e11d-445a-4852-9e1a-a99f0fa71aac",
					      "41be2a72-d354-47a2-b8bf-419f057a4a3a",
					      "437e6a34-24d3-4521-8e76-e3e392ae2741" };
	enum { N_ORDERS = sizeof(orders) / sizeof(*orders) };
	static const struct {
		const char *name, *scripts;
	} contents[] = {
		{ "the leaflet (scripts/)", NULL },
		{ "drinks (tests/data/scripts-drinks)", TEST_SOURCE_DIR "/tests/data/scripts-drinks" },
		{ "school (tests/data/scripts-school)", TEST_SOURCE_DIR "/tests/data/scripts-school" },
	};
	size_t n_noise = AUDIO_RATE_HZ * 20;
	uint32_t seed = 12345;
	float *pink = noise_pink_create(n_noise, &seed);
	float *kitchen = noise_kitchen_create(pink, n_noise, NOISE_KITCHEN_SEED);
	char wav[N_ORDERS][2][512];
	for (size_t i = 0; i < N_ORDERS; i++)
		if (orders_write(dir, orders[i], kitchen, n_noise, wav[i]) < 0) {
			fprintf(stderr, "bench_content: cannot make the orders' WAVs in %s\n", dir);
			exit(1);
		}
	printf("`talkleaf ask` on %d real orders, start to answer (seconds: mean / max; peak "
	       "memory MB: mean / max)\n\n",
	       N_ORDERS);
	printf("| content | quiet: seconds | quiet: peak MB | kitchen 6 dB: seconds "
	       "| kitchen 6 dB: peak MB |\n|---|---|---|---|---|\n");
	for (size_t c = 0; c < sizeof(contents) / sizeof(*contents); c++) {
		printf("| %s |", contents[c].name);
		for (int k = 0; k < 2; k++) {
			double s_sum = 0, s_max = 0, m_sum = 0, m_max = 0, s, m;
			for (size_t i = 0; i < N_ORDERS; i++) {
				if (ask_cost(contents[c].scripts, wav[i][k], &s, &m) < 0) {
					fprintf(stderr, "bench_content: ask failed on %s\n",
						wav[i][k]);
					exit(1);
				}
				s_sum += s;
				m_sum += m;
				s_max = s > s_max ? s : s_max;
				m_max = m > m_max ? m : m_max;
			}
			printf(" %.2f / %.2f | %.1f / %.1f |", s_sum / N_ORDERS, s_max,
			       m_sum / N_ORDERS, m_max);
		}
		printf("\n");
		fflush(stdout);
	}
	printf("\n");
	free(pink);
	free(kitchen);
}

int main(void)
{
	char dir[256];
	if (tmpdir_make(dir, sizeof(dir), TEST_BUILD_DIR, "bench-content") < 0)
		return 1;
	/* First: a child's peak memory counts the parent's from before its exec. */
	contents_cost(dir);
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
	return tmpdir_remove(dir) == 0 ? 0 : 1;
}
