/* Confidence fusion (voice/decision/confidence.c): the searches' intents and words in, a
 * confidence and answer / confirm / reject out. Pure logic: the test links no sound or speech
 * library, only decision/ and content/. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "confidence.h"

/* Topic ids are compared as pointers into the script set: one string per topic. */
static const char *const FAULT = "not-your-fault";
static const char *const DANCE = "the-dance";

static struct confidence_thresholds th;

static int setup(void **state)
{
	confidence_thresholds_defaults(&th);
	return 0;
}

static struct intent_result topic(const char *id, double score, double margin)
{
	return (struct intent_result){ .kind = INTENT_TOPIC, .topic_id = id, .score = score,
				       .margin = margin };
}

static struct intent_result control(enum control c, double score, double margin)
{
	return (struct intent_result){ .kind = INTENT_CONTROL, .control = c, .score = score,
				       .margin = margin };
}

static const struct intent_result none = { .kind = INTENT_NONE };

static struct recognition heard(const char *words, const char *grammar_words)
{
	struct recognition r;
	memset(&r, 0, sizeof(r));
	strcpy(r.heard, words);
	strcpy(r.grammar_heard, grammar_words);
	return r;
}

static void test_overlap(void **state)
{
	assert_float_equal(confidence_words_overlap("is it my fault", "my fault is it"), 1.0, 1e-9);
	/* An apostrophe splits a word: "it's" and "it is" share "it". */
	assert_float_equal(confidence_words_overlap("it's my fault", "it is my fault"), 0.75, 1e-9);
	/* A multiset: one "no" of two. */
	assert_float_equal(confidence_words_overlap("no no", "no"), 0.5, 1e-9);
	assert_float_equal(confidence_words_overlap("", "is it my fault"), 0.0, 1e-9);
	assert_float_equal(confidence_words_overlap("hello there", "my fault"), 0.0, 1e-9);
}

/* Both searches heard the same sentence of the same topic, and the lattice is sure. */
static void test_agreement_answers(void **state)
{
	struct intent_result w = topic(FAULT, 1.0, 0.8), g = topic(FAULT, 1.0, 0.8);
	struct recognition r = heard("is it my fault", "is it my fault");
	confidence_decide(&th, &w, &g, &none, 0.01, &r);
	assert_int_equal(r.decision, DECISION_ANSWER);
	assert_int_equal(r.kind, INTENT_TOPIC);
	assert_ptr_equal(r.topic_id, FAULT);
	assert_float_equal(r.acoustic, 1.0, 1e-9);
	assert_float_equal(r.confidence, 1.0, 1e-9);
	assert_float_equal(r.grammar_overlap, 1.0, 1e-9);
}

/* A topic with a low lattice posterior is only confirmed; a control is not held back, but a
 * goodbye (which ends the visit) is. */
static void test_posterior_holds_back_topics_and_goodbye(void **state)
{
	struct intent_result w = topic(FAULT, 1.0, 0.8), g = w;
	struct recognition r = heard("is it my fault", "is it my fault");
	confidence_decide(&th, &w, &g, &none, th.answer_min_posterior / 2, &r);
	assert_int_equal(r.decision, DECISION_CONFIRM);

	struct intent_result rep = control(CONTROL_REPEAT, 1.0, 0.8);
	r = heard("say that again", "say that again");
	confidence_decide(&th, &rep, &rep, &none, 0.0, &r);
	assert_int_equal(r.decision, DECISION_ANSWER);
	assert_int_equal(r.control, CONTROL_REPEAT);

	struct intent_result bye = control(CONTROL_GOODBYE, 1.0, 0.8);
	r = heard("goodbye", "goodbye");
	confidence_decide(&th, &bye, &bye, &none, 0.0, &r);
	assert_int_equal(r.decision, DECISION_CONFIRM);
}

