/* What the recognition benchmark's files share (tests/bench_recognition.c: the conditions, the
 * decoding and main; bench_recognition_speech.c: the sentences and their audio;
 * bench_recognition_tables.c: the tables and the dump). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "lexicon.h"
#include "recognition.h"
#include "script.h"

enum set_kind { SET_IN, SET_PARA, SET_OOD, SET_COUNT };

enum family { FAMILY_ESPEAK, FAMILY_FLITE, FAMILY_REAL, FAMILY_COFFEE, FAMILY_COUNT };

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

/* ---- bench_recognition.c ---- */

extern struct cond conds[];
extern const size_t n_conds;
extern struct job *jobs;
extern size_t n_jobs;

/* ---- bench_recognition_speech.c ---- */

/* Every utterance to hear, clean. */
extern struct item *items;
extern size_t n_items;
extern const char *const voices[]; /* eSpeak NG's */
extern const size_t n_voices;
/* One minute of each noise (babble only after make_babble; kitchen made by main). */
extern float *pink, *babble, *kitchen;
extern size_t n_noise;
/* The generator of voices, speeds, pitches and noise offsets: one sequence, so a run repeats. */
extern uint32_t bench_rng;
double urand(void);

struct phrases {
	char **s;
	size_t n;
};
/* Add `phrase` to the phrases `data` (script_entry_expand's callback). */
int collect(void *data, const char *phrase);
void phrases_done(struct phrases *p);
/* strcmp for qsort and bsearch over char *. */
int str_cmp(const void *a, const void *b);
void item_add(enum set_kind set, const char *label, const char *text);
/* Lines "label: sentence" (label NULL: lines are sentences), as items heard against `content`.
 * Comments and blanks skipped. */
int read_list(const char *path, enum set_kind set, bool labelled, struct phrases *templ,
	      enum content content);
/* `text` spoken by eSpeak NG, padded with half a second of silence, at 16 kHz. */
int speak(const struct lexicon *lex, const char *voice, int rate, int pitch, const char *text,
	  int16_t **out, size_t *n);
#ifdef HAVE_FLITE
/* Speak `text` with flite voice `voice` (0..2) at `stretch` times its own duration, padded and
 * resampled as speak() does. */
int speak_flite(int voice, double stretch, const char *text, int16_t **out, size_t *n);
#endif
/* Four talkers at once, each a voice reading sentences back to back, into babble. */
int make_babble(const struct lexicon *lex, size_t n, const char *const *texts, size_t n_texts);
/* Where in the noise an utterance's mix starts. */
size_t noise_offset(const struct item *it, size_t index);
/* `in` through the channel, into `out` (n samples; the slow channel is spoken, not made here). */
void through_channel(enum channel ch, const int16_t *in, size_t n, int16_t *out);
/* The recordings listed in `list` as items of family `fam`. Returns how many, or -1. */
int recordings_add(const char *list, const char *dir, enum family fam);
/* The coffee orders of PART.txt as items, and their content. */
int coffee_load(const char *src, const char *part, struct script_set **drinks,
		size_t *n_orders);
/* The school's questions as items, spoken, and their content. */
int school_add(const char *src, const struct lexicon *lex, struct script_set **school);

/* ---- bench_recognition_tables.c ---- */

/* The leaflet's tables, one a voice family, and the real-time factor over them. */
void leaflet_print(FILE *df);
/* The coffee orders' table, with the starting build's rows when `part` is the reporting part. */
void coffee_print(const char *part, size_t n_orders, FILE *df);
/* The school's tables, one a voice family. */
void school_print(FILE *df);
