/* Score fusion: the searches' words and intents into a confidence and a decision. The reasons and
 * figures behind each rule and default are in docs/recognition-tuning.md, by the threshold's
 * name. */
#include "confidence.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

void confidence_thresholds_defaults(struct confidence_thresholds *t)
{
	*t = (struct confidence_thresholds){
		/* Wrong answers at most ~1% even in noise; the rest confirmed, not lost. */
		.answer = 0.90,
		.confirm = 0.45,
		/* Two searches that agree are rarely both wrong. */
		.grammar_disagree = 0.4,
		/* Off-topic speech is pulled to a topic's sentences by both searches. */
		.grammar_words_agree = 0.7,
		.grammar_topic_only = 0.65,
		/* In noise the grammar hears the whole template the language model garbled. */
		.grammar_rescue_overlap = 0.6,
		.grammar_rescue_weak = 0.85,
		/* A question in the parent's own words has no template for the grammar to find. */
		.neutral_agree = 0.8,
		.neutral_min_score = 0.5,
		.neutral_min_margin = 0.1, /* "attachment" alone is shared by four topics */
		/* In noise both searches can agree on a wrong sentence; the lattice shows it. */
		.answer_min_posterior = 0.0005,
		/* A long sentence's posterior is a product over many words, each heard clearly. */
		.answer_min_word_posterior = 0.4,
		/* "when is the next term tell end" is not "when is the next term start thanks". */
		.answer_min_overlap = 0.75,
		/* In noise the word weights' margin says little; two searches naming one topic do. */
		.noisy_agree_overlap = 0.4,
		.margin_base = 0.5,
		.margin_slope = 4.0,
	};
}

static double margin_factor(const struct confidence_thresholds *t, const struct intent_result *ir)
{
	return fmin(1.0, t->margin_base + t->margin_slope * ir->margin);
}

double confidence_best_case(const struct confidence_thresholds *t,
			    const struct intent_result *words)
{
	return words->score * margin_factor(t, words);
}

bool confidence_grammar_worth(const struct confidence_thresholds *t,
			      const struct intent_result *words)
{
	return words->kind != INTENT_NONE && confidence_best_case(t, words) >= t->confirm;
}

bool confidence_agree(const struct intent_result *a, const struct intent_result *b)
{
	return b->kind == a->kind && b->kind != INTENT_NONE &&
	       (a->kind == INTENT_CONTROL ? b->control == a->control : b->topic_id == a->topic_id);
}

bool confidence_neutral_worth(const struct confidence_thresholds *t,
			      const struct intent_result *words, bool agree)
{
	return !agree && words->kind == INTENT_TOPIC &&
	       confidence_best_case(t, words) * t->neutral_agree >= t->confirm;
}

/* Split `copy` in place at spaces and apostrophes into at most `max` words. */
static size_t overlap_words(char *copy, char **out, size_t max)
{
	size_t n = 0;
	char *save = NULL;
	for (char *w = strtok_r(copy, " '", &save); w && n < max; w = strtok_r(NULL, " '", &save))
		out[n++] = w;
	return n;
}

double confidence_words_overlap(const char *a, const char *b)
{
	char *ca = xstrdup(a), *cb = xstrdup(b), *wa[64], *wb[64];
	size_t na = overlap_words(ca, wa, 64), nb = overlap_words(cb, wb, 64), shared = 0;
	bool used[64] = { false };
	for (size_t i = 0; i < na; i++)
		for (size_t j = 0; j < nb; j++)
			if (!used[j] && !strcmp(wa[i], wb[j])) {
				used[j] = true;
				shared++;
				break;
			}
	free(ca);
	free(cb);
	return na && nb ? (double)shared / (double)(na > nb ? na : nb) : 0;
}

/* The posterior's geometric mean over the words of `heard`: a sentence of many words each heard
 * clearly has a small posterior only because it is long. */
static double word_posterior(const char *heard, double posterior)
{
	size_t n = 0;
	for (const char *p = heard; *p; p++)
		n += *p != ' ' && (p == heard || p[-1] == ' ');
	return n && posterior > 0 ? pow(posterior, 1.0 / (double)n) : 0;
}

static double clamp01(double x)
{
	return x < 0 ? 0 : x > 1 ? 1 : x;
}

/* The neutral search backs up a topic: the same one, clearly. */
static bool neutral_agrees(const struct confidence_thresholds *t, const struct intent_result *ir,
			   const struct intent_result *ni)
{
	return ni->kind == INTENT_TOPIC && ir->kind == INTENT_TOPIC &&
	       ni->topic_id == ir->topic_id && ni->score >= t->neutral_min_score &&
	       ni->margin >= t->neutral_min_margin;
}

/* Ask back out's topic with the grammar's other topic beside it: the numbered choice. */
static void offer_both(const struct confidence_thresholds *t, const struct intent_result *grammar,
		       struct recognition *out)
{
	out->confidence = t->confirm;
	out->decision = DECISION_CONFIRM;
	out->second_topic_id = grammar->topic_id;
}

