/* Intent: the words a person said -> a topic, a control, or nothing, with a score.
 * The model is built once from the loaded scripts (every phrasing of every ask: template) and is
 * read-only afterwards; it does not know about audio, so it is unit-testable on text alone. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "script.h"

enum intent_kind { INTENT_NONE, INTENT_TOPIC, INTENT_CONTROL };

/* What the caller expects next. While confirming ("did you ask about X?") yes/no are likely and
 * win ties; otherwise topics and controls are equal. */
enum intent_expect { INTENT_EXPECT_ANY, INTENT_EXPECT_CONFIRM };

struct intent_result {
	enum intent_kind kind;
	const char *topic_id;  /* INTENT_TOPIC: points into the script set; else NULL */
	enum control control;  /* INTENT_CONTROL only */
	/* How well the words match the best entry, 0..1 (1: the words are one of its phrasings). */
	double score;
	/* score(best) - score(second best entry), 0..1: small means ambiguous. */
	double margin;
	/* Fraction of the content words heard that the best entry knows, 0..1. */
	double coverage;
	const char *second_id; /* id of the runner-up (topic id or control name), or NULL */
	enum intent_kind second_kind; /* the runner-up's kind (INTENT_NONE: none) */
};

struct intent_model;

/* Build the model from every topic and control of `set` (which must outlive the model).
 * Returns 0, or -EINVAL with "what is wrong (what to do)" in err (e.g. a template that does not
 * expand). *out is owned by the caller: intent_model_destroy. */
int intent_model_create(const struct script_set *set, struct intent_model **out, char *err,
			size_t errlen);
void intent_model_destroy(struct intent_model *model);

/* Classify `words` (lower case, space-separated, as the recogniser heard them; NULL or "" gives
 * INTENT_NONE with score 0). Never fails. */
void intent_classify(const struct intent_model *model, const char *words,
		     enum intent_expect expect, struct intent_result *out);

/* "topic id", "control:repeat" or NULL for INTENT_NONE, into buf; returns buf (or NULL). */
const char *intent_result_name(const struct intent_result *r, char *buf, size_t buflen);