/* The same topic from both searches but mostly other words: the topic alone is less evidence. */
static void test_topic_only_agreement(void **state)
{
	struct intent_result w = topic(FAULT, 1.0, 0.8), g = w;
	struct recognition r = heard("my fault", "is it my fault because of me");
	confidence_decide(&th, &w, &g, &none, 0.01, &r);
	assert_true(r.grammar_overlap < th.grammar_words_agree);
	assert_float_equal(r.acoustic, th.grammar_topic_only, 1e-9);
	assert_int_equal(r.decision, DECISION_CONFIRM);
}

/* A best entry barely ahead of the runner-up is a guess. */
static void test_small_margin_confirms(void **state)
{
	struct intent_result w = topic(FAULT, 1.0, 0.05), g = w;
	struct recognition r = heard("is it my fault", "is it my fault");
	confidence_decide(&th, &w, &g, &none, 0.01, &r);
	assert_float_equal(r.confidence, th.margin_base + th.margin_slope * 0.05, 1e-9);
	assert_int_equal(r.decision, DECISION_CONFIRM);

	/* Every threshold is the caller's: a lower answer threshold answers it. */
	struct confidence_thresholds low = th;
	low.answer = 0.6;
	r = heard("is it my fault", "is it my fault");
	confidence_decide(&low, &w, &g, &none, 0.01, &r);
	assert_int_equal(r.decision, DECISION_ANSWER);
}

/* The grammar lands elsewhere: the language model's topic alone is rejected, unless the neutral
 * search backs it up, which confirms it but never answers it. */
static void test_disagreement_and_neutral(void **state)
{
	struct intent_result w = topic(FAULT, 1.0, 0.8), g = topic(DANCE, 1.0, 0.8);
	struct recognition r = heard("was it something i did", "what is the dance");
	confidence_decide(&th, &w, &g, &none, 0.01, &r);
	assert_float_equal(r.acoustic, th.grammar_disagree, 1e-9);
	assert_int_equal(r.decision, DECISION_REJECT);

	struct intent_result n = topic(FAULT, 0.7, 0.3);
	assert_true(confidence_neutral_worth(&th, &w, false));
	r = heard("was it something i did", "what is the dance");
	confidence_decide(&th, &w, &g, &n, 0.01, &r);
	assert_float_equal(r.acoustic, th.neutral_agree, 1e-9);
	assert_int_equal(r.decision, DECISION_CONFIRM);
	assert_ptr_equal(r.topic_id, FAULT);

	/* A neutral search that only just prefers the topic is no backing. */
	n.margin = th.neutral_min_margin / 2;
	r = heard("was it something i did", "what is the dance");
	confidence_decide(&th, &w, &g, &n, 0.01, &r);
	assert_int_equal(r.decision, DECISION_REJECT);
}

/* In noise the language model garbles a sentence the grammar heard whole: the grammar's entry is
 * confirmed, never answered, and never when it is yes, no or goodbye. */
static void test_grammar_rescue(void **state)
{
	struct intent_result w = topic(DANCE, 0.6, 0.2), g = topic(FAULT, 1.0, 0.8);
	struct recognition r = heard("is it my fault the dance", "is it my fault");
	confidence_decide(&th, &w, &g, &none, 0.01, &r);
	assert_int_equal(r.decision, DECISION_CONFIRM);
	assert_ptr_equal(r.topic_id, FAULT);
	assert_float_equal(r.confidence, th.confirm, 1e-9);

	struct intent_result yes = control(CONTROL_YES, 1.0, 0.8);
	r = heard("yes please dance", "yes please");
	confidence_decide(&th, &w, &yes, &none, 0.01, &r);
	assert_int_equal(r.decision, DECISION_REJECT);
}

/* The language model heard a whole sentence of one topic ("give me a medium roast coffee"), the
 * grammar one of another a word away ("... medium house coffee"): both are offered, the language
 * model's first. Not when the language model's sentence is no template's. */
