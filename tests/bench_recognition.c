/* Recognition benchmark (not a test: `meson test --benchmark recognition`, or run it).
 * eSpeak NG speaks the questions (template phrasings sampled from the scripts, the paraphrases of
 * tests/data/paraphrases.txt, the controls, and tests/data/out-of-domain.txt) in several voices,
 * speeds and pitches; pink noise and babble (several eSpeak NG voices talking at once) are added
 * at 20, 10 and 5 dB SNR; every utterance goes through recogniser_decode, the code `talkleaf ask`
 * runs. Prints one table for the eSpeak NG voices and, when built with flite (flite1-dev), one
 * for flite's CMU ARCTIC voices: eSpeak NG is formant synthesis, far from a human voice (the
 * stock en-us model with its general language model hears its isolated "help" as "you look at",
 * "al" or "there are"), while flite's slt, rms and awb are built from recordings of real speakers
 * and come much closer to what a parent sounds like. A third table: recordings of real people
 * (tests/data/real-voices.txt, Debian's pocketsphinx-testdata), none about the leaflet, heard as
 * out-of-domain speech. A fourth: real people's coffee orders (tests/data/real-speech/coffee,
 * the reporting part of its fixed split) against their own content (tests/data/scripts-drinks),
 * quiet, in steady noise and in a kitchen's (support/noise.c) at 12 and 6 dB, beside the figures
 * of issue 19's starting build (baseline_rows).
 * A fifth: a school's topics (tests/data/scripts-school), its questions and out-of-domain ones
 * (tests/data/school-questions.txt, school-out-of-domain.txt) in eSpeak NG and flite's voices, clean
 * and in kitchen noise at 12 dB. The coffee and school tables count the numbered choice offered
 * and the recogniser's noisy flag too.
 * Options: --quick (fewer sentences and conditions), --denoise (speexdsp noise suppression
 * always), --denoise-below DB (when the loud frames are less than DB above the quiet ones; 0
 * never), --phone-loop (the third pass, for its features), --dump FILE (one TSV line per
 * utterance, for calibrating the thresholds), --threads N (default 2), --ps NAME VALUE (a
 * PocketSphinx setting to try, such as --ps -wip 0.2; repeatable), --speakers (instead of noise,
 * the in-domain questions as made, 35 dB quieter, through a telephone band, in a room's echo,
 * and spoken slowly: see enum channel), --real-speech (the coffee orders' rows alone), --real-part
 * NAME (the coffee orders of NAME.txt instead of report.txt: tune, for tuning), --school (the
 * school's rows alone), --conds LIST (only the conditions of these indices into conds[], such as
 * 12 for the coffee orders' quiet), --adaptation FILE (another adaptation of the acoustic model,
 * or none), --open-words N and --open-mass X (the open vocabulary's size and share of the unigram
 * mass). In full it decodes about 2600 utterances (~13 minutes on 2 idle cores).
 * This file: the conditions, the decoding threads and main; the sentences and their audio are
 * bench_recognition_speech.c's, the tables and the dump bench_recognition_tables.c's. */
#include "bench_recognition.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "lexicon.h"
#include "log.h"
#include "noise.h"
#include "paths.h"
#include "recogniser.h"
#include "script.h"

