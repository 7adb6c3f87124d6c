/* Confidence: what the recogniser's searches heard, fused into one confidence (0..1) and a
 * decision (answer / confirm / reject). The language model's words name an intent; the template
 * grammar, and when it disagrees a neutral search, decoding the same audio, say how far to
 * believe it. Pure arithmetic on intents and words: no audio, no speech library.
 *
 * Every threshold is in struct confidence_thresholds; what each does and the measurements
 * behind its default are in docs/recognition-tuning.md. */
#pragma once

#include <stdbool.h>

#include "intent.h"
#include "recognition.h"

struct confidence_thresholds {
	/* Confidence from which an intent is acted on at once, and from which it is confirmed
	 * first ("did you ask about ...?"); below: rejected. */
	double answer;
	double confirm;
	/* The factor when the template grammar lands on another entry, or on nothing. */
	double grammar_disagree;
	/* A topic counts as agreed in full only when at least this share of the words are the
	 * same; otherwise the factor is grammar_topic_only (controls are exempt). */
	double grammar_words_agree;
	double grammar_topic_only;
	/* A result that would be rejected is confirmed as the grammar's entry instead when the
	 * grammar's sentence shares at least grammar_rescue_overlap of the words and the language
	 * model's own words score below grammar_rescue_weak. Where they score at least that, the
	 * steady noise was taken out (recognition.denoised) and at least noisy_agree_overlap of
	 * the words are shared, both topics are offered as a choice instead. */
	double grammar_rescue_overlap;
	double grammar_rescue_weak;
	/* The factor when the grammar disagrees but the neutral search's words reach the same topic
	 * with at least neutral_min_score and neutral_min_margin (below answer: confirmed only). */
	double neutral_agree;
	double neutral_min_score;
	double neutral_min_margin;
	/* A topic or a goodbye is answered outright only with this lattice posterior at least, or
	 * with at least answer_min_word_posterior as its geometric mean over the words heard. */
	double answer_min_posterior;
	double answer_min_word_posterior;
	/* A topic is answered outright only when at least this share of the words heard are the
	 * grammar's too (grammar_overlap); between grammar_words_agree and it, confirmed. */
	double answer_min_overlap;
	/* In a room too noisy to hear well (recognition.noisy), a topic both the language model
	 * and the grammar name, with at least this share of the words the same, is asked back
	 * ("did you ask about ...?") however low the confidence; see grammar_rescue_weak too. */
	double noisy_agree_overlap;
	/* The margin factor min(1, margin_base + margin_slope * margin): a best entry barely ahead
	 * of the runner-up is a guess. */
	double margin_base;
	double margin_slope;
};

/* Fill `t` with the defaults (calibrated on the recognition benchmark). */
void confidence_thresholds_defaults(struct confidence_thresholds *t);

/* The most confidence the language model's intent `words` could reach if every other search
 * agreed: its score times the margin factor. */
double confidence_best_case(const struct confidence_thresholds *t,
			    const struct intent_result *words);

/* Whether the grammar search is worth running: it can only lower the confidence, so not when
 * even its agreement could not lift `words` to a confirmation. */
bool confidence_grammar_worth(const struct confidence_thresholds *t,
			      const struct intent_result *words);

/* Whether two searches name the same entry (and not nothing). */
bool confidence_agree(const struct intent_result *a, const struct intent_result *b);

/* Whether the neutral search is worth running: for a topic the grammar did not back up
 * (`agree` false), when the neutral search's agreement could lift it to a confirmation. */
bool confidence_neutral_worth(const struct confidence_thresholds *t,
			      const struct intent_result *words, bool agree);

/* Fuse the searches' results into `out`. Reads out->heard, out->grammar_heard,
 * out->sole_phrasing (then, when both searches name the same entry with mostly the same words,
 * grammar_words_agree, the confidence is at least `answer`, whatever the margin), out->noisy,
 * out->denoised and out->heard_owned; fills kind, topic_id, control, intent_score, intent_margin,
 * grammar_overlap, acoustic, confidence, decision and second_topic_id (a close runner-up topic
 * of a confirmation, or the grammar's other topic: a choice). `words`, `grammar` and `neutral`
 * are the intents of the language model's, the grammar's and the neutral search's words
 * (INTENT_NONE for a search that did not run); `posterior` the language model's lattice
 * posterior of its words. */
void confidence_decide(const struct confidence_thresholds *t, const struct intent_result *words,
		       const struct intent_result *grammar, const struct intent_result *neutral,
		       double posterior, struct recognition *out);

/* Shared words (as a multiset) over the longer word count, 0..1: 1 for the same words in any
 * order. An apostrophe splits a word, so "it's" and "it is" share "it". */
double confidence_words_overlap(const char *a, const char *b);

/* What hearing the audio as it was (`as_is`) adds to what was heard with steady noise taken out
 * (`out`): its answer when both name the same entry; its entry asked back ("did you ask about
 * ...?") when `out` heard nothing. Never an answer of its own: noise left in gives words that
 * are not there. */
void confidence_add_as_is(struct recognition *out, const struct recognition *as_is);