void confidence_decide(const struct confidence_thresholds *t, const struct intent_result *words,
		       const struct intent_result *grammar, const struct intent_result *neutral,
		       double posterior, struct recognition *out)
{
	const struct intent_result *ir = words, *gi = grammar;
	bool agree = confidence_agree(ir, gi);
	out->kind = ir->kind;
	out->topic_id = ir->topic_id;
	out->control = ir->control;
	out->intent_score = ir->score;
	out->intent_margin = ir->margin;

	/* The intent score of the language model's words, times how far the other searches back
	 * them up, times the margin factor. Controls are a few words: their entry must agree. */
	out->grammar_overlap = confidence_words_overlap(out->heard, out->grammar_heard);
	bool same_words = ir->kind == INTENT_CONTROL ||
			  out->grammar_overlap >= t->grammar_words_agree;
	out->acoustic = agree ? (same_words ? 1.0 : t->grammar_topic_only)
			      : neutral_agrees(t, ir, neutral) ? t->neutral_agree
							       : t->grammar_disagree;
	out->confidence = clamp01(ir->score * out->acoustic * margin_factor(t, ir));
	/* The posterior holds back only answers that cannot be taken back; a control is cheap. */
	bool ends_visit_or_answers = ir->kind == INTENT_TOPIC ||
				     (ir->kind == INTENT_CONTROL && ir->control == CONTROL_GOODBYE);
	/* Both searches heard mostly the same words, and those they heard alike are a sentence only
	 * one entry's templates produce: topics that differ in a word have a small margin however
	 * clearly it was heard. */
	bool sole = out->sole_phrasing && agree && same_words;
	if (sole)
		out->confidence = fmax(out->confidence, t->answer);
	if (ir->kind == INTENT_NONE || !out->heard[0])
		out->decision = DECISION_REJECT;
	else if (out->confidence >= t->answer &&
		 (!ends_visit_or_answers || posterior >= t->answer_min_posterior ||
		  word_posterior(out->heard, posterior) >= t->answer_min_word_posterior) &&
		 (ir->kind != INTENT_TOPIC || out->grammar_overlap >= t->answer_min_overlap))
		out->decision = DECISION_ANSWER;
	else if (out->confidence >= t->confirm)
		out->decision = DECISION_CONFIRM;
	else
		out->decision = DECISION_REJECT;

	/* A runner-up topic close enough that the margin factor held the confidence down: the
	 * recogniser cannot tell the two apart, so both are offered (never answered). Not when the
	 * grammar heard much the same words as a sentence of the first: the templates told the two
	 * apart, and the runner-up is then almost never what was asked. */
	out->second_topic_id = NULL;
	if (out->decision == DECISION_CONFIRM && ir->kind == INTENT_TOPIC && !(agree && same_words) &&
	    ir->second_kind == INTENT_TOPIC && margin_factor(t, ir) < 1.0)
		out->second_topic_id = ir->second_id;

	/* Both searches name the topic, and either the room is too noisy to hear well and much
	 * the same words were heard, or the language model heard a whole sentence of the topic
	 * (give or take a word at an end): worth a question back (after the choice: not a
	 * choice). */
	if (out->decision == DECISION_REJECT && agree && ir->kind == INTENT_TOPIC &&
	    ((out->noisy && out->grammar_overlap >= t->noisy_agree_overlap) || out->heard_owned)) {
		out->confidence = fmax(out->confidence, t->confirm);
		out->decision = DECISION_CONFIRM;
	}

	/* A rejection the grammar heard as another entry: rescued as that entry, or offered beside
	 * it, asked back only; never for yes, no or goodbye, which act at once. */
	bool acts_at_once = gi->kind == INTENT_CONTROL &&
			    (gi->control == CONTROL_YES || gi->control == CONTROL_NO ||
			     gi->control == CONTROL_GOODBYE);
	if (out->decision != DECISION_REJECT || gi->kind == INTENT_NONE || agree || acts_at_once)
		return;
	bool both_topics = ir->kind == INTENT_TOPIC && gi->kind == INTENT_TOPIC;
	if (out->grammar_overlap >= t->grammar_rescue_overlap &&
	    ir->score < t->grammar_rescue_weak) {
		/* The language model, free to hear anything, heard a whole sentence of its own
		 * topic; the grammar, bound to the templates, a sentence of another a word away:
		 * either may be right, so both are offered. */
		if (out->heard_owned && both_topics) {
			offer_both(t, gi, out);
			return;
		}
		out->kind = gi->kind;
		out->topic_id = gi->topic_id;
		out->control = gi->control;
		out->intent_score = gi->score;
		out->intent_margin = gi->margin;
		out->confidence = t->confirm;
		out->decision = DECISION_CONFIRM;
	} else if (out->denoised && both_topics && ir->score >= t->grammar_rescue_weak &&
		   out->grammar_overlap >= t->noisy_agree_overlap) {
		/* With steady noise taken out, the short word that tells two topics apart ("iced",
		 * "drip") is the first to go: the language model's words name one topic clearly,
		 * the grammar's sentence, in much the same words, another. Either may be right.
		 * Not under other voices: there both are usually wrong. */
		offer_both(t, gi, out);
	}
}

/* Whether two hearings name the same topic or control. */
static bool same_intent(const struct recognition *a, const struct recognition *b)
{
	return a->kind == b->kind && a->kind != INTENT_NONE &&
	       (a->kind == INTENT_CONTROL ? a->control == b->control
					  : a->topic_id && b->topic_id && !strcmp(a->topic_id, b->topic_id));
}

void confidence_add_as_is(struct recognition *out, const struct recognition *as_is)
{
	if (out->decision == DECISION_CONFIRM && as_is->decision == DECISION_ANSWER &&
	    same_intent(out, as_is)) {
		*out = *as_is;
	} else if (out->decision == DECISION_REJECT && as_is->decision != DECISION_REJECT) {
		*out = *as_is;
		out->decision = DECISION_CONFIRM;
	}
}