struct cond conds[] = {
	{ "clean", 0, 0, true, CHANNEL_AS_MADE, false },
	{ "pink 20 dB", 1, 20, false, CHANNEL_AS_MADE, false },
	{ "pink 10 dB", 1, 10, true, CHANNEL_AS_MADE, false },
	{ "pink 5 dB", 1, 5, false, CHANNEL_AS_MADE, false },
	{ "babble 20 dB", 2, 20, false, CHANNEL_AS_MADE, false },
	{ "babble 10 dB", 2, 10, true, CHANNEL_AS_MADE, false },
	{ "babble 5 dB", 2, 5, false, CHANNEL_AS_MADE, false },
	{ "as made", 0, 0, false, CHANNEL_AS_MADE, true },
	{ "quiet (-35 dB)", 0, 0, false, CHANNEL_QUIET, true },
	{ "telephone band", 0, 0, false, CHANNEL_TELEPHONE, true },
	{ "room echo", 0, 0, false, CHANNEL_ECHO, true },
	{ "slow speech", 0, 0, false, CHANNEL_SLOW, true },
	{ "quiet", NOISE_NONE, 0, false, CHANNEL_AS_MADE, false, CONTENT_COFFEE },
	{ "steady 12 dB", NOISE_PINK, 12, false, CHANNEL_AS_MADE, false, CONTENT_COFFEE },
	{ "steady 6 dB", NOISE_PINK, 6, false, CHANNEL_AS_MADE, false, CONTENT_COFFEE },
	{ "kitchen 12 dB", NOISE_KITCHEN, 12, false, CHANNEL_AS_MADE, false, CONTENT_COFFEE },
	{ "kitchen 6 dB", NOISE_KITCHEN, 6, false, CHANNEL_AS_MADE, false, CONTENT_COFFEE },
	{ "clean", NOISE_NONE, 0, true, CHANNEL_AS_MADE, false, CONTENT_SCHOOL },
	{ "kitchen 12 dB", NOISE_KITCHEN, 12, true, CHANNEL_AS_MADE, false, CONTENT_SCHOOL },
};
const size_t n_conds = sizeof(conds) / sizeof(conds[0]);

/* ---- decoding ----------------------------------------------------------------------------- */

struct job *jobs;
size_t n_jobs;
static size_t next_job, end_job; /* a phase decodes jobs [next_job, end_job) */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static const struct script_set *g_set;
static const struct lexicon *g_lex;
static int failed;
static bool opt_denoise, opt_phone_loop;
/* --adaptation FILE: another adaptation of the acoustic model to try, or none. */
static const char *opt_adaptation;
static double opt_denoise_below = -1, opt_open_mass = 0;
static int opt_open_words = 0;
/* --ps NAME VALUE: PocketSphinx settings to try, passed through as recogniser_config.ps_args. */
static const char *opt_ps_args[41];
static int n_opt_ps_args;

static void *worker(void *arg)
{
	(void)arg;
	struct recogniser_config tuning;
	recogniser_config_defaults(&tuning);
	tuning.denoise = opt_denoise;
	if (opt_denoise_below >= 0)
		tuning.denoise_below_db = opt_denoise_below;
	tuning.phone_loop = opt_phone_loop;
	tuning.open_words = opt_open_words;
	tuning.open_mass = opt_open_mass;
	tuning.ps_args = n_opt_ps_args ? opt_ps_args : NULL;
	const struct recogniser_setup_config rs = {
		.acoustic_model = paths_acoustic_model(),
		.dictionary = paths_dictionary(),
		.adaptation = opt_adaptation,
		.tuning = &tuning,
	};
	struct recogniser *rec;
	char err[512];
	struct diag warnings;
	diag_init(&warnings);
	/* As `talkleaf ask`; the set-up makes an eSpeak NG engine of its own for pronunciations,
	 * and that is one global engine, so the recognisers are built one at a time. */
	pthread_mutex_lock(&lock);
	int cr = recogniser_setup(&rs, g_set, g_lex, &rec, &warnings, err, sizeof(err));
	pthread_mutex_unlock(&lock);
	/* Figures without the adaptation asked for would be mistaken for figures with it. */
	if (cr == 0 && diag_contains(&warnings, "adaptation")) {
		diag_print(&warnings, stderr);
		recogniser_destroy(rec);
		cr = -1;
		err[0] = '\0';
	}
	diag_done(&warnings);
	if (cr < 0) {
		if (err[0])
			fprintf(stderr, "%s\n", err);
		failed = 1;
		return NULL;
	}
	for (;;) {
		pthread_mutex_lock(&lock);
		size_t i = next_job++;
		pthread_mutex_unlock(&lock);
		if (i >= end_job)
			break;
		struct job *j = &jobs[i];
		if (recogniser_decode(rec, j->pcm, j->n, &j->r, err, sizeof(err)) < 0) {
			fprintf(stderr, "%s\n", err);
			failed = 1;
		}
		j->has_intent = recognition_intent_name(&j->r, j->intent, sizeof(j->intent)) != NULL;
		free(j->pcm);
		j->pcm = NULL;
	}
	recogniser_destroy(rec);
	return NULL;
}