static void test_owned_sentence_against_grammar_is_a_choice(void **state)
{
	static const char *const COFFEE = "coffee", *const HOUSE = "house-coffee";
	struct intent_result w = topic(COFFEE, 0.6, 0.1), g = topic(HOUSE, 0.6, 0.1);
	struct recognition r = heard("give me a medium roast coffee", "give me a medium house coffee");
	r.heard_owned = true;
	confidence_decide(&th, &w, &g, &none, 0.01, &r);
	assert_int_equal(r.decision, DECISION_CONFIRM);
	assert_ptr_equal(r.topic_id, COFFEE);
	assert_ptr_equal(r.second_topic_id, HOUSE);

	r = heard("give me a medium roast coffee", "give me a medium house coffee");
	confidence_decide(&th, &w, &g, &none, 0.01, &r);
	assert_int_equal(r.decision, DECISION_CONFIRM);
	assert_ptr_equal(r.topic_id, HOUSE);
	assert_null(r.second_topic_id);
}

/* The language model heard a whole sentence of the topic the grammar names too, in words too
 * unlike the grammar's to count as the same sentence: asked back, not rejected. */
static void test_owned_sentence_agreement_confirms(void **state)
{
	static const char *const AMERICANO = "americano";
	struct intent_result w = topic(AMERICANO, 0.7, 0.1), g = topic(AMERICANO, 0.7, 0.1);
	struct recognition r = heard("where i want a americano with sugar and",
				     "one medium americano with sugar");
	confidence_decide(&th, &w, &g, &none, 0.01, &r);
	assert_int_equal(r.decision, DECISION_REJECT);

	r = heard("where i want a americano with sugar and", "one medium americano with sugar");
	r.heard_owned = true;
	confidence_decide(&th, &w, &g, &none, 0.01, &r);
	assert_int_equal(r.decision, DECISION_CONFIRM);
	assert_ptr_equal(r.topic_id, AMERICANO);
	assert_null(r.second_topic_id);
}

/* With steady noise taken out, the language model's words name one drink clearly ("a large
 * mocha"), the grammar's sentence in much the same words another ("a iced mocha"): both are
 * offered, the language model's first. Not without the noise taken out (other voices), not with
 * too few words shared, and a weak language model's words are rescued as the grammar's. */
static void test_denoised_disagreement_is_a_choice(void **state)
{
	static const char *const MOCHA = "mocha", *const ICED = "iced-mocha";
	const char *lm = "let me get me a large mocha with a little bit of brown sugar and";
	const char *gr = "let me get a iced mocha with a little bit of brown sugar";
	struct intent_result w = topic(MOCHA, 0.88, 0.06), g = topic(ICED, 0.9, 0.1);
	struct recognition r = heard(lm, gr);
	r.denoised = true;
	confidence_decide(&th, &w, &g, &none, 1e-7, &r);
	assert_int_equal(r.decision, DECISION_CONFIRM);
	assert_ptr_equal(r.topic_id, MOCHA);
	assert_ptr_equal(r.second_topic_id, ICED);

	r = heard(lm, gr);
	confidence_decide(&th, &w, &g, &none, 1e-7, &r);
	assert_int_equal(r.decision, DECISION_REJECT);
	assert_null(r.second_topic_id);

	r = heard("could i have a mocha", "one iced mocha with some sweetener and some cream");
	r.denoised = true;
	confidence_decide(&th, &w, &g, &none, 1e-7, &r);
	assert_true(r.grammar_overlap < th.noisy_agree_overlap);
	assert_int_equal(r.decision, DECISION_REJECT);

	w.score = th.grammar_rescue_weak - 0.1;
	r = heard(lm, gr);
	r.denoised = true;
	confidence_decide(&th, &w, &g, &none, 1e-7, &r);
	assert_int_equal(r.decision, DECISION_CONFIRM);
	assert_ptr_equal(r.topic_id, ICED);
	assert_null(r.second_topic_id);
}

/* A runner-up topic close enough to hold the confidence down is offered beside the best as a
 * choice; a clear margin, a runner-up control, the grammar's sentence of the best in much the
 * same words, an answer or a rescue offer none. */
