/* Synthesiser figures (printed, never asserted): start-up, time to the first sample and total
 * time for a 3-sentence answer, the real speaking rate of the shipped answers at every rate
 * step, and the spoken duration of every shipped answer at the default rate.
 * Run: meson test -C BUILD --benchmark synthesiser (or the executable itself, optionally with
 * a scripts folder and a lexicon folder as arguments). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "audio_helpers.h"
#include "monotonic.h"
#include "diag.h"
#include "lexicon.h"
#include "script.h"
#include "synthesiser.h"

#define RUNS 20

struct timing {
	double start, first;
	size_t samples;
};

static int on_chunk(void *userdata, const int16_t *samples, size_t n)
{
	struct timing *t = userdata;
	if (t->samples == 0 && n > 0)
		t->first = monotonic_s();
	t->samples += n;
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static size_t count_words(const char *s)
{
	size_t n = 0;
	int in = 0;
	for (; *s; s++) {
		int w = *s != ' ';
		n += w && !in;
		in = w;
	}
	return n;
}

static void print_diag(const struct diag *d)
{
	for (size_t i = 0; i < d->n_lines; i++)
		fprintf(stderr, "%s\n", d->lines[i]);
}

int main(int argc, char **argv)
{
	const char *scripts = argc > 1 ? argv[1] : TEST_SOURCE_DIR "/scripts";
	const char *lexdir = argc > 2 ? argv[2] : TEST_SOURCE_DIR "/lexicon";
	char err[512];
	struct diag d;
	diag_init(&d);
	struct script_set *set = NULL;
	struct lexicon *lex = NULL;
	if (script_set_load(scripts, NULL, &set, &d) < 0 || lexicon_load(lexdir, NULL, &lex, &d) < 0) {
		print_diag(&d);
		return 1;
	}

	struct synth_config config;
	struct synth *s;
	synth_config_defaults(&config);
	double t0 = monotonic_s();
	if (synth_create(&config, lex, &s, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	double t_create = monotonic_s() - t0;
	printf("synthesiser: voice %s, %d Hz, default rate %d wpm (bounds %d-%d, step %d), "
	       "pause %d ms\n",
	       config.voice, synth_sample_rate(s), synth_rate(s), SYNTH_RATE_MIN, SYNTH_RATE_MAX,
	       SYNTH_RATE_STEP, config.sentence_pause_ms);
	printf("start-up (eSpeak NG init + voice): %.1f ms\n", t_create * 1e3);

	/* A 3-sentence answer: the first one of the shipped topics that has three or more. */
	const struct script_entry *three = NULL;
	for (size_t i = 0; i < set->n_topics && !three; i++)
		if (set->topics[i].n_say >= 3)
			three = &set->topics[i];
	if (three) {
		double first[RUNS], total[RUNS];
		size_t samples = 0;
		for (int r = 0; r < RUNS; r++) {
			struct timing t = { .start = monotonic_s() };
			if (synth_speak_sentences_stream(s, three->say, 3, on_chunk, &t, err,
							 sizeof(err)) < 0) {
				fprintf(stderr, "%s\n", err);
				return 1;
			}
			first[r] = (t.first - t.start) * 1e3;
			total[r] = (monotonic_s() - t.start) * 1e3;
			samples = t.samples;
		}
		qsort(first, RUNS, sizeof(double), cmp_double);
		qsort(total, RUNS, sizeof(double), cmp_double);
		double secs = (double)samples / synth_sample_rate(s);
		printf("3-sentence answer (%s, %.1f s of speech), %d runs:\n", three->id, secs, RUNS);
		printf("  time to first sample: median %.2f ms, max %.2f ms\n", first[RUNS / 2],
		       first[RUNS - 1]);
		printf("  total synthesis time: median %.1f ms, max %.1f ms (%.4f x real time)\n",
		       total[RUNS / 2], total[RUNS - 1], total[RUNS / 2] / 1e3 / secs);
	}

	/* The real rate of the shipped answers at each step: words / speech time, each sentence on
	 * its own (the pauses between sentences are not counted; they are a separate setting). */
	printf("measured speaking rate of all shipped say:/more: sentences (pauses excluded):\n");
	for (int rate = SYNTH_RATE_MIN; rate <= SYNTH_RATE_MAX; rate += SYNTH_RATE_STEP) {
		synth_set_rate(s, rate);
		size_t words = 0;
		double secs = 0;
		for (size_t i = 0; i < set->n_topics; i++) {
			const struct script_entry *e = &set->topics[i];
			char **groups[] = { e->say, e->more };
			size_t counts[] = { e->n_say, e->n_more };
			for (int g = 0; g < 2; g++)
				for (size_t k = 0; k < counts[g]; k++) {
					words += count_words(groups[g][k]);
					secs += synth_measure_seconds(s, &groups[g][k], 1, err,
								      sizeof(err));
				}
		}
		printf("  asked %3d wpm: measured %5.1f wpm (%zu words, %.1f s)\n", rate,
		       words * 60.0 / secs, words, secs);
	}
	synth_set_rate(s, SYNTH_RATE_DEFAULT);

	printf("spoken duration at %d wpm, pauses included (answer / more):\n", synth_rate(s));
	double longest = 0;
	for (size_t i = 0; i < set->n_topics; i++) {
		const struct script_entry *e = &set->topics[i];
		double say = synth_measure_seconds(s, e->say, e->n_say, err, sizeof(err));
		double more = synth_measure_seconds(s, e->more, e->n_more, err, sizeof(err));
		printf("  %-24s %5.1f s / %5.1f s%s\n", e->id, say, more, e->clip ? " (clip)" : "");
		longest = say > longest ? say : longest;
	}
	printf("  longest answer: %.1f s\n", longest);

	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("peak memory (RSS): %.1f MB\n", ru.ru_maxrss / 1024.0);
	synth_destroy(s);
	lexicon_destroy(lex);
	script_set_destroy(set);
	diag_done(&d);
	return 0;
}