/* Decode jobs [begin, end) on `threads` threads with recognisers for `set`. */
static int decode_phase(const struct script_set *set, size_t begin, size_t end, int threads)
{
	if (begin == end)
		return 0;
	g_set = set;
	next_job = begin;
	end_job = end;
	pthread_t th[16];
	for (int t = 0; t < threads; t++)
		pthread_create(&th[t], NULL, worker, NULL);
	for (int t = 0; t < threads; t++)
		pthread_join(th[t], NULL);
	return failed ? -1 : 0;
}

/* Whether condition c is in `list` (--conds: indices into conds[], comma-separated; NULL: all). */
static bool cond_wanted(const char *list, size_t c)
{
	if (!list)
		return true;
	for (const char *p = list; *p;) {
		char *end;
		long k = strtol(p, &end, 10);
		if (end == p)
			break;
		if (k == (long)c)
			return true;
		p = *end == ',' ? end + 1 : end;
	}
	return false;
}

int main(int argc, char **argv)
{
	bool quick = false, speakers = false, real_only = false, school_only = false;
	const char *dump = NULL, *real_part = "report", *only_conds = NULL;
	int threads = 2;
	opt_adaptation = paths_adaptation();
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--quick"))
			quick = true;
		else if (!strcmp(argv[i], "--dump") && i + 1 < argc)
			dump = argv[++i];
		else if (!strcmp(argv[i], "--speakers"))
			speakers = true;
		else if (!strcmp(argv[i], "--real-speech"))
			real_only = true;
		else if (!strcmp(argv[i], "--school"))
			school_only = true;
		else if (!strcmp(argv[i], "--real-part") && i + 1 < argc)
			real_part = argv[++i];
		else if (!strcmp(argv[i], "--conds") && i + 1 < argc)
			only_conds = argv[++i];
		else if (!strcmp(argv[i], "--phone-loop"))
			opt_phone_loop = true;
		else if (!strcmp(argv[i], "--open-words") && i + 1 < argc)
			opt_open_words = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--open-mass") && i + 1 < argc)
			opt_open_mass = atof(argv[++i]);
		else if (!strcmp(argv[i], "--denoise"))
			opt_denoise = true;
		else if (!strcmp(argv[i], "--denoise-below") && i + 1 < argc)
			opt_denoise_below = atof(argv[++i]);
		else if (!strcmp(argv[i], "--adaptation") && i + 1 < argc) {
			opt_adaptation = argv[++i];
			if (!strcmp(opt_adaptation, "none"))
				opt_adaptation = NULL;
		} else if (!strcmp(argv[i], "--threads") && i + 1 < argc)
			threads = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--ps") && i + 2 < argc && n_opt_ps_args < 40) {
			opt_ps_args[n_opt_ps_args++] = argv[++i];
			opt_ps_args[n_opt_ps_args++] = argv[++i];
		} else {
			/* A typo would otherwise start the whole, long benchmark. */
			fprintf(stderr,
				"bench_recognition: unknown option or missing value: %s (the "
				"options are listed at the top of tests/bench_recognition.c)\n",
				argv[i]);
			return 2;
		}
	}
	if (threads < 1 || threads > 16)
		threads = 2;
	bool alone = real_only || school_only; /* no leaflet tables */
	const char *src = TEST_SOURCE_DIR;
	char path[1024];
	struct diag d;
	diag_init(&d);
	struct script_set *set;
	struct lexicon *lex;
	snprintf(path, sizeof(path), "%s/scripts", src);
	char lexdir[1024];
	snprintf(lexdir, sizeof(lexdir), "%s/lexicon", src);
	if (script_set_load(path, NULL, &set, &d) < 0 || lexicon_load(lexdir, NULL, &lex, &d) < 0) {
		for (size_t i = 0; i < d.n_lines; i++)
			fprintf(stderr, "%s\n", d.lines[i]);
		return 1;
	}
	g_set = set;
	g_lex = lex;

	/* In-domain: template phrasings sampled evenly from each topic and control. */
	struct phrases all = { 0 };
	size_t per_topic = quick ? 3 : 4, per_control = 1;
	for (size_t i = 0; i < set->n_topics + set->n_controls; i++) {
		const struct script_entry *e = i < set->n_topics ? &set->topics[i]
								 : &set->controls[i - set->n_topics];
		struct phrases p = { 0 };
		script_entry_expand(set, e, collect, &p);
		size_t k = i < set->n_topics ? per_topic : per_control;
		char label[160];
		if (i < set->n_topics)
			snprintf(label, sizeof(label), "%s", e->id);
		else
			snprintf(label, sizeof(label), "control:%s", control_names[e->control]);
		for (size_t j = 0; j < k && p.n; j++)
			item_add(SET_IN, label, p.s[(size_t)(urand() * (double)p.n) % p.n]);
		for (size_t j = 0; j < p.n; j++)
			collect(&all, p.s[j]);
		phrases_done(&p);
	}
	qsort(all.s, all.n, sizeof(*all.s), str_cmp);
	snprintf(path, sizeof(path), "%s/tests/data/paraphrases.txt", src);
	if (read_list(path, SET_PARA, true, &all, CONTENT_LEAFLET) < 0)
		return 1;
	snprintf(path, sizeof(path), "%s/tests/data/controls.txt", src);
	if (!quick && read_list(path, SET_IN, true, NULL, CONTENT_LEAFLET) < 0)
		return 1;
	snprintf(path, sizeof(path), "%s/tests/data/out-of-domain.txt", src);
	if (read_list(path, SET_OOD, false, NULL, CONTENT_LEAFLET) < 0)
		return 1;