static void test_close_runner_up_is_a_choice(void **state)
{
	struct intent_result w = topic(FAULT, 1.0, 0.05), g = w;
	w.second_id = DANCE;
	w.second_kind = INTENT_TOPIC;
	/* The grammar names the best in other words (4 of 7 shared): it did not tell them apart. */
	struct recognition r = heard("is it my fault", "is it my fault because of me");
	confidence_decide(&th, &w, &g, &none, 0.01, &r);
	assert_int_equal(r.decision, DECISION_CONFIRM);
	assert_ptr_equal(r.topic_id, FAULT);
	assert_ptr_equal(r.second_topic_id, DANCE);

	w.second_kind = INTENT_CONTROL;
	r = heard("is it my fault", "is it my fault because of me");
	confidence_decide(&th, &w, &g, &none, 0.01, &r);
	assert_null(r.second_topic_id);

	/* Far enough ahead that the margin did not lower it: a yes/no about one. */
	w.second_kind = INTENT_TOPIC;
	w.margin = (1.0 - th.margin_base) / th.margin_slope;
	struct recognition far = heard("my fault", "is it my fault because of me");
	confidence_decide(&th, &w, &g, &none, 0.01, &far);
	assert_int_equal(far.decision, DECISION_CONFIRM);
	assert_null(far.second_topic_id);

	/* The grammar heard the same words as a sentence of the best: the templates told the two
	 * apart, so a yes/no about the one, whether or not only one entry produces it. */
	w.margin = 0.05;
	for (int sole = 0; sole < 2; sole++) {
		r = heard("is it my fault", "is it my fault");
		r.sole_phrasing = sole;
		confidence_decide(&th, &w, &g, &none, th.answer_min_posterior / 10, &r);
		assert_int_equal(r.decision, DECISION_CONFIRM);
		assert_null(r.second_topic_id);
	}

	/* An answer is never a choice. */
	struct confidence_thresholds low = th;
	low.answer = 0.6;
	w.margin = 0.05;
	r = heard("is it my fault", "is it my fault");
	confidence_decide(&low, &w, &g, &none, 0.01, &r);
	assert_int_equal(r.decision, DECISION_ANSWER);
	assert_null(r.second_topic_id);
}

/* Topics that differ in one word ("mocha" / "iced mocha") have a small margin however clearly
 * the sentence was heard: when both searches heard the same sentence and only one entry's
 * templates produce it (sole_phrasing, set by the recogniser), it is answered. */
static void test_sole_phrasing_answers(void **state)
{
	static const char *const MOCHA = "mocha";
	struct intent_result w = topic(MOCHA, 0.95, 0.05), g = w;
	struct recognition r = heard("a single shot mocha with soy milk",
				     "a single shot mocha with soy milk");
	r.sole_phrasing = true;
	confidence_decide(&th, &w, &g, &none, 0.01, &r);
	assert_int_equal(r.decision, DECISION_ANSWER);
	assert_ptr_equal(r.topic_id, MOCHA);
	assert_true(r.confidence >= th.answer);

	/* Not without it: the margin decides, as before. */
	r = heard("a single shot mocha with soy milk", "a single shot mocha with soy milk");
	confidence_decide(&th, &w, &g, &none, 0.01, &r);
	assert_int_equal(r.decision, DECISION_CONFIRM);

	/* In noise both searches can agree on a wrong sentence: the lattice still holds it back. */
	r = heard("a single shot mocha with soy milk", "a single shot mocha with soy milk");
	r.sole_phrasing = true;
	confidence_decide(&th, &w, &g, &none, th.answer_min_posterior / 2, &r);
	assert_int_equal(r.decision, DECISION_CONFIRM);

	/* Other words from the grammar, or another entry from it: no. */
	r = heard("a single shot mocha with soy milk", "a single shot mocha");
	r.sole_phrasing = true;
	confidence_decide(&th, &w, &g, &none, 0.01, &r);
	assert_int_not_equal(r.decision, DECISION_ANSWER);
	struct intent_result other = topic(FAULT, 0.95, 0.05);
	r = heard("a single shot mocha with soy milk", "a single shot mocha with soy milk");
	r.sole_phrasing = true;
	confidence_decide(&th, &w, &other, &none, 0.01, &r);
	assert_int_not_equal(r.decision, DECISION_ANSWER);
}

