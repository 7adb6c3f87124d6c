/* What the files of voice/hearing/ share behind recogniser.h; private: nothing outside this
 * folder includes it. The recogniser is built in steps, one file each:
 * - vocabulary.c: the words the recogniser knows and the task dictionary of their pronunciations;
 * - language_model.c: every phrasing of the scripts (the corpus), the trigram model written from
 *   it, and the neutral unigram model;
 * - grammar.c: the templates as a JSGF grammar, and its minimisation (automaton.h);
 * - scratch.c: the private folder the generated search and each utterance's scores go into;
 * - signal.c: an utterance conditioned for the decoder (trim, gain, noise floor, denoising);
 * - adaptation.c: the check of the acoustic model's adaptation to noisy speech;
 * - pocketsphinx.c: PocketSphinx itself, the only file that includes it;
 * - recogniser.c puts them together; setup.c is the set-up every caller shares. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "automaton.h"
#include "dictionary.h"
#include "recogniser.h"

/* ---- vocabulary.c ---------------------------------------------------------------------------- */

/* A sorted set of words (after vocab_sort). Owned by whoever filled it: vocab_done. */
struct vocab {
	char **words; /* sorted, unique */
	size_t n, cap;
};

void vocab_add(struct vocab *v, const char *w);
/* Sort and drop duplicates; needed before vocab_has and vocab_find. */
void vocab_sort(struct vocab *v);
bool vocab_has(const struct vocab *v, const char *w);
/* Whether `w` is in `v`, and where (index may be NULL). */
bool vocab_find(const struct vocab *v, const char *w, size_t *index);
void vocab_done(struct vocab *v);

/* The most common English words (by unigram probability in PocketSphinx's general en-us model),
 * most common first: the open vocabulary (open_words.c). */
extern const char *const recogniser_open_words[];
extern const size_t recogniser_n_open_words;

/* How many of recogniser_open_words the configuration asks for. */
size_t vocab_open_words_count(const struct recogniser_config *config);

/* Write "word PH ONES" lines of the task dictionary for every word of `v` that has a
 * pronunciation (the lexicon's, the dictionary's, the accent's, or a generated one); words
 * without one are removed from `v` (and warned about when in `domain`). Returns 0 or -EIO. */
int pronunciations_write(FILE *f, struct vocab *v, const struct vocab *domain,
			 const struct dictionary *dict, const struct lexicon *lex,
			 const struct recogniser_config *config, struct diag *warnings);

/* ---- language_model.c ------------------------------------------------------------------------ */

/* Every phrasing of every ask: template, per entry (huge expansions sampled). */
struct corpus_entry {
	char **phrases;
	size_t n, cap;
};

struct corpus {
	struct corpus_entry *entries;
	size_t n;
};

/* Every topic's, then every control's phrasings. Returns 0, or the expander's error. */
int corpus_build(struct corpus *c, const struct script_set *set);
/* Add every word of the corpus to `v` (sorted afterwards). */
void corpus_words(const struct corpus *c, struct vocab *v);
void corpus_done(struct corpus *c);

/* Write the ARPA trigram model of the corpus plus the open vocabulary `open` (n_open words)
 * sharing `open_mass` of the unigram probability (0: the default). Returns 0 or -EIO. */
int lm_write_arpa(const struct corpus *c, const char *const *open, size_t n_open,
		  double open_mass, const char *path);

/* Write the neutral model: unigrams over every word of `all`, each as likely as its rank among
 * `open` (most common first) suggests; a word not among them ranks `domain_rank` (0: the
 * default). Returns 0 or -EIO. */
int lm_write_neutral(const struct vocab *all, const char *const *open, size_t n_open,
		     int domain_rank, const char *path);

/* ---- grammar.c ------------------------------------------------------------------------------- */

/* The JSGF grammar of every ask: template of every topic and control (lists as rules); words
 * not in `dict` become <VOID>. Returns a new string. */
char *grammar_build(const struct script_set *set, const struct vocab *dict);

/* The deterministic, minimal automaton of `in` into `out`, or -E2BIG when it would grow past
 * what is worth it (the caller keeps `in`). */
int grammar_minimise(const struct automaton *in, struct automaton *out);

/* ---- scratch.c ------------------------------------------------------------------------------- */

/* Make the private folder from `dir`, a mkdtemp template "PARENT/NAME-XXXXXX" in a PATH_MAX
 * buffer, rewritten to "PARENT/NAME-PID-START-XXXXXX" made; first removes the folders of that
 * pattern left by runs that are gone (scratch_sweep). Returns 0 or -EIO. */
int scratch_create(char *dir, char *err, size_t errlen);
/* Make it again if something took it; it must be this user's alone. Returns 0 or -EIO. */
int scratch_ensure(const char *dir, char *err, size_t errlen);
/* Remove every file in it. */
void scratch_clear(const char *dir);
/* The one file in it, opened and unlinked (nothing of an utterance stays on disk once it is
 * closed), or NULL. */
FILE *scratch_take(const char *dir);
/* Remove it, with whatever is in it. */
void scratch_remove(const char *dir);

/* ---- signal.c -------------------------------------------------------------------------------- */

/* What conditioning found of the room an utterance was spoken in. */
struct room {
	bool noisy;         /* too noisy to hear well */
	bool steady_noise;  /* steady noise worth taking out (audio_denoise), as the config says */
	double spread_db;   /* the loud frames over the quiet ones: about the signal-to-noise ratio */
	double quiet_sd_db; /* how far the quiet frames' energies vary: a fan little, voices much */
};