#ifdef HAVE_FLITE
	/* Every sentence again, in flite's voices. */
	size_t n_espeak = n_items;
	for (size_t i = 0; i < n_espeak; i++) {
		item_add(items[i].set, items[i].label, items[i].text);
		items[n_items - 1].family = FAMILY_FLITE;
		items[n_items - 1].content = items[i].content;
	}
#endif
	/* Speak every sentence once, in a voice, speed and pitch of its own. */
	if (!alone)
		fprintf(stderr, "speaking %zu sentences...\n", n_items);
	size_t n_spoken = n_items;
	for (size_t i = 0; i < n_spoken; i++) {
		if (alone ||
		    ((quick || speakers) && items[i].set != SET_IN && (speakers || i % 2)))
			continue;
		if (items[i].family == FAMILY_ESPEAK) {
			const char *v = voices[i % n_voices];
			int rate = 120 + (int)(urand() * 50), pitch = 30 + (int)(urand() * 40);
			if (speak(lex, v, rate, pitch, items[i].text, &items[i].pcm, &items[i].n) < 0)
				return 1;
			if (speakers && speak(lex, v, 90 + (int)(urand() * 15), pitch, items[i].text,
					      &items[i].slow, &items[i].n_slow) < 0)
				return 1;
		}
#ifdef HAVE_FLITE
		else {
			if (speak_flite((int)(i % 3), 0.9 + urand() * 0.35, items[i].text,
					&items[i].pcm, &items[i].n) < 0)
				return 1;
			if (speakers && speak_flite((int)(i % 3), 1.45 + urand() * 0.15, items[i].text,
						    &items[i].slow, &items[i].n_slow) < 0)
				return 1;
		}
#endif
	}
	if (!speakers && !alone) {
		snprintf(path, sizeof(path), "%s/tests/data/real-voices.txt", src);
		if (recordings_add(path, POCKETSPHINX_TEST_DATA, FAMILY_REAL) < 0)
			return 1;
	}
	struct script_set *drinks = NULL;
	size_t n_orders = 0;
	if (real_only || (!alone && !speakers && !quick)) {
		if (coffee_load(src, real_part, &drinks, &n_orders) < 0)
			return 1;
	}
	struct script_set *school = NULL;
	if (school_only || (!alone && !speakers && !quick)) {
		fprintf(stderr, "speaking the school's questions...\n");
		if (school_add(src, lex, &school) < 0)
			return 1;
	}
	n_noise = 16000 * 60;
	pink = noise_pink_create(n_noise, &bench_rng);
	const char *babble_texts[] = { "the weather will be dry and bright in the north",
		"she said she would call back after lunch on tuesday",
		"turn left at the lights and then keep going past the school",
		"the match was cancelled because the pitch was flooded",
		"we need milk bread and some apples from the shop",
		"the next train to the city centre leaves from platform two",
		"he has been working in the garden all morning" };
	if (!alone) {
		fprintf(stderr, "making babble...\n");
		if (make_babble(lex, n_noise, babble_texts,
				sizeof(babble_texts) / sizeof(*babble_texts)) < 0)
			return 1;
	}
	if (drinks || school)
		kitchen = noise_kitchen_create(pink, n_noise, NOISE_KITCHEN_SEED);

	for (size_t c = 0; c < n_conds; c++) {
		if (conds[c].speakers != speakers || (quick && c != 0 && c != 2 && c != 5) ||
		    (real_only && conds[c].content != CONTENT_COFFEE) ||
		    (school_only && conds[c].content != CONTENT_SCHOOL) ||
		    !cond_wanted(only_conds, c))
			continue;
		for (size_t i = 0; i < n_items; i++) {
			if (!items[i].pcm || (items[i].set != SET_IN && !conds[c].all_sets) ||
			    conds[c].content != items[i].content)
				continue;
			jobs = xreallocarray(jobs, n_jobs + 1, sizeof(*jobs));
			struct job *j = &jobs[n_jobs++];
			memset(j, 0, sizeof(*j));
			j->item = &items[i];
			j->cond = (int)c;
			bool slow = conds[c].channel == CHANNEL_SLOW;
			j->n = slow ? items[i].n_slow : items[i].n;
			j->pcm = xmalloc(j->n * sizeof(int16_t));
			if (conds[c].noise == 0)
				through_channel(conds[c].channel, slow ? items[i].slow : items[i].pcm,
						j->n, j->pcm);
			else
				noise_mix(items[i].pcm, j->n, conds[c].noise == NOISE_PINK ? pink
							      : conds[c].noise == NOISE_BABBLE ? babble
											       : kitchen,
					  n_noise, conds[c].snr_db, noise_offset(&items[i], i), j->pcm);
		}
	}
	fprintf(stderr, "decoding %zu utterances on %d threads (the model's adaptation: %s)...\n",
		n_jobs, threads, opt_adaptation ? opt_adaptation : "none");
	/* The jobs come by content (their conditions do), each heard against its own scripts. */
	const struct script_set *content_sets[CONTENT_COUNT] = { set, drinks, school };
	size_t begin = 0;
	for (int c = 0; c < CONTENT_COUNT; c++) {
		size_t end = begin;
		while (end < n_jobs && jobs[end].item->content == (enum content)c)
			end++;
		if (decode_phase(content_sets[c], begin, end, threads) < 0)
			return 1;
		begin = end;
	}

	FILE *df = dump ? fopen(dump, "w") : NULL;
	leaflet_print(df);
	if (drinks)
		coffee_print(real_part, n_orders, df);
	if (school)
		school_print(df);
	if (df)
		fclose(df);

	for (size_t i = 0; i < n_items; i++) {
		free(items[i].label);
		free(items[i].text);
		free(items[i].pcm);
		free(items[i].slow);
	}
	free(items);
	free(jobs);
	free(pink);
	free(babble);
	phrases_done(&all);
	lexicon_destroy(lex);
	script_set_destroy(set);
	script_set_destroy(drinks);
	script_set_destroy(school);
	diag_done(&d);
	return 0;
}
