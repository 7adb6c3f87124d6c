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
 * 12 for the coffee orders' quiet), --open-words N and --open-mass X (the open vocabulary's size
 * and share of the unigram mass). In full it decodes about 2600 utterances (~13 minutes on 2
 * idle cores). */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audio.h"
#include "diag.h"
#include "intent.h"
#include "lexicon.h"
#include "log.h"
#include "noise.h"
#include "paths.h"
#include "real_voices.h"
#include "recogniser.h"
#include "script.h"
#include "synthesiser.h"

enum set_kind { SET_IN, SET_PARA, SET_OOD, SET_COUNT };
static const char *const set_names[SET_COUNT] = { "in-domain", "paraphrase", "out-of-domain" };

enum family { FAMILY_ESPEAK, FAMILY_FLITE, FAMILY_REAL, FAMILY_COFFEE, FAMILY_COUNT };
static const char *const family_names[FAMILY_COUNT] = {
	"eSpeak NG voices (7 voices, random speed and pitch)",
	"flite voices built from recordings (slt, rms, awb; random speed)",
	"recordings of real people (PocketSphinx's test data: none about the leaflet)",
	("real people ordering coffee (tests/data/real-speech/coffee; content "
	 "tests/data/scripts-drinks)"), /* brackets: one string, split for the line's length */
};
static const char *const family_ids[FAMILY_COUNT] = { "espeak", "flite", "real", "coffee" };

/* What an utterance is heard against: the shipped leaflet, the coffee orders' drinks
 * (tests/data/scripts-drinks) or a school's topics (tests/data/scripts-school). */
enum content { CONTENT_LEAFLET, CONTENT_COFFEE, CONTENT_SCHOOL, CONTENT_COUNT };

struct item {
	enum set_kind set;
	enum family family;
	enum content content;
	char *label; /* intent name ("camhs", "control:repeat") or NULL for out-of-domain */
	char *text;
	int16_t *pcm; /* clean, 16 kHz */
	size_t n;
	int16_t *slow; /* the same spoken slowly (--speakers) */
	size_t n_slow;
};

struct job {
	const struct item *item;
	int cond;
	int16_t *pcm;
	size_t n;
	struct recognition r;
	char intent[160];
	bool has_intent;
};

/* The speaker and the line (--speakers), on the in-domain questions: what a real parent and a
 * real microphone change that noise does not. */
enum channel {
	CHANNEL_AS_MADE,
	CHANNEL_QUIET,     /* 35 dB quieter: far from the microphone, or its gain turned low */
	CHANNEL_TELEPHONE, /* through 8 kHz: a telephone line, a Bluetooth headset's hands-free mode */
	CHANNEL_ECHO,      /* a bare kitchen: echoes as loud as the voice itself, dying away in 0.5 s */
	CHANNEL_SLOW,      /* spoken slowly: eSpeak NG at 90-105 words a minute, flite 1.45-1.6 times */
};

enum noise { NOISE_NONE, NOISE_PINK, NOISE_BABBLE, NOISE_KITCHEN };

struct cond {
	const char *name;
	enum noise noise;
	double snr_db;
	bool all_sets; /* paraphrases and out-of-domain too (else in-domain only) */
	enum channel channel;
	bool speakers; /* run with --speakers only */
	enum content content; /* the leaflet's conditions, the coffee orders' or the school's */
};