/* Noise whose quiet frames vary less than this (dB) is a hum alone (a fan, pink noise): heard as
 * it was as well, it gives words that are not there, and the model's adaptation, learnt mostly
 * in a kitchen, gains nothing there. A kitchen's varies more. recogniser.c hears steady noise
 * that varies this much also as it was, and adaptation-prepare learns from both hearings. */
#define HEAR_AS_IS_MIN_SD_DB 0.8

/* A conditioned copy of the utterance (n samples at AUDIO_RATE_HZ) for the decoder: sound around
 * the speaker's words turned down, quiet speech brought up, a faint hiss under it; what was found
 * of the room into *room. Free with free(). */
int16_t *signal_condition(const struct recogniser_config *config, const int16_t *pcm, size_t n,
			  struct room *room);

/* ---- adaptation.c ---------------------------------------------------------------------------- */

/* The shape of Debian's en-us model that an adaptation file must have: one transform of three
 * feature streams (cepstra, their deltas and double deltas) of 13 numbers each. */
#define ADAPTATION_STREAMS 3
#define ADAPTATION_STREAM_LENGTH 13

/* Whether `path` is an adaptation file PocketSphinx can apply to the model (its MLLR text format:
 * the number of transforms, of streams, then per stream its length, rotation, bias and variance
 * scales). Returns 0, or -ENOENT / -EINVAL with the file and line in err. */
int adaptation_check(const char *path, char *err, size_t errlen);

/* ---- pocketsphinx.c -------------------------------------------------------------------------- */

/* The searches, each decoding from the same acoustic scores. */
enum decoder_search {
	DECODER_LM,      /* the trigram model of the scripts plus the open vocabulary */
	DECODER_GRAMMAR, /* the templates themselves */
	DECODER_NEUTRAL, /* every known word, no sentence favoured */
	DECODER_PHONE,   /* a free phone loop (only with config.phone_loop) */
};

struct decoder_config {
	const char *acoustic_model; /* folder */
	const char *dict_path;      /* the task dictionary */
	const char *lm_path;        /* ARPA files of the language model and the neutral model */
	const char *neutral_path;
	const char *phone_lm;       /* the phone model; NULL: no phone loop */
	const char *grammar;        /* JSGF text */
	const char *scratch_dir;    /* the private folder: -senlogdir */
	const char *adaptation;     /* checked adaptation file (-mllr); NULL: the model as it is */
	const char *const *ps_args; /* extra "-name", "value", ..., NULL (or NULL) */
};

struct decoder;

/* Keep PocketSphinx's log off stderr (process-wide). */
void decoder_log_quiet(void);

/* Load the model and build every search. Returns 0 or -EINVAL with a message in err. */
int decoder_create(const struct decoder_config *config, struct decoder **out, char *err,
		   size_t errlen);
/* Accepts NULL. */
void decoder_destroy(struct decoder *dec);
/* Its private folder (config.scratch_dir). */
const char *decoder_dir(const struct decoder *dec);

/* The decoder of a kitchen's second hearing, made when first needed (second_decoder.c). */
struct second_decoder;
/* Keep what a decoder like config's needs (its generated files' text: they are removed after
 * recogniser_create) to make one later in a private folder of its own, from scratch_template
 * ("PARENT/NAME-XXXXXX"). NULL, with a warning, when the files cannot be read back. */
struct second_decoder *second_decoder_keep(const struct decoder_config *config,
					   const char *scratch_template);
/* The decoder, made at the first call (on the caller's thread); NULL when it could not be made
 * (a warning, once). */
struct decoder *second_decoder_get(struct second_decoder *sd);
/* Whether it was tried and could not be made. */
bool second_decoder_failed(const struct second_decoder *sd);
/* Accepts NULL. */
void second_decoder_destroy(struct second_decoder *sd);

/* Score the acoustic model over the utterance once (n samples at AUDIO_RATE_HZ, conditioned),
 * with the model's adaptation when `adapted` and there is one: the file of its scores, already
 * unlinked, or NULL and -EIO's message in err. */
FILE *decoder_scores(struct decoder *dec, const int16_t *pcm, size_t n, bool adapted, char *err,
		     size_t errlen);

/* The front end's noise estimate learnt afresh from the utterance itself, before it is heard
 * (decoder_scores does this). The adaptation tools' alignment calls it on a decoder of its own,
 * so that its features are the recogniser's. */
struct ps_decoder_s;
void decoder_noise_estimate_reset(struct ps_decoder_s *ps, const int16_t *pcm, size_t n);

/* One pass of one search over the scores. */
struct decoder_pass {
	long ascr;         /* summed acoustic score of the best path */
	int frames;        /* frames decoded */
	int word_frames;   /* frames inside real words (not silence or fillers) */
	double posterior;  /* the best path's posterior (DECODER_LM only) */
};

/* Decode `scores` with `search`: the pass's scores into p, its words (may be NULL) into words.
 * Returns 0, or -EIO with a message in err. */
int decoder_pass(struct decoder *dec, enum decoder_search search, FILE *scores,
		 struct decoder_pass *p, char *words, size_t wordslen, char *err, size_t errlen);

/* Per-frame log-likelihood ratio, natural log units, of acoustic score `ascr` against `other`
 * over `frames` frames. */
double decoder_score_ratio(long ascr, long other, int frames);