/* The searches a word or two apart ("an" / "a", "get me" / "give me"), each sentence a phrasing
 * of the same one entry only (the recogniser sets sole_phrasing then): answered too, as long as
 * most words are the same. */
static void test_sole_phrasing_words_apart(void **state)
{
	static const char *const LATTE = "latte";
	struct intent_result w = topic(LATTE, 0.95, 0.05), g = w;
	struct recognition r = heard("may i have an large latte with sugar",
				     "may i have a large latte with sugar");
	r.sole_phrasing = true;
	confidence_decide(&th, &w, &g, &none, 0.01, &r);
	assert_int_equal(r.decision, DECISION_ANSWER);
	assert_ptr_equal(r.topic_id, LATTE);

	r = heard("get me a large latte with sugar", "give me a large latte with sugar");
	r.sole_phrasing = true;
	confidence_decide(&th, &w, &g, &none, 0.01, &r);
	assert_int_equal(r.decision, DECISION_ANSWER);

	/* Half the words apart is another sentence, whatever the agreed words name. */
	r = heard("bring n latte with cream", "give me a latte with cream");
	r.sole_phrasing = true;
	confidence_decide(&th, &w, &g, &none, 0.01, &r);
	assert_int_not_equal(r.decision, DECISION_ANSWER);
}

/* A long sentence's lattice posterior is small only because it is a product over many words:
 * its geometric mean a word decides (answer_min_word_posterior). A sentence a few words apart
 * from the grammar's is confirmed, not answered (answer_min_overlap). */
static void test_long_sentences_and_overlap(void **state)
{
	static const char *const LATTE = "latte";
	const char *order = "can i have a twelve ounce dark roast latte with a little bit of milk";
	struct intent_result w = topic(LATTE, 1.0, 0.5), g = w;
	struct recognition r = heard(order, order);
	confidence_decide(&th, &w, &g, &none, 1e-4, &r); /* 15 words, 0.54 a word */
	assert_int_equal(r.decision, DECISION_ANSWER);
	r = heard(order, order);
	confidence_decide(&th, &w, &g, &none, 1e-12, &r); /* 0.16 a word */
	assert_int_equal(r.decision, DECISION_CONFIRM);
	r = heard("is it my fault", "is it my fault"); /* 4 words: 0.1 a word */
	confidence_decide(&th, &w, &g, &none, 1e-4, &r);
	assert_int_equal(r.decision, DECISION_CONFIRM);

	/* "when is the next train to london" heard by the two searches as: */
	r = heard("when is the next term tell end", "when is the next term start thanks");
	confidence_decide(&th, &w, &g, &none, 0.01, &r);
	assert_true(r.confidence >= th.answer);
	assert_int_equal(r.decision, DECISION_CONFIRM);
}

static void test_nothing_heard_rejects(void **state)
{
	struct recognition r = heard("", "");
	confidence_decide(&th, &none, &none, &none, 1.0, &r);
	assert_int_equal(r.decision, DECISION_REJECT);
	assert_int_equal(r.kind, INTENT_NONE);
	assert_false(confidence_grammar_worth(&th, &none));
}

/* In a room too noisy to hear well, a topic both searches name in much the same words is asked
 * back however low the word weights put it; in a quiet room, or with few words shared, not. */