static struct cond conds[] = {
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

/* The coffee orders' rows of issue 19's starting build (3dabbc9), measured with this benchmark
 * (--real-speech, report.txt) on it and kept as constants: later builds print theirs beside. */
struct baseline_row {
	const char *name;
	double offered, answered, wrong, rejected; /* percent */
};
static const struct baseline_row baseline_rows[] = {
	{ "quiet", 95.0, 9.0, 0.0, 5.0 },
	{ "steady 12 dB", 87.0, 3.0, 0.0, 13.0 },
	{ "steady 6 dB", 74.0, 0.0, 1.0, 24.0 },
	{ "kitchen 12 dB", 79.0, 0.0, 0.0, 20.0 },
	{ "kitchen 6 dB", 62.0, 0.0, 0.0, 33.0 },
};
#define N_CONDS (sizeof(conds) / sizeof(conds[0]))

static const char *const voices[] = { "en", "en-us", "en+f3", "en+m3", "en-gb-scotland",
				      "en+f4", "en-us+m2" };
#define N_VOICES (sizeof(voices) / sizeof(voices[0]))

static uint32_t rng = 12345;
static double urand(void)
{
	return noise_urand(&rng);
}

/* ---- sentences ---------------------------------------------------------------------------- */

struct phrases {
	char **s;
	size_t n;
};

static int collect(void *data, const char *phrase)
{
	struct phrases *p = data;
	p->s = xreallocarray(p->s, p->n + 1, sizeof(*p->s));
	p->s[p->n++] = xstrdup(phrase);
	return 0;
}

static void phrases_done(struct phrases *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->s[i]);
	free(p->s);
}

static struct item *items;
static size_t n_items;

static void item_add(enum set_kind set, const char *label, const char *text)
{
	items = xreallocarray(items, n_items + 1, sizeof(*items));
	items[n_items++] = (struct item){ set, FAMILY_ESPEAK, CONTENT_LEAFLET,
					  label ? xstrdup(label) : NULL, xstrdup(text), NULL, 0 };
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Lines "label: sentence" (label NULL: lines are sentences), as items heard against `content`.
 * Comments and blanks skipped. */
static int read_list(const char *path, enum set_kind set, bool labelled, struct phrases *templ,
		     enum content content)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	char line[512];
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		char *text = line, *label = NULL;
		if (labelled) {
			char *colon = strstr(line, ": ");
			if (!colon)
				continue;
			*colon = '\0';
			label = line;
			text = colon + 2;
		}
		char *key = text;
		if (templ && templ->n &&
		    bsearch(&key, templ->s, templ->n, sizeof(*templ->s), str_cmp)) {
			fprintf(stderr, "note: '%s' is now a template phrasing, not a paraphrase: skipped\n",
				text);
			continue;
		}
		char lab[600];
		if (labelled && set == SET_IN && content == CONTENT_LEAFLET) /* controls.txt */
			snprintf(lab, sizeof(lab), "control:%s", label);
		else
			snprintf(lab, sizeof(lab), "%s", label ? label : "");
		item_add(set, labelled ? lab : NULL, text);
		items[n_items - 1].content = content;
	}
	fclose(f);
	return 0;
}

/* ---- audio -------------------------------------------------------------------------------- */

