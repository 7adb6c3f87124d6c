/* The recogniser put together (recogniser.h): a search built at start-up from the scripts, then
 * each utterance conditioned, scored once and decoded by up to three searches, whose results
 * voice/decision/confidence.c fuses into a decision.
 *
 * The searches (the files beside this one do the work; recogniser_internal.h lists them):
 * - a trigram language model written from every phrasing of every ask: template (each entry
 *   weighted equally), plus an open vocabulary of the most common English words with a small
 *   share of the probability mass, so speech the leaflet does not cover has somewhere to go
 *   instead of being forced onto a question;
 * - the template grammar (made minimal first), which backs up the language model's words;
 * - for a question in the parent's own words, a neutral unigram search that favours no sentence
 *   of the leaflet.
 * In a kitchen's noise an utterance is heard twice, denoised and as it was, the second on a thread
 * and a decoder of its own (second_decoder.c) so that the reply does not wait for both in turn.
 * Why each and the figures: docs/recognition-tuning.md. */
#include "recogniser.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audio.h"
#include "log.h"
#include "recogniser_internal.h"

/* Signal conditioning (signal.c) unless configured: the sound around the speaker's words
 * trimmed from 12 dB below the loud frames with a 200 ms margin; denoising when the loud frames
 * are less than 30 dB above the quiet ones; a hiss of sd 12 under the audio. */
#define TRIM_DB_DEFAULT 12.0
#define TRIM_MARGIN_MS_DEFAULT 200
#define DENOISE_BELOW_DB_DEFAULT 30.0
#define NOISE_FLOOR_DEFAULT 12.0

void recogniser_config_defaults(struct recogniser_config *config)
{
	memset(config, 0, sizeof(*config));
	confidence_thresholds_defaults(&config->confidence);
	config->denoise = false;
	config->denoise_below_db = DENOISE_BELOW_DB_DEFAULT;
	config->noise_floor = NOISE_FLOOR_DEFAULT;
	config->trim_db = TRIM_DB_DEFAULT;
	config->trim_margin_ms = TRIM_MARGIN_MS_DEFAULT;
	config->verbose = false;
	config->one_decoder = false;
}

struct recogniser {
	struct recogniser_config config;
	struct decoder *dec;
	char dir[PATH_MAX]; /* private folder: the generated search, then each utterance's scores */
	bool have_dir;
	/* A kitchen's second hearing (the utterance as it was) is decoded beside the denoised one,
	 * on a thread, with a decoder of its own; NULL: one after the other. */
	struct second_decoder *second;
	struct intent_model *intent;
	const struct script_set *set; /* outlives the recogniser, as for the intent model */
	enum intent_expect expect;
};

/* ---- recogniser_create, step by step --------------------------------------------------------- */

/* What the search is built from while recogniser_create runs. */
struct build {
	const struct recogniser_config *config;
	struct corpus corpus;    /* every phrasing of the scripts */
	struct vocab domain;     /* the scripts' words */
	struct vocab all;        /* and the open vocabulary's */
	size_t n_open;           /* how many open words were asked for */
	struct dictionary *dict; /* until the task dictionary is written */
	char *phone_lm, *dict_path, *lm_path, *neutral_path;
	const char *adaptation; /* config's adaptation once checked, or NULL */
};

static void build_done(struct build *b)
{
#ifndef RECOGNISER_KEEP_FILES /* for debugging the generated search */
	if (b->dict_path)
		unlink(b->dict_path);
	if (b->lm_path)
		unlink(b->lm_path);
	if (b->neutral_path)
		unlink(b->neutral_path);
#endif
	dictionary_destroy(b->dict);
	vocab_done(&b->domain);
	vocab_done(&b->all);
	corpus_done(&b->corpus);
	free(b->dict_path);
	free(b->lm_path);
	free(b->neutral_path);
	free(b->phone_lm);
}

static int ensure_file(const char *path, char *err, size_t errlen, const char *what)
{
	if (access(path, R_OK) == 0)
		return 0;
	return errf(err, errlen, -ENOENT,
		    "%s: the recogniser's %s is missing (install pocketsphinx-en-us, or check the path)",
		    path, what);
}

/* Step 1: the acoustic model, the dictionary and the phone model are there. An adaptation file
 * that cannot be used is a warning: speech is still heard, less well in noise. */