static void test_noisy_room_agreement_confirms(void **state)
{
	struct intent_result w = topic(DANCE, 0.5, 0.02), g = topic(DANCE, 1.0, 0.8);
	/* 3 of 6 words shared: 0.5, between noisy_agree_overlap and grammar_words_agree. */
	struct recognition r = heard("i do the dance with me", "can i learn the dance please");
	confidence_decide(&th, &w, &g, &none, 1e-9, &r);
	assert_int_equal(r.decision, DECISION_REJECT);

	r = heard("i do the dance with me", "can i learn the dance please");
	r.noisy = true;
	confidence_decide(&th, &w, &g, &none, 1e-9, &r);
	assert_int_equal(r.decision, DECISION_CONFIRM);
	assert_ptr_equal(r.topic_id, DANCE);
	assert_null(r.second_topic_id);

	/* One word in six shared: the grammar forced a sentence on something else. */
	r = heard("the band was on the radio", "what is the dance");
	r.noisy = true;
	confidence_decide(&th, &w, &g, &none, 1e-9, &r);
	assert_int_equal(r.decision, DECISION_REJECT);

	/* The grammar named another topic. */
	struct intent_result other = topic(FAULT, 1.0, 0.8);
	r = heard("i do the dance with me", "can i learn the dance please");
	r.noisy = true;
	confidence_decide(&th, &w, &other, &none, 1e-9, &r);
	assert_int_equal(r.decision, DECISION_REJECT);
}

static struct recognition decided(enum recognition_decision d, const char *id)
{
	struct recognition r;
	memset(&r, 0, sizeof(r));
	r.decision = d;
	r.kind = id ? INTENT_TOPIC : INTENT_NONE;
	r.topic_id = id;
	return r;
}

/* The audio heard as it was adds to what was heard with the noise taken out: an answer of the
 * same topic, or a question back when nothing was heard; never an answer of its own. */
static void test_as_is_adds(void **state)
{
	(void)state;
	static const struct {
		enum recognition_decision out, as_is, want;
		const char *out_id, *as_is_id, *want_id;
	} cases[] = {
		/* the same topic's answer is taken */
		{ DECISION_CONFIRM, DECISION_ANSWER, DECISION_ANSWER, "dance", "dance", "dance" },
		/* another topic's answer is not */
		{ DECISION_CONFIRM, DECISION_ANSWER, DECISION_CONFIRM, "dance", "fault", "dance" },
		/* nothing heard: the as-is topic asked back, even from its answer */
		{ DECISION_REJECT, DECISION_ANSWER, DECISION_CONFIRM, NULL, "fault", "fault" },
		{ DECISION_REJECT, DECISION_REJECT, DECISION_REJECT, NULL, "fault", NULL },
		/* an answer stays */
		{ DECISION_ANSWER, DECISION_CONFIRM, DECISION_ANSWER, "dance", "fault", "dance" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct recognition out = decided(cases[i].out, cases[i].out_id);
		struct recognition as_is = decided(cases[i].as_is, cases[i].as_is_id);
		confidence_add_as_is(&out, &as_is);
		assert_int_equal(out.decision, cases[i].want);
		if (cases[i].want_id)
			assert_string_equal(out.topic_id, cases[i].want_id);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_overlap),
		cmocka_unit_test_setup(test_agreement_answers, setup),
		cmocka_unit_test_setup(test_posterior_holds_back_topics_and_goodbye, setup),
		cmocka_unit_test_setup(test_topic_only_agreement, setup),
		cmocka_unit_test_setup(test_small_margin_confirms, setup),
		cmocka_unit_test_setup(test_disagreement_and_neutral, setup),
		cmocka_unit_test_setup(test_grammar_rescue, setup),
		cmocka_unit_test_setup(test_owned_sentence_against_grammar_is_a_choice, setup),
		cmocka_unit_test_setup(test_owned_sentence_agreement_confirms, setup),
		cmocka_unit_test_setup(test_sole_phrasing_answers, setup),
		cmocka_unit_test_setup(test_sole_phrasing_words_apart, setup),
		cmocka_unit_test_setup(test_long_sentences_and_overlap, setup),
		cmocka_unit_test_setup(test_nothing_heard_rejects, setup),
		cmocka_unit_test_setup(test_denoised_disagreement_is_a_choice, setup),
		cmocka_unit_test_setup(test_close_runner_up_is_a_choice, setup),
		cmocka_unit_test_setup(test_noisy_room_agreement_confirms, setup),
		cmocka_unit_test(test_as_is_adds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