static int to_16k(const struct pcm *in, int16_t **out, size_t *n)
{
	char err[256];
	struct audio_source *src;
	if (audio_source_open_memory(in->samples, in->n, in->rate_hz, "bench", &src, err,
				     sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	size_t cap = (size_t)((double)in->n * 16000.0 / in->rate_hz) + 32000;
	*out = xmalloc(cap * sizeof(**out));
	*n = 0;
	size_t got;
	while (audio_source_read(src, *out + *n, cap - *n, &got, err, sizeof(err)) == 0 && got)
		*n += got;
	audio_source_destroy(src);
	return 0;
}

static int speak(const struct lexicon *lex, const char *voice, int rate, int pitch,
		 const char *text, int16_t **out, size_t *n)
{
	struct synth_config sc;
	synth_config_defaults(&sc);
	sc.voice = voice;
	sc.rate_wpm = rate;
	sc.pitch = pitch;
	struct synth *s;
	char err[256];
	struct pcm pcm = { 0 };
	/* The lexicon is not applied: people say words their own way, not as the lexicon spells. */
	(void)lex;
	if (synth_create(&sc, NULL, &s, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	int r = synth_speak(s, text, &pcm, err, sizeof(err));
	synth_destroy(s);
	if (r < 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	/* Half a second of silence either side, as an endpointer delivers an utterance. */
	struct pcm padded = { .rate_hz = pcm.rate_hz };
	size_t pad = (size_t)pcm.rate_hz / 2;
	padded.n = pcm.n + 2 * pad;
	padded.samples = xcalloc(padded.n, sizeof(int16_t));
	memcpy(padded.samples + pad, pcm.samples, pcm.n * sizeof(int16_t));
	r = to_16k(&padded, out, n);
	pcm_done(&pcm);
	pcm_done(&padded);
	return r;
}

#ifdef HAVE_FLITE
#include <flite/flite.h>
cst_voice *register_cmu_us_slt(const char *voxdir);
cst_voice *register_cmu_us_rms(const char *voxdir);
cst_voice *register_cmu_us_awb(const char *voxdir);

/* Speak `text` with flite voice `voice` (0..2) at `stretch` times its own duration, padded and
 * resampled as speak() does. */
static int speak_flite(int voice, double stretch, const char *text, int16_t **out, size_t *n)
{
	static cst_voice *v[3];
	if (!v[0]) {
		flite_init();
		v[0] = register_cmu_us_slt(NULL);
		v[1] = register_cmu_us_rms(NULL);
		v[2] = register_cmu_us_awb(NULL);
		if (!v[0] || !v[1] || !v[2]) {
			fprintf(stderr, "flite: a voice could not be loaded\n");
			return -1;
		}
	}
	feat_set_float(v[voice]->features, "duration_stretch", (float)stretch);
	cst_wave *w = flite_text_to_wave(text, v[voice]);
	if (!w) {
		fprintf(stderr, "flite: could not say '%s'\n", text);
		return -1;
	}
	struct pcm padded = { .rate_hz = w->sample_rate };
	size_t pad = (size_t)w->sample_rate / 2;
	padded.n = (size_t)w->num_samples + 2 * pad;
	padded.samples = xcalloc(padded.n, sizeof(int16_t));
	memcpy(padded.samples + pad, w->samples, (size_t)w->num_samples * sizeof(int16_t));
	delete_wave(w);
	int r = to_16k(&padded, out, n);
	pcm_done(&padded);
	return r;
}
#endif

static float *pink;
static float *babble;
static float *kitchen;
static size_t n_noise;

/* Four talkers at once, each a voice reading sentences back to back. */
static int make_babble(const struct lexicon *lex, size_t n, const char *const *texts,
		       size_t n_texts)
{
	babble = xcalloc(n, sizeof(*babble));
	for (int talker = 0; talker < 4; talker++) {
		size_t pos = (size_t)talker * 4000, t = (size_t)talker * 7;
		while (pos < n) {
			int16_t *x;
			size_t m;
			if (speak(lex, voices[(talker * 2 + t) % N_VOICES], 150, 40 + talker * 8,
				  texts[t % n_texts], &x, &m) < 0)
				return -1;
			for (size_t i = 0; i < m && pos < n; i++)
				babble[pos++] += x[i];
			free(x);
			t += 3;
		}
	}
	return 0;
}

/* Where in the noise an utterance's mix starts: random for the synthesised voices; for the real
 * recordings fixed by their place, so that adding them left the other voices' noise (and so
 * their figures) as it was: at 5 dB, drawing other stretches of the same noise moved flite's
 * in-domain figure from 33% to 16%. */
static size_t noise_offset(const struct item *it, size_t index)
{
	if (it->family == FAMILY_REAL || it->family == FAMILY_COFFEE)
		return index * 104729u % n_noise;
	return (size_t)(urand() * (double)n_noise);
}

/* `in` through the channel, into `out` (n samples; the slow channel is spoken, not made here). */
static void through_channel(enum channel ch, const int16_t *in, size_t n, int16_t *out)
{
	switch (ch) {
	case CHANNEL_QUIET:
		for (size_t i = 0; i < n; i++)
			out[i] = (int16_t)lrint(in[i] * 0.0178);
		return;
	case CHANNEL_TELEPHONE: {
		int16_t *mid = NULL, *back = NULL;
		size_t n_mid = 0, n_back = 0;
		audio_resample_all(in, n, 16000, 8000, &mid, &n_mid);
		audio_resample_all(mid, n_mid, 8000, 16000, &back, &n_back);
		for (size_t i = 0; i < n; i++)
			out[i] = i < n_back ? back[i] : 0;
		free(mid);
		free(back);
		return;
	}
	case CHANNEL_ECHO: {
		/* A sparse impulse response: the direct sound, then 300 echoes at random delays up to
		 * 0.5 s, each 60 dB quieter by 0.5 s, their energy equal to the direct sound's. */
		enum { N_ECHO = 300 };
		size_t delay[N_ECHO];
		double gain[N_ECHO], energy = 0;
		for (int k = 0; k < N_ECHO; k++) {
			delay[k] = 16 + (size_t)(urand() * 8000);
			gain[k] = (urand() - 0.5) * exp(-6.9 * (double)delay[k] / 8000.0);
			energy += gain[k] * gain[k];
		}
		double norm = 1.0 / sqrt(energy);
		for (size_t i = 0; i < n; i++) {
			double v = in[i];
			for (int k = 0; k < N_ECHO; k++)
				if (i >= delay[k])
					v += norm * gain[k] * in[i - delay[k]];
			out[i] = noise_clip16(v * 0.5); /* room for the echoes */
		}
		return;
	}
	case CHANNEL_AS_MADE:
	case CHANNEL_SLOW:
	default:
		memcpy(out, in, n * sizeof(*out));
		return;
	}
}

/* The name of a search's intent for the dump ("none" when it heard nothing of the leaflet). */
/* A table cell: "87.5% (46<note>)", "87.5%" with note NULL, or "-" when there are none. */
static void percent_cell(char *buf, size_t len, size_t k, size_t n, const char *note)
{
	if (!n)
		snprintf(buf, len, "-");
	else if (!note)
		snprintf(buf, len, "%.1f%%", 100.0 * (double)k / (double)n);
	else
		snprintf(buf, len, "%.1f%% (%zu%s)", 100.0 * (double)k / (double)n, n, note);
}

static void intent_name(const struct intent_result *ir, char *buf, size_t len)
{
	if (!intent_result_name(ir, buf, len))
		snprintf(buf, len, "none");
}

/* One TSV line of the dump (--dump) for a decoded job. */
static void dump_line(FILE *df, const struct job *j)
{
	char gname[128], nname[128];
	intent_name(&j->r.grammar_intent, gname, sizeof(gname));
	intent_name(&j->r.neutral_intent, nname, sizeof(nname));
	fprintf(df, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%s\t%s\t%.4g\t%s\t%s\t%s\t%.3f\t%.3f\t%.3f\t%d\t%d\t%s\t%d\t%.1f\t%.1f\t%d\n",
		conds[j->cond].name, set_names[j->item->set],
		j->item->label ? j->item->label : "none", j->item->text, j->r.heard,
		j->has_intent ? j->intent : "none", recognition_decision_name(j->r.decision),
		j->r.confidence, j->r.intent_score, j->r.intent_margin, j->r.llr, j->r.grammar_llr,
		j->r.grammar_heard, gname, j->r.posterior, family_ids[j->item->family],
		j->r.neutral_heard, nname, j->r.neutral_intent.score, j->r.neutral_intent.margin,
		j->r.grammar_overlap, j->r.sole_phrasing, j->r.noisy,
		j->r.second_topic_id ? j->r.second_topic_id : "none", j->r.denoised,
		j->r.room_spread_db, j->r.room_quiet_sd_db, j->r.heard_owned);
}

/* ---- decoding ----------------------------------------------------------------------------- */

static struct job *jobs;
static size_t n_jobs, next_job, end_job; /* a phase decodes jobs [next_job, end_job) */
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static const struct script_set *g_set;
static const struct lexicon *g_lex;
static int failed;
static bool opt_denoise, opt_phone_loop;
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
		.tuning = &tuning,
	};
	struct recogniser *rec;
	char err[512];
	/* As `talkleaf ask`; the set-up makes an eSpeak NG engine of its own for pronunciations,
	 * and that is one global engine, so the recognisers are built one at a time. */
	pthread_mutex_lock(&lock);
	int cr = recogniser_setup(&rs, g_set, g_lex, &rec, NULL, err, sizeof(err));
	pthread_mutex_unlock(&lock);
	if (cr < 0) {
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

/* The recordings listed in `list` (tests/support/real_voices.h) as items of family `fam`:
 * FAMILY_REAL, out-of-domain speech with its words as the text; FAMILY_COFFEE, orders with the
 * drink's topic as the label and the file as the text. Returns how many, or -1. */
static int recordings_add(const char *list, const char *dir, enum family fam)
{
	char err[1024];
	struct real_voice *v;
	int n = real_voices_load(list, dir, &v, err, sizeof(err));
	if (n < 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	bool order = fam == FAMILY_COFFEE;
	for (int i = 0; i < n; i++) {
		item_add(order ? SET_IN : SET_OOD, order ? v[i].text : NULL,
			 order ? v[i].file : v[i].text);
		struct item *it = &items[n_items - 1];
		it->family = fam;
		it->content = order ? CONTENT_COFFEE : CONTENT_LEAFLET;
		it->pcm = v[i].pcm;
		it->n = v[i].n;
		v[i].pcm = NULL;
	}
	real_voices_free(v, (size_t)n);
	return n;
}

/* The built-in scripts with the topics of SRC/tests/data/FOLDER, as `ask --scripts` loads them. */
static int content_load(const char *src, const char *folder, struct script_set **out)
{
	char builtin[1024], topics[1024];
	snprintf(builtin, sizeof(builtin), "%s/scripts", src);
	snprintf(topics, sizeof(topics), "%s/tests/data/%s", src, folder);
	struct diag d;
	diag_init(&d);
	int r = script_set_load(builtin, topics, out, &d);
	for (size_t i = 0; r < 0 && i < d.n_lines; i++)
		fprintf(stderr, "%s\n", d.lines[i]);
	diag_done(&d);
	return r < 0 ? -1 : 0;
}

/* ---- real people's coffee orders (issue 19) ----------------------------------------------- */

/* The orders of tests/data/real-speech/coffee/PART.txt as items (label: the drink's topic) and
 * their content, the built-in scripts with tests/data/scripts-drinks' topics, as `ask
 * --scripts` loads it. */
static int coffee_load(const char *src, const char *part, struct script_set **drinks,
		       size_t *n_orders)
{
	char list[2048], dir[1024];
	snprintf(dir, sizeof(dir), "%s/tests/data/real-speech/coffee", src);
	snprintf(list, sizeof(list), "%s/%s.txt", dir, part);
	if (content_load(src, "scripts-drinks", drinks) < 0)
		return -1;
	int n = recordings_add(list, dir, FAMILY_COFFEE);
	if (n < 0)
		return -1;
	*n_orders = (size_t)n;
	return 0;
}

/* What one condition's utterances of a family and content gave (tally_jobs). */
struct tally {
	size_t n_in, offered, reached, answered, wrong, rejected, choice_in;
	size_t n_ood, ood_accepted, ood_answered, choice_ood, noisy, n;
	double cpu, audio;
};

/* Whether the job's own topic is among the two of a numbered choice offered. */
static bool job_in_choice(const struct job *j)
{
	return j->r.second_topic_id && j->item->label &&
	       !strcmp(j->r.second_topic_id, j->item->label);
}

/* Tally condition c's jobs of `content` (and of family `fam`, or any when FAMILY_COUNT); their
 * dump lines into df (NULL: none). */
static void tally_jobs(size_t c, enum content content, enum family fam, FILE *df,
		       struct tally *t)
{
	memset(t, 0, sizeof(*t));
	for (size_t k = 0; k < n_jobs; k++) {
		const struct job *j = &jobs[k];
		if (j->cond != (int)c || j->item->content != content ||
		    (fam != FAMILY_COUNT && j->item->family != fam))
			continue;
		bool right = j->has_intent && j->item->label && !strcmp(j->intent, j->item->label);
		bool accepted = j->r.decision != DECISION_REJECT;
		bool choice = j->r.second_topic_id != NULL;
		t->n++;
		if (j->item->set == SET_OOD) {
			t->n_ood++;
			t->ood_accepted += accepted;
			t->ood_answered += j->r.decision == DECISION_ANSWER;
			t->choice_ood += choice;
		} else {
			t->n_in++;
			t->offered += right && accepted;
			t->reached += (right && accepted) || job_in_choice(j);
			t->answered += right && j->r.decision == DECISION_ANSWER;
			t->wrong += !right && j->r.decision == DECISION_ANSWER;
			t->choice_in += choice;
		}
		t->rejected += !accepted;
		t->noisy += j->r.noisy;
		t->cpu += j->r.compute_s;
		t->audio += j->r.audio_s;
		if (df)
			dump_line(df, j);
	}
}

/* A percent cell of k out of n ("-" when n is 0). */
static const char *pct(char *buf, size_t len, size_t k, size_t n)
{
	percent_cell(buf, len, k, n, NULL);
	return buf;
}

/* The coffee orders' table, with the columns of issue 19, and the starting build's rows when
 * the part is the reporting part; their dump lines into df (NULL: none). */
static void coffee_print(const char *part, size_t n_orders, FILE *df)
{
	printf("\n%s: %s.txt, %zu orders\n\n", family_names[FAMILY_COFFEE], part, n_orders);
	printf("| condition | right topic offered (answer or \"did you ask\") | offered or reached through the choice | answered outright | wrong answer | rejected | choice offered | judged noisy | real-time factor |\n");
	printf("|---|---|---|---|---|---|---|---|---|\n");
	for (size_t c = 0; c < N_CONDS; c++) {
		struct tally t;
		tally_jobs(c, CONTENT_COFFEE, FAMILY_COUNT, df, &t);
		if (!t.n)
			continue;
		char b[7][64];
		printf("| %s | %s | %s | %s | %s | %s | %s | %s | %.3f |\n", conds[c].name,
		       pct(b[0], 64, t.offered, t.n), pct(b[1], 64, t.reached, t.n),
		       pct(b[2], 64, t.answered, t.n), pct(b[3], 64, t.wrong, t.n),
		       pct(b[4], 64, t.rejected, t.n), pct(b[5], 64, t.choice_in, t.n),
		       pct(b[6], 64, t.noisy, t.n), t.audio > 0 ? t.cpu / t.audio : 0);
	}
	size_t n_baseline = sizeof(baseline_rows) / sizeof(*baseline_rows);
	if (strcmp(part, "report")) /* figures of another part are not comparable */
		n_baseline = 0;
	for (size_t i = 0; i < n_baseline; i++) {
		const struct baseline_row *b = &baseline_rows[i];
		printf("| %s, baseline (3dabbc9) | %.1f%% | - | %.1f%% | %.1f%% | %.1f%% | - | - | - |\n",
		       b->name, b->offered, b->answered, b->wrong, b->rejected);
	}
	printf("offered: the right drink answered or confirmed (\"did you ask about ...?\"); "
	       "reached through the choice: or among the two of a numbered choice; wrong answer: "
	       "answered outright with another drink (a wrong confirmation is in no column); judged "
	       "noisy: the recogniser's noisy flag\n");
}

/* The school's tables, one a voice family: its in-domain questions and its out-of-domain ones,
 * with how often each was offered the numbered choice; their dump lines into df. */
static void school_print(FILE *df)
{
	for (int fam = FAMILY_ESPEAK; fam <= FAMILY_FLITE; fam++) {
		bool header = false;
		for (size_t c = 0; c < N_CONDS; c++) {
			struct tally t;
			tally_jobs(c, CONTENT_SCHOOL, (enum family)fam, df, &t);
			if (!t.n)
				continue;
			if (!header) {
				printf("\na school's topics (tests/data/scripts-school): %s\n\n",
				       family_names[fam]);
				printf("| condition | in-domain offered or reached through the choice | answered outright | wrong answers | choice offered (in-domain) | out-of-domain accepted | out-of-domain answered | choice offered (out-of-domain) | judged noisy |\n");
				printf("|---|---|---|---|---|---|---|---|---|\n");
				header = true;
			}
			char b[8][64];
			printf("| %s | %s (%zu) | %s | %s | %s | %s (%zu) | %s | %s | %s |\n",
			       conds[c].name, pct(b[0], 64, t.reached, t.n_in), t.n_in,
			       pct(b[1], 64, t.answered, t.n_in), pct(b[2], 64, t.wrong, t.n_in),
			       pct(b[3], 64, t.choice_in, t.n_in),
			       pct(b[4], 64, t.ood_accepted, t.n_ood), t.n_ood,
			       pct(b[5], 64, t.ood_answered, t.n_ood),
			       pct(b[6], 64, t.choice_ood, t.n_ood), pct(b[7], 64, t.noisy, t.n));
		}
	}
}

/* ---- a school's own topics (issue 19) ------------------------------------------------------ */

/* The school's questions (tests/data/school-questions.txt, school-out-of-domain.txt) as items,
 * spoken by eSpeak NG and flite's voices, and their content, the built-in scripts with
 * tests/data/scripts-school's topics. Their voices, speeds and pitches come from a generator of
 * their own, so the leaflet's tables do not move. */
static int school_add(const char *src, const struct lexicon *lex, struct script_set **school)
{
	char path[1024];
	if (content_load(src, "scripts-school", school) < 0)
		return -1;
	size_t first = n_items;
	snprintf(path, sizeof(path), "%s/tests/data/school-questions.txt", src);
	if (read_list(path, SET_IN, true, NULL, CONTENT_SCHOOL) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/tests/data/school-out-of-domain.txt", src);
	if (read_list(path, SET_OOD, false, NULL, CONTENT_SCHOOL) < 0)
		return -1;
#ifdef HAVE_FLITE
	for (size_t i = first, end = n_items; i < end; i++) {
		item_add(items[i].set, items[i].label, items[i].text);
		items[n_items - 1].family = FAMILY_FLITE;
		items[n_items - 1].content = CONTENT_SCHOOL;
	}
#endif
	uint32_t state = 20;
	for (size_t i = first; i < n_items; i++) {
		struct item *it = &items[i];
		double u1 = noise_urand(&state), u2 = noise_urand(&state);
		if (it->family == FAMILY_ESPEAK) {
			if (speak(lex, voices[i % N_VOICES], 120 + (int)(u1 * 50), 30 + (int)(u2 * 40),
				  it->text, &it->pcm, &it->n) < 0)
				return -1;
		}
#ifdef HAVE_FLITE
		else if (speak_flite((int)(i % 3), 0.9 + u1 * 0.35, it->text, &it->pcm, &it->n) < 0)
			return -1;
#endif
	}
	return 0;
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
		else if (!strcmp(argv[i], "--threads") && i + 1 < argc)
			threads = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--ps") && i + 2 < argc && n_opt_ps_args < 40) {
			opt_ps_args[n_opt_ps_args++] = argv[++i];
			opt_ps_args[n_opt_ps_args++] = argv[++i];
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
			const char *v = voices[i % N_VOICES];
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
	pink = noise_pink_create(n_noise, &rng);
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
		kitchen = noise_kitchen_create(pink, n_noise);

	for (size_t c = 0; c < N_CONDS; c++) {
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
	fprintf(stderr, "decoding %zu utterances on %d threads...\n", n_jobs, threads);
	/* The jobs come by content (their conditions do), each heard against its own scripts. */
	const struct script_set *content_sets[CONTENT_COUNT] = { set, drinks, school };
	size_t first_coffee = 0, begin = 0;
	while (first_coffee < n_jobs && jobs[first_coffee].item->content == CONTENT_LEAFLET)
		first_coffee++;
	for (int c = 0; c < CONTENT_COUNT; c++) {
		size_t end = begin;
		while (end < n_jobs && jobs[end].item->content == (enum content)c)
			end++;
		if (decode_phase(content_sets[c], begin, end, threads) < 0)
			return 1;
		begin = end;
	}

	FILE *df = dump ? fopen(dump, "w") : NULL;
	double tot_cpu = 0, tot_audio = 0;
	for (int fam = 0; fam < FAMILY_COFFEE; fam++) {
	bool any = false;
	for (size_t k = 0; k < n_jobs; k++)
		any |= jobs[k].item->family == (enum family)fam &&
		       jobs[k].item->content == CONTENT_LEAFLET;
	if (!any)
		continue;
	printf("%s%s\n\n", fam ? "\n" : "", family_names[fam]);
	printf("| condition | in-domain accuracy | wrong answers | paraphrase accuracy | out-of-domain false accepts | choice offered (in-domain / out-of-domain) | real-time factor |\n");
	printf("|---|---|---|---|---|---|---|\n");
	for (size_t c = 0; c < N_CONDS; c++) {
		size_t n[SET_COUNT] = { 0 }, ok[SET_COUNT] = { 0 }, wrong[SET_COUNT] = { 0 };
		size_t choice[SET_COUNT] = { 0 };
		double cpu = 0, audio = 0;
		for (size_t k = 0; k < n_jobs; k++) {
			struct job *j = &jobs[k];
			if (j->cond != (int)c || j->item->family != (enum family)fam ||
			    j->item->content != CONTENT_LEAFLET)
				continue;
			enum set_kind s = j->item->set;
			bool accepted = j->r.decision != DECISION_REJECT;
			bool right = j->has_intent && j->item->label && !strcmp(j->intent, j->item->label);
			n[s]++;
			if (s == SET_OOD)
				ok[s] += accepted;
			else
				ok[s] += accepted && right;
			wrong[s] += j->r.decision == DECISION_ANSWER && !right;
			choice[s] += j->r.second_topic_id != NULL;
			cpu += j->r.compute_s;
			audio += j->r.audio_s;
			if (df)
				dump_line(df, j);
		}
		if (!n[SET_IN] && !n[SET_OOD])
			continue;
		tot_cpu += cpu;
		tot_audio += audio;
		char in[64], wrong_s[64], para[64], ood[64], answered[32];
		size_t nw = n[SET_IN] + n[SET_PARA];
		snprintf(answered, sizeof(answered), "; %zu answered", wrong[SET_OOD]);
		percent_cell(in, sizeof(in), ok[SET_IN], n[SET_IN], "");
		percent_cell(wrong_s, sizeof(wrong_s), wrong[SET_IN] + wrong[SET_PARA], nw, NULL);
		percent_cell(para, sizeof(para), ok[SET_PARA], n[SET_PARA], "");
		percent_cell(ood, sizeof(ood), ok[SET_OOD], n[SET_OOD], answered);
		char ch_in[64], ch_ood[64];
		pct(ch_in, sizeof(ch_in), choice[SET_IN] + choice[SET_PARA], nw);
		pct(ch_ood, sizeof(ch_ood), choice[SET_OOD], n[SET_OOD]);
		printf("| %s | %s | %s | %s | %s | %s / %s | %.3f |\n", conds[c].name, in, wrong_s,
		       para, ood, ch_in, ch_ood,
		       audio > 0 ? cpu / audio : 0);
	}
	}
	if (first_coffee) { /* the leaflet's tables */
		printf("\nreal-time factor over everything: %.3f (CPU time / audio time, one core per "
		       "thread)\n", tot_audio > 0 ? tot_cpu / tot_audio : 0);
		printf("wrong answers: decision 'answer' with the wrong topic, over in-domain + "
		       "paraphrases\n");
	}
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
