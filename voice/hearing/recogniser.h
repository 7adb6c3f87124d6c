/* The recogniser: one utterance of 16 kHz mono speech in, the words heard, the intent and a
 * decision (answer / confirm / reject) out. PocketSphinx is behind voice/hearing/pocketsphinx.c
 * alone; the rest of voice/hearing/ shares recogniser_internal.h.
 *
 * The search is built at start-up from the loaded scripts (every ask: template of every topic and
 * control) and the lexicon; words missing from the dictionary get a pronunciation from the
 * lexicon or one generated automatically, each with a warning naming the word.
 *
 * One owner: whoever created it (the live loop, `ask`, a test). Not thread-safe; one utterance at
 * a time (inside, a kitchen's two hearings may run on two threads: one_decoder). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "confidence.h"
#include "diag.h"
#include "intent.h"
#include "recognition.h"
#include "lexicon.h"
#include "script.h"

struct recogniser_config {
	const char *acoustic_model; /* PocketSphinx model folder (paths_acoustic_model()) */
	const char *dictionary;     /* cmudict-format dictionary (paths_dictionary()) */
	/* The acoustic model's adaptation to speech in noise (paths_adaptation()); NULL: the model
	 * as it is. One that cannot be used is left out with a warning. */
	const char *adaptation;
	/* Where the recogniser makes its private folder ($TMPDIR, read by main.c); NULL: /tmp. */
	const char *scratch_parent;
	/* How the searches' results become a confidence and a decision (voice/decision/
	 * confidence.h; the figures behind the defaults: docs/recognition-tuning.md). */
	struct confidence_thresholds confidence;
	bool denoise;  /* speexdsp noise suppression before decoding, always */
	/* ...or when the utterance's loud frames are less than this many dB above its quiet ones
	 * (default 30; 0: never). */
	double denoise_below_db;
	bool verbose;  /* let PocketSphinx log to stderr (otherwise silent) */
	/* Also decode with a free phone loop for the acoustic ratios llr/grammar_llr (costs ~40%
	 * more time; the decision does not use them: see docs/recognition-tuning.md). */
	bool phone_loop;
	/* Pronunciation for a word neither the dictionary nor the lexicon knows (CMU phones into
	 * `phones`, return 0), e.g. eSpeak NG phonemes mapped by phonemes.h; NULL: such
	 * words are left out of the search, with a warning. */
	int (*pronounce)(void *data, const char *word, char *phones, size_t len);
	void *pronounce_data;
	/* A second pronunciation in the speakers' own accent (same data as pronounce), added for
	 * every word of the scripts where it differs from the dictionary's; NULL: none. */
	int (*accent)(void *data, const char *word, char *phones, size_t len);
	/* Tuning (benchmark): how many common English words form the open vocabulary (0: the
	 * default), and extra PocketSphinx options as "-name", "value", ..., NULL (or NULL). */
	int open_words;
	double open_mass; /* their share of the unigram probability (0: the default) */
	/* The rank among common English words that the neutral search gives a leaflet word that is
	 * not one of them (0: the default, 300). */
	int neutral_domain_rank;
	double noise_floor; /* sd in sample units of the hiss added under the audio (0: none) */
	/* Sound around the speaker's words is brought down 30 dB before decoding: from
	 * trim_margin_ms before the first to trim_margin_ms after the last 10 ms frame within
	 * trim_db of the utterance's loud frames (defaults 12 dB, 200 ms; trim_db 0: off). See
	 * docs/recognition-tuning.md. */
	double trim_db;
	int trim_margin_ms;
	const char *const *ps_args; /* must outlive the recogniser */
	/* In a kitchen's noise an utterance is heard twice, denoised and as it was: with two
	 * processors or more, on two decoders at once (the second made when a kitchen is first
	 * heard); with one_decoder, or one processor, one after the other on one decoder. */
	bool one_decoder;
};

/* Fill `config` with the defaults (model paths NULL: the caller sets them). */
void recogniser_config_defaults(struct recogniser_config *config);

struct recogniser;

/* Build the recogniser. `set` and `lex` (lex may be NULL) must outlive it. Warnings (words given
 * a generated pronunciation) are added to `warnings` (may be NULL). Returns 0, -ENOENT (model or
 * dictionary missing), -EINVAL (the search could not be built), with a message in err. */
int recogniser_create(const struct recogniser_config *config, const struct script_set *set,
		      const struct lexicon *lex, struct recogniser **out, struct diag *warnings,
		      char *err, size_t errlen);
void recogniser_destroy(struct recogniser *rec);

/* What is expected next (INTENT_EXPECT_CONFIRM while asking "did you ask about X?"). */
void recogniser_set_expect(struct recogniser *rec, enum intent_expect expect);

/* Whether a kitchen's two hearings run at once on two decoders (see one_decoder); false too
 * once the second decoder could not be made (they are then heard one after the other). Not
 * while recogniser_decode runs. */
bool recogniser_hears_beside(const struct recogniser *rec);

/* The recogniser's private folder in config.scratch_parent (or /tmp). Each utterance's
 * acoustic scores (about 1 MB a second) are written there while it is decoded and removed before
 * recogniser_decode returns; the folder is made again if something (a /tmp cleaner) took it.
 * Without room for them recogniser_decode fails with an error naming the folder, and the next
 * utterance is heard. */
const char *recogniser_scratch_dir(const struct recogniser *rec);

/* Decode one utterance (16 kHz mono, the whole of it, leading/trailing silence allowed).
 * Silence or noise gives decision REJECT with kind INTENT_NONE, not an error. Returns 0, or
 * -EIO with a message in err when the decoder fails. */
int recogniser_decode(struct recogniser *rec, const int16_t *pcm16k, size_t n,
		      struct recognition *out, char *err, size_t errlen);

/* ---- the one set-up shared by commands, the live loop, tests and benchmarks (setup.c) -------- */

struct synth;

struct recogniser_setup_config {
	const char *acoustic_model; /* paths_acoustic_model() */
	const char *dictionary;     /* paths_dictionary() */
	const char *adaptation;     /* paths_adaptation(); NULL: none */
	const char *scratch_parent; /* NULL: /tmp */
	bool verbose;
	/* Borrowed for the generated and British pronunciations (phonemes.h); NULL: one is made
	 * with `lex` and destroyed before recogniser_setup returns (if eSpeak NG cannot start,
	 * the scripts' words that need a generated pronunciation are left out, each with a
	 * warning). eSpeak NG is one engine a process: while a synthesiser exists, give it. */
	struct synth *synth;
	/* Tuning (NULL: recogniser_config_defaults): every field but the ones above and the
	 * pronunciation callbacks is taken from here. */
	const struct recogniser_config *tuning;
};

/* Build a recogniser the way `talkleaf ask`, the live loop, the tests and the benchmark all do:
 * the models given, pronunciations from eSpeak NG. As recogniser_create otherwise (the same
 * arguments, returns and errors). */
int recogniser_setup(const struct recogniser_setup_config *setup, const struct script_set *set,
		     const struct lexicon *lex, struct recogniser **out, struct diag *warnings,
		     char *err, size_t errlen);