static int models_check(struct build *b, struct diag *warnings, char *err, size_t errlen)
{
	const struct recogniser_config *config = b->config;
	if (!config->acoustic_model || !config->dictionary)
		return errf(err, errlen, -EINVAL, "no acoustic model or dictionary given");
	if (!config->verbose)
		decoder_log_quiet();
	char *mdef = xasprintf("%s/mdef", config->acoustic_model);
	int r = ensure_file(mdef, err, errlen, "acoustic model");
	free(mdef);
	if (r < 0 || (r = ensure_file(config->dictionary, err, errlen, "dictionary")) < 0)
		return r;
	/* The phone-loop model sits beside the dictionary in Debian. */
	const char *slash = strrchr(config->dictionary, '/');
	b->phone_lm = slash ? xasprintf("%.*s/en-us-phone.lm.bin",
					(int)(slash - config->dictionary), config->dictionary)
			    : xstrdup("en-us-phone.lm.bin");
	r = ensure_file(b->phone_lm, err, errlen, "phone model");
	char why[PATH_MAX + 128];
	if (r == 0 && config->adaptation) {
		if (adaptation_check(config->adaptation, why, sizeof(why)) == 0)
			b->adaptation = config->adaptation;
		else if (warnings)
			diag_warning(warnings, NULL, 0,
				     "%s; speech in noise is heard without the model's adaptation (reinstall talkleaf)",
				     why);
	}
	return r;
}

/* Step 2: every phrasing of the scripts, their words, and the open vocabulary beside them. */
static int words_gather(struct build *b, const struct script_set *set, char *err, size_t errlen)
{
	if (corpus_build(&b->corpus, set) < 0)
		return errf(err, errlen, -EINVAL,
			    "a template could not be expanded (run talkleaf check)");
	corpus_words(&b->corpus, &b->domain);
	int r = dictionary_load(b->config->dictionary, &b->dict, err, errlen);
	if (r < 0)
		return r;
	for (size_t i = 0; i < b->domain.n; i++)
		vocab_add(&b->all, b->domain.words[i]);
	b->n_open = vocab_open_words_count(b->config);
	for (size_t i = 0; i < b->n_open; i++)
		vocab_add(&b->all, recogniser_open_words[i]);
	vocab_sort(&b->all);
	return 0;
}

/* Step 3: the task dictionary and the two language models, into the private folder `dir`. */
static int search_files_write(struct build *b, const char *dir, const struct lexicon *lex,
			      struct diag *warnings, char *err, size_t errlen)
{
	b->dict_path = xasprintf("%s/task.dict", dir);
	b->lm_path = xasprintf("%s/task.arpa", dir);
	b->neutral_path = xasprintf("%s/neutral.arpa", dir);
	FILE *f = fopen(b->dict_path, "w");
	if (!f)
		return errf(err, errlen, -EIO, "%s: cannot write: %s", b->dict_path,
			    strerror(errno));
	int r = pronunciations_write(f, &b->all, &b->domain, b->dict, lex, b->config, warnings);
	if (fclose(f) != 0 || r < 0)
		return errf(err, errlen, -EIO, "%s: cannot write the task dictionary",
			    b->dict_path);
	dictionary_destroy(b->dict);
	b->dict = NULL;

	/* Open words are those that made it into the dictionary (domain words among them too). */
	const char **open = xcalloc(b->all.n + 1, sizeof(*open));
	size_t n_open_ok = 0;
	for (size_t i = 0; i < b->n_open; i++) {
		const char *w = recogniser_open_words[i];
		if (vocab_has(&b->all, w))
			open[n_open_ok++] = w;
	}
	r = lm_write_arpa(&b->corpus, open, n_open_ok, b->config->open_mass, b->lm_path);
	if (r == 0)
		r = lm_write_neutral(&b->all, open, n_open_ok, b->config->neutral_domain_rank,
				     b->neutral_path);
	free(open);
	if (r < 0)
		return errf(err, errlen, -EIO, "%s: cannot write the language model", b->lm_path);
	return 0;
}

