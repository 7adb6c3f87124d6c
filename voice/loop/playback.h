/* What the assistant is saying (private to voice/loop/): a queue of entries, each one sentence of
 * an item (or a whole clip, or the listening tone), turned into samples just before it plays, so
 * the first sound of a reply waits for one sentence, not for the whole answer.
 *
 * Embedded in the session, which owns it; borrows the synthesiser. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "audio.h"
#include "dialogue.h"
#include "lexicon.h"
#include "synthesiser.h"

/* Entries queued at once: the longest reply the dialogue gives, sentence by sentence. */
#define PLAYBACK_QUEUE_MAX 160

enum playback_kind { PLAYBACK_ITEM, PLAYBACK_TONE };

/* Who says an entry: the set that fills its placeholders, and the eSpeak NG voice and
 * pronunciations (voice NULL: the synthesiser's as it is). Borrowed. */
struct playback_speaker {
	const struct script_set *set;
	const char *voice;
	const char *language; /* its code, for the numbers (synth_set_voice) */
	const struct lexicon *lex;
};

struct playback_entry {
	enum playback_kind kind;
	struct dialogue_item item;
	size_t sentence, n_sentences;
	struct playback_speaker speaker;
};

struct playback {
	struct synth *synth;
	/* Who says what is added next (playback_add): the language spoken now. */
	struct playback_speaker speaker;
	const char *voice_now; /* the voice last set on the synthesiser here, or NULL */
	const struct lexicon *lex_now;
	const char *language_now;
	double gain;                  /* the output level (louder, quieter): 1 is the default */
	double sentence_pause_s; /* between the sentences of an item */
	double item_gap_s;       /* between the items of a reply */
	struct playback_entry queue[PLAYBACK_QUEUE_MAX];
	size_t n, pos; /* queued, and the next to prepare */
	struct pcm cur; /* the entry playing now */
	size_t cur_pos;
	bool have_cur;
};

/* Start empty, speaking with `synth` the items of `set` (both borrowed) in the synthesiser's
 * voice, item_gap_s of silence between items, at gain 1. */
void playback_init(struct playback *pb, struct synth *synth, const struct script_set *set,
		   double item_gap_s);
/* Free the samples held. */
void playback_done(struct playback *pb);

/* True while something is left to play. */
bool playback_active(const struct playback *pb);

/* Drop everything queued and playing. */
void playback_clear(struct playback *pb);

/* Queue an item (its sentences one entry each, said by pb->speaker) or, with PLAYBACK_TONE and
 * NULL, the tone. */
void playback_add(struct playback *pb, enum playback_kind kind, const struct dialogue_item *it);

/* Prepare the next entry's samples if none are playing. A sentence that cannot be said is
 * skipped with a warning (a station keeps going). */
void playback_fill(struct playback *pb);

/* The next block of at most block_ms to play: true with samples, n and rate, or false when
 * everything queued has been played. */
bool playback_next(struct playback *pb, int block_ms, const int16_t **samples, size_t *n,
		   int *rate_hz);

/* `played` samples of the block from playback_next went out. */
void playback_advance(struct playback *pb, size_t played);
