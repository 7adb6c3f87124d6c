/* What hearing one utterance gave: the words heard, the intent they name and the decision
 * (answer / confirm / reject), with the parts of the confidence for logs and tuning. Made by the
 * recogniser (voice/hearing/), read by the dialogue; plain data, owned by whoever holds it. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "intent.h"
#include "script.h"

enum recognition_decision {
	DECISION_ANSWER,  /* confident: act on the intent */
	DECISION_CONFIRM, /* plausible: ask "did you ask about ...?" first */
	DECISION_REJECT,  /* not understood / not something the leaflet covers */
};

struct recognition {
	char heard[512];        /* words recognised, lower case, "" if nothing */
	enum intent_kind kind;  /* INTENT_NONE when rejected with nothing close */
	const char *topic_id;   /* INTENT_TOPIC: into the script set */
	enum control control;   /* INTENT_CONTROL */
	double confidence;      /* 0..1 */
	enum recognition_decision decision;
	/* DECISION_CONFIRM of a topic whose runner-up is a topic close enough to have held the
	 * confidence down, or whose whole sentence the grammar heard as another topic's
	 * (confidence_decide): the two are offered as a choice. Else NULL. */
	const char *second_topic_id;
	/* The quiet frames between the words were unsteady (other voices, clatter) and the speech
	 * stood little above them: hearing is unlikely to do better here (signal.c). */
	bool noisy;
	/* The words come from the audio with steady noise taken out (else as it was). */
	bool denoised;
	/* The room's levels (voice/hearing/signal.c): the loud frames over the quiet ones, and how
	 * far the quiet ones vary, in dB. For logs and tuning. */
	double room_spread_db, room_quiet_sd_db;
	/* The parts of the confidence, for logs and tuning. */
	double acoustic;        /* how far the other searches agree: the factor (0..1) in confidence fusion */
	double intent_score;
	double intent_margin;
	char grammar_heard[512]; /* the template grammar's sentence ("" if none matched) */
	struct intent_result grammar_intent;
	double grammar_overlap;  /* share of words the grammar's sentence and `heard` have in common */
	/* The language model's sentence and the grammar's are each a phrasing of exactly one
	 * entry's templates, the same entry, the one both name (the same sentence, or a word
	 * apart: "an" / "a"). */
	bool sole_phrasing;
	/* The language model's sentence, or it less a word at either end or both, is a phrasing
	 * of exactly one entry's templates, the one its words name (whatever the grammar heard). */
	bool heard_owned;
	double grammar_llr;
	/* The neutral search's words and their intent ("" and INTENT_NONE when it did not run:
	 * it runs only when the grammar disagrees; see voice/hearing/). */
	char neutral_heard[512];
	struct intent_result neutral_intent;
	double llr;             /* word path vs phone loop, natural log per frame (<= ~0) */
	double posterior;       /* the language-model search's posterior of its hypothesis */
	int frames, word_frames, phone_speech_frames; /* frames decoded, in words, in phones */
	double audio_s;         /* length of the audio given */
	double compute_s;       /* CPU time spent decoding */
};

/* "answer", "confirm", "reject". */
const char *recognition_decision_name(enum recognition_decision d);
/* "topic id", "control:repeat" or NULL (INTENT_NONE), into buf. */
const char *recognition_intent_name(const struct recognition *r, char *buf, size_t buflen);