/* The name scratch_create makes a private folder from. */
static void scratch_template(const struct recogniser_config *config, char *dir, size_t len)
{
	const char *tmp = config->scratch_parent;
	snprintf(dir, len, "%s/talkleaf-recogniser-XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
}

/* Whether a kitchen's two hearings can run side by side: they are both heard unless every
 * utterance is denoised, and beside each other they only gain with a second processor. */
static bool hearings_beside(const struct recogniser_config *config)
{
	return !config->one_decoder && !config->denoise && sysconf(_SC_NPROCESSORS_ONLN) >= 2;
}

/* Step 4: PocketSphinx with every search, and what a second decoder needs. */
static int decoder_start(struct recogniser *rec, const struct build *b,
			 const struct script_set *set, char *err, size_t errlen)
{
	char *grammar = grammar_build(set, &b->all);
	const struct decoder_config dc = {
		.acoustic_model = b->config->acoustic_model,
		.dict_path = b->dict_path,
		.lm_path = b->lm_path,
		.neutral_path = b->neutral_path,
		.phone_lm = b->config->phone_loop ? b->phone_lm : NULL,
		.grammar = grammar,
		.scratch_dir = rec->dir,
		.adaptation = b->adaptation,
		.ps_args = b->config->ps_args,
	};
	int r = decoder_create(&dc, &rec->dec, err, errlen);
	if (r == 0 && hearings_beside(b->config)) {
		char dir[PATH_MAX];
		scratch_template(b->config, dir, sizeof(dir));
		rec->second = second_decoder_keep(&dc, dir);
	}
	free(grammar);
	return r;
}

int recogniser_create(const struct recogniser_config *config, const struct script_set *set,
		      const struct lexicon *lex, struct recogniser **out, struct diag *warnings,
		      char *err, size_t errlen)
{
	*out = NULL;
	struct recogniser *rec = xcalloc(1, sizeof(*rec));
	struct build b = { .config = config };
	rec->config = *config;
	rec->set = set;
	scratch_template(config, rec->dir, sizeof(rec->dir));

	int r = models_check(&b, warnings, err, errlen);
	if (r == 0)
		r = intent_model_create(set, &rec->intent, err, errlen);
	if (r == 0)
		r = words_gather(&b, set, err, errlen);
	if (r == 0 && (r = scratch_create(rec->dir, err, errlen)) == 0)
		rec->have_dir = true;
	if (r == 0)
		r = search_files_write(&b, rec->dir, lex, warnings, err, errlen);
	if (r == 0)
		r = decoder_start(rec, &b, set, err, errlen);
	if (r < 0) {
		recogniser_destroy(rec);
		rec = NULL;
	}
	build_done(&b);
	*out = rec;
	return r;
}

void recogniser_destroy(struct recogniser *rec)
{
	if (!rec)
		return;
	decoder_destroy(rec->dec);
	second_decoder_destroy(rec->second);
	if (rec->have_dir)
		scratch_remove(rec->dir);
	intent_model_destroy(rec->intent);
	free(rec);
}

void recogniser_set_expect(struct recogniser *rec, enum intent_expect expect)
{
	rec->expect = expect;
}

bool recogniser_hears_beside(const struct recogniser *rec)
{
	return rec->second && !second_decoder_failed(rec->second);
}

const char *recogniser_scratch_dir(const struct recogniser *rec)
{
	return rec->dir;
}

/* ---- recogniser_decode ----------------------------------------------------------------------- */

/* Whether `ir` names the entry `e`. */
static bool intent_names(const struct intent_result *ir, const struct script_entry *e)
{
	if (e->kind == SCRIPT_CONTROL)
		return ir->kind == INTENT_CONTROL && ir->control == e->control;
	return ir->kind == INTENT_TOPIC && ir->topic_id && !strcmp(ir->topic_id, e->id);
}

/* Whether some ask: template of `e` produces exactly `words`. */
static bool entry_produces(const struct script_set *set, const struct script_entry *e,
			   const char *const *words, size_t n)
{
	for (size_t i = 0; i < e->n_asks; i++)
		if (template_match(e->asks[i].tree, script_set_list_lookup, (void *)set, words, n))
			return true;
	return false;
}

/* The one topic or control whose ask: templates produce words[0..n), or NULL when none or
 * several do. */
static const struct script_entry *words_owner(const struct script_set *set,
					      const char *const *words, size_t n)
{
	const struct script_entry *owner = NULL;
	size_t owners = 0;
	for (size_t i = 0; n && i < set->n_topics + set->n_controls && owners < 2; i++) {
		const struct script_entry *e = i < set->n_topics ? &set->topics[i]
							       : &set->controls[i - set->n_topics];
		if (entry_produces(set, e, words, n)) {
			owner = e;
			owners++;
		}
	}
	return owners == 1 ? owner : NULL;
}

/* The one topic or control whose ask: templates produce `sentence`, or NULL when none or several
 * do. With `less_an_edge_word` given, also, when the whole has none, the owner of the sentence
 * less a word at either end or both (noise at an utterance's edges adds a word: "... with sugar
 * and"; four words at least), *less_an_edge_word telling which was found. */
static const struct script_entry *sentence_owner(const struct script_set *set,
						 const char *sentence, bool *less_an_edge_word)
{
	char *copy = xstrdup(sentence), *save = NULL;
	const char *words[TEMPLATE_MATCH_MAX_WORDS + 1];
	size_t n = 0;
	for (char *w = strtok_r(copy, " ", &save); w && n <= TEMPLATE_MATCH_MAX_WORDS;
	     w = strtok_r(NULL, " ", &save))
		words[n++] = w;
	const struct script_entry *owner = words_owner(set, words, n);
	if (less_an_edge_word)
		*less_an_edge_word = false;
	if (!owner && less_an_edge_word && n >= 4 && n <= TEMPLATE_MATCH_MAX_WORDS) {
		const size_t cut[3][2] = { { 0, 1 }, { 1, 0 }, { 1, 1 } }; /* words off start, end */
		for (size_t i = 0; !owner && i < 3; i++)
			owner = words_owner(set, words + cut[i][0], n - cut[i][0] - cut[i][1]);
		*less_an_edge_word = owner != NULL;
	}
	free(copy);
	return owner;
}

/* CPU time of this thread (the benchmark decodes on several threads at once). */
static double thread_cpu_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Every search over one conditioned copy of the utterance, with decoder dec, fused into out's
 * decision. */
static int decode_searches(const struct recogniser *rec, struct decoder *dec, const int16_t *pcm,
			   size_t n, const struct room *room, struct recognition *out, char *err,
			   size_t errlen)
{
	/* The adaptation costs quiet speech words: only in a kitchen's noise. */
	bool adapted = room->steady_noise && room->quiet_sd_db >= HEAR_AS_IS_MIN_SD_DB;
	out->noisy = room->noisy;
	out->room_spread_db = room->spread_db;
	out->room_quiet_sd_db = room->quiet_sd_db;
	const struct confidence_thresholds *t = &rec->config.confidence;
	FILE *scores = decoder_scores(dec, pcm, n, adapted, err, errlen);
	if (!scores)
		return -EIO;
	struct decoder_pass lm, ph = { 0 }, gr = { 0 };
	int r =
	    decoder_pass(dec, DECODER_LM, scores, &lm, out->heard, sizeof(out->heard), err, errlen);
	if (r == 0 && rec->config.phone_loop)
		r = decoder_pass(dec, DECODER_PHONE, scores, &ph, NULL, 0, err, errlen);
	struct intent_result ir, gi, ni = { .kind = INTENT_NONE };
	intent_classify(rec->intent, out->heard, rec->expect, &ir);
	/* A sentence only one entry's templates produce is worth the grammar's word however low
	 * the word weights put it ("can i get coffee": four drinks have the word coffee). */
	bool less_an_edge_word;
	const struct script_entry *owner = sentence_owner(rec->set, out->heard, &less_an_edge_word);
	out->heard_owned = owner && intent_names(&ir, owner);
	bool owned = out->heard_owned && !less_an_edge_word; /* the whole sentence */
	if (r == 0 && (out->heard_owned || confidence_grammar_worth(t, &ir)))
		r = decoder_pass(dec, DECODER_GRAMMAR, scores, &gr, out->grammar_heard,
				 sizeof(out->grammar_heard), err, errlen);
	intent_classify(rec->intent, out->grammar_heard, rec->expect, &gi);
	if (r == 0 && confidence_neutral_worth(t, &ir, confidence_agree(&ir, &gi))) {
		struct decoder_pass np;
		r = decoder_pass(dec, DECODER_NEUTRAL, scores, &np, out->neutral_heard,
				 sizeof(out->neutral_heard), err, errlen);
		intent_classify(rec->intent, out->neutral_heard, rec->expect, &ni);
	}
	/* Each search's sentence a phrasing of one entry only, the one the words name (the same
	 * sentence, or a word apart: "an" / "a", "get me" / "give me"): the word weights' margin
	 * between topics that differ in a word then says nothing about what was heard. */
	out->sole_phrasing = r == 0 && owned && out->grammar_heard[0] &&
			     confidence_agree(&ir, &gi) &&
			     (!strcmp(out->heard, out->grammar_heard) ||
			      sentence_owner(rec->set, out->grammar_heard, NULL) == owner);
	out->grammar_intent = gi;
	out->neutral_intent = ni;
	fclose(scores);
	scratch_clear(decoder_dir(dec));
	if (r < 0)
		return r;

	/* The acoustic ratios against the free phone loop, for logs and tuning only. */
	bool loop = rec->config.phone_loop;
	out->llr = loop && lm.frames > 0 ? decoder_score_ratio(lm.ascr, ph.ascr, lm.frames) : 0;
	out->grammar_llr = loop && gr.frames > 0 && out->grammar_heard[0]
		? decoder_score_ratio(gr.ascr, ph.ascr, gr.frames) : -99;
	out->posterior = lm.posterior;
	out->word_frames = lm.word_frames;
	out->phone_speech_frames = ph.word_frames;
	out->frames = lm.frames;
	confidence_decide(t, &ir, &gi, &ni, lm.posterior, out);
	return 0;
}

/* A kitchen's second hearing: the conditioned utterance as it was, not denoised. */
struct as_is_hearing {
	const struct recogniser *rec;
	struct second_decoder *second; /* beside the first hearing: the decoder comes from here */
	struct decoder *dec;
	const int16_t *pcm;
	size_t n;
	const struct room *room;
	struct recognition out;
	int r;
	double cpu_s;
	char err[512];
};

static void as_is_hear(struct as_is_hearing *h)
{
	double t0 = thread_cpu_s();
	h->r =
	    decode_searches(h->rec, h->dec, h->pcm, h->n, h->room, &h->out, h->err, sizeof(h->err));
	h->cpu_s = thread_cpu_s() - t0;
}

static void *as_is_run(void *arg)
{
	struct as_is_hearing *h = arg;
	if ((h->dec = second_decoder_get(h->second)))
		as_is_hear(h);
	return NULL;
}

int recogniser_decode(struct recogniser *rec, const int16_t *pcm16k, size_t n,
		      struct recognition *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	out->decision = DECISION_REJECT;
	out->audio_s = (double)n / AUDIO_RATE_HZ;
	double t0 = thread_cpu_s();
	struct room room;
	int16_t *pcm = signal_condition(&rec->config, pcm16k, n, &room);
	int r;
	double beside_cpu_s = 0;
	if (!room.steady_noise) {
		r = decode_searches(rec, rec->dec, pcm, n, &room, out, err, errlen);
	} else {
		/* Taking the noise out helps speech deep in a fan's hum and harms it under a
		 * kitchen's clatter, and the levels barely tell the two apart: unless the noise is
		 * a hum alone, both are heard. The one as it was counts only when the denoised one
		 * is not an answer; with a second decoder it is heard meanwhile, not after. */
		bool both = !rec->config.denoise && room.quiet_sd_db >= HEAR_AS_IS_MIN_SD_DB;
		struct as_is_hearing *as_is = NULL;
		pthread_t thread;
		bool beside = false;
		if (both) {
			as_is = xcalloc(1, sizeof(*as_is));
			*as_is = (struct as_is_hearing){ .rec = rec, .second = rec->second, .pcm = pcm,
							 .n = n, .room = &room };
			as_is->out.audio_s = out->audio_s;
			beside =
			    rec->second && pthread_create(&thread, NULL, as_is_run, as_is) == 0;
		}
		int16_t *clean = xmalloc((n ? n : 1) * sizeof(*clean));
		memcpy(clean, pcm, n * sizeof(*clean));
		audio_denoise(clean, n);
		out->denoised = true; /* before the decision, which weighs it */
		r = decode_searches(rec, rec->dec, clean, n, &room, out, err, errlen);
		free(clean);
		if (beside) {
			pthread_join(thread, NULL);
			beside_cpu_s = as_is->cpu_s;
			beside = as_is->dec != NULL; /* else it could not be made: heard now */
		}
		if (r == 0 && both && out->decision != DECISION_ANSWER) {
			if (!beside) {
				as_is->dec = rec->dec;
				as_is_hear(as_is);
			}
			r = as_is->r;
			if (r == 0)
				confidence_add_as_is(out, &as_is->out);
			else
				snprintf(err, errlen, "%s", as_is->err);
		}
		free(as_is);
	}
	free(pcm);
	out->compute_s = thread_cpu_s() - t0 + beside_cpu_s;
	return r;
}
