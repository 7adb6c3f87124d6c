/* The dialogue state machine, rule by rule (DESIGN.md's conversation rules, issue 4): questions
 * answered, asked back or offered as a choice; help, menus, saying again, slower and faster,
 * going back. What is not understood, silence and a noisy room: test_dialogue_misses.c. The
 * keys, goodbye and the station: test_dialogue_keys.c. The scripts and the fixture:
 * tests/support/dialogue_fixture.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dialogue.h"
#include "dialogue_fixture.h"
#include "diag.h"
#include "keymap.h"
#include "log.h"
#include "script.h"

/* --- rules --- */

static void test_greeting_then_listen(void **state)
{
	struct fixture *fx = *state;
	assert_false(dialogue_speaking(fx->dlg));
	assert_string_equal(start(fx), "say[prompt:greeting]");
	assert_true(dialogue_speaking(fx->dlg));
	assert_false(dialogue_listening(fx->dlg));
	assert_string_equal(done(fx), "listen");
	assert_false(dialogue_speaking(fx->dlg));
	assert_true(dialogue_listening(fx->dlg));
	/* A second "done" without speech is no event at all. */
	assert_string_equal(done(fx), "");
}

/* A topic on the main menu answers at once; one in a sub-menu is two keys away (6, then 2). No
 * menu offers a key of two digits. */
static void test_topic_key_answers_then_offers(void **state)
{
	struct fixture *fx = *state;
	begin(fx);
	assert_string_equal(key(fx, "3"), ANSWER("c"));
	assert_string_equal(done(fx), "listen");
	assert_string_equal(key(fx, "6"), MENU_M);
	assert_int_equal(dialogue_state(fx->dlg), DIALOGUE_STATE_MENU);
	done(fx);
	assert_string_equal(key(fx, "2"), ANSWER("g"));
	done(fx);
	assert_string_equal(key(fx, "12"), "say[prompt:unknown-key]");
}

static void test_sure_question_answers(void **state)
{
	struct fixture *fx = *state;
	begin(fx);
	assert_string_equal(topic(fx, "d", DECISION_ANSWER), ANSWER("d"));
}

static void test_unsure_question_confirms_yes(void **state)
{
	struct fixture *fx = *state;
	begin(fx);
	assert_string_equal(topic(fx, "f", DECISION_CONFIRM), "say[prompt:confirm(f)]");
	assert_true(dialogue_confirming(fx->dlg));
	assert_string_equal(done(fx), "listen");
	assert_string_equal(ctl(fx, CONTROL_YES, DECISION_ANSWER), ANSWER("f"));
	assert_false(dialogue_confirming(fx->dlg));
}

static void test_confirm_no_by_voice(void **state)
{
	struct fixture *fx = *state;
	begin(fx);
	topic(fx, "f", DECISION_CONFIRM);
	done(fx);
	assert_string_equal(ctl(fx, CONTROL_NO, DECISION_CONFIRM), "say[prompt:confirm-no]");
	assert_false(dialogue_confirming(fx->dlg));
}

/* While asking, 1 and 2 mean yes and no, not topics a and b. */
static void test_confirm_keys_1_and_2(void **state)
{
	struct fixture *fx = *state;
	begin(fx);
	topic(fx, "e", DECISION_CONFIRM);
	done(fx);
	assert_string_equal(key(fx, "1"), ANSWER("e"));
	done(fx);
	topic(fx, "e", DECISION_CONFIRM);
	done(fx);
	assert_string_equal(key(fx, "2"), "say[prompt:confirm-no]");
	done(fx);
	/* Not asking any more: 1 and 2 are topics again. */
	assert_string_equal(key(fx, "1"), ANSWER("a"));
	done(fx);
	assert_string_equal(key(fx, "2"), ANSWER("b"));
}

/* A new sure question while asking replaces the question. */
static void test_confirm_replaced_by_new_question(void **state)
{
	struct fixture *fx = *state;
	begin(fx);
	topic(fx, "e", DECISION_CONFIRM);
	done(fx);
	assert_string_equal(topic(fx, "c", DECISION_ANSWER), ANSWER("c"));
	assert_false(dialogue_confirming(fx->dlg));
	/* ... and an unsure one asks about the new topic. */
	topic(fx, "e", DECISION_CONFIRM);
	done(fx);
	assert_string_equal(topic(fx, "d", DECISION_CONFIRM), "say[prompt:confirm(d)]");
}

/* "Say that again" or "slower" while asking: the question again, still a question (1 is yes). */
static void test_repeat_and_slower_keep_the_question(void **state)
{
	struct fixture *fx = *state;
	begin(fx);
	press_keys(fx, "2");
	topic(fx, "e", DECISION_CONFIRM);
	done(fx);
	assert_string_equal(ctl(fx, CONTROL_REPEAT, DECISION_ANSWER), "say[prompt:confirm(e)]");
	assert_true(dialogue_confirming(fx->dlg));
	done(fx);
	assert_string_equal(key(fx, "-"), "rate(-1) say[prompt:slower,prompt:confirm(e)]");
	assert_true(dialogue_confirming(fx->dlg));
	done(fx);
	assert_string_equal(key(fx, "1"), ANSWER("e"));
}

/* Unsure between e and f: the choice, heard out. */
static void offer_choice(struct fixture *fx)
{
	assert_string_equal(between(fx, "e", "f", DECISION_CONFIRM), CHOICE("e", "f"));
	done(fx);
}

/* Unsure between two topics: both offered on 1 and 2 (2 is not "no" here), never answered. */
static void test_choice_by_key(void **state)
{
	struct fixture *fx = *state;
	begin(fx);
	offer_choice(fx);
	assert_true(dialogue_confirming(fx->dlg));
	assert_string_equal(key(fx, "2"), ANSWER("f"));
	assert_false(dialogue_confirming(fx->dlg));
	done(fx);
	offer_choice(fx);
	assert_string_equal(key(fx, "1"), ANSWER("e"));
	done(fx);
	/* A sure question answers whatever the runner-up; no runner-up asks about one. */
	assert_string_equal(between(fx, "c", "d", DECISION_ANSWER), ANSWER("c"));
	done(fx);
	assert_string_equal(between(fx, "c", NULL, DECISION_CONFIRM), "say[prompt:confirm(c)]");
	done(fx);
	/* A choice after a yes/no question replaces it. */
	assert_string_equal(between(fx, "a", "b", DECISION_CONFIRM), CHOICE("a", "b"));
	done(fx);
	assert_string_equal(key(fx, "2"), ANSWER("b"));
}

/* "the first", "the second" (where the scripts have them), a yes, a topic's own name, "neither". */
static void test_choice_by_voice(void **state)
{
	struct fixture *fx = *state;
	begin(fx);
	offer_choice(fx);
	assert_string_equal(said(fx, "the second one", CONTROL_NO), ANSWER("f"));
	done(fx);
	offer_choice(fx);
	assert_string_equal(said(fx, "the first", CONTROL_YES), ANSWER("e"));
	done(fx);
	offer_choice(fx);
	assert_string_equal(said(fx, "yes", CONTROL_YES), ANSWER("e"));
	done(fx);
	offer_choice(fx);
	assert_string_equal(topic(fx, "f", DECISION_CONFIRM), ANSWER("f"));
	done(fx);
	offer_choice(fx);
	assert_string_equal(said(fx, "neither of them", CONTROL_NO), "say[prompt:confirm-no]");
	assert_false(dialogue_confirming(fx->dlg));
	done(fx);
	/* The digits choose from the menu of the last answer (f's: m) again, not from the choice
	 * left. */
	assert_string_equal(key(fx, "2"), ANSWER("g"));
}

/* Silence, "repeat" or an unsure question about one topic while choosing. */
static void test_choice_asked_again_or_replaced(void **state)
{
	struct fixture *fx = *state;
	begin(fx);
	offer_choice(fx);
	assert_string_equal(silence(fx), CHOICE("e", "f"));
	done(fx);
	assert_string_equal(ctl(fx, CONTROL_REPEAT, DECISION_ANSWER), CHOICE("e", "f"));
	done(fx);
	assert_string_equal(between(fx, "d", NULL, DECISION_CONFIRM), "say[prompt:confirm(d)]");
	done(fx);
	/* A yes/no question now: 2 is no. */
	assert_string_equal(key(fx, "2"), "say[prompt:confirm-no]");
}

/* Too noisy to hear: said once a visit, with the keypad offered; never a re-prompt that asks for
 * speech again. */
/* Help (0) is its sentences, then the help menu 5 at a time: the controls on their digits, then
 * 9. Hash goes on: the help menu's next page, then the list of topics, 5 at a time; after its
 * end, the list again. */
static void test_help_reads_five_at_a_time(void **state)
{
	struct fixture *fx = *state;
	begin(fx);
	assert_string_equal(key(fx, "0"), HELP_PAGE_1);
	done(fx);
	assert_string_equal(key(fx, "#"), HELP_PAGE_2);
	done(fx);
	assert_string_equal(key(fx, "#"), MAIN_PAGE_1);
	done(fx);
	assert_string_equal(key(fx, "#"), MAIN_PAGE_2);
	done(fx);
	/* After the end, "more" starts the list again. */
	assert_string_equal(ctl(fx, CONTROL_MORE, DECISION_ANSWER), MAIN_PAGE_1);
}

/* "help" by voice works in every state, also while asking "did you ask about". */
static void test_help_always_works(void **state)
{
	struct fixture *fx = *state;
	begin(fx);
	topic(fx, "c", DECISION_CONFIRM);
	done(fx);
	const char *out = ctl(fx, CONTROL_HELP, DECISION_ANSWER);
	assert_string_equal(out, HELP_PAGE_1);
	assert_false(dialogue_confirming(fx->dlg));
	done(fx);
	press_keys(fx, "4");
	assert_non_null(strstr(key(fx, "0"), "say[prompt:help,"));
}

static void test_menu_page_size_capped_at_five(void **state)
{
	(void)state;
	struct dialogue_config cfg;
	dialogue_config_defaults(&cfg);
	cfg.menu_page_size = 9;
	struct fixture *fx = fixture_new(&cfg);
	begin(fx);
	const char *out = key(fx, "#");
	size_t items = 0;
	for (const char *p = out; (p = strstr(p, "menu-item(")); p++)
		items++;
	assert_int_equal(items, 5);
	void *s = fx;
	teardown(&s);
}

static void test_repeat_says_last_again(void **state)
{
	struct fixture *fx = *state;
	begin(fx);
	/* Before anything else: the greeting. */
	assert_string_equal(key(fx, "*"), "say[prompt:greeting]");
	done(fx);
	press_keys(fx, "5");
	assert_string_equal(key(fx, "*"), ANSWER("e"));
	done(fx);
	/* "I didn't catch that" is not what a person wants again: the answer is. */
	nothing_heard(fx);
	done(fx);
	assert_string_equal(ctl(fx, CONTROL_REPEAT, DECISION_ANSWER), ANSWER("e"));
}

static void test_more_then_see_also(void **state)
{
	struct fixture *fx = *state;
	begin(fx);
	press_keys(fx, "1");
	/* Topic a has more, and three related topics of which two are offered, on 1 and 2. */
	assert_string_equal(ctl(fx, CONTROL_MORE, DECISION_ANSWER),
			    "say[more:a,prompt:see-also(b@1),prompt:see-also(c@2)]");
	done(fx);
	/* Digits choose from what was just offered: 2 is c here, not the main menu's b. */
	assert_string_equal(key(fx, "2"), ANSWER("c"));
	done(fx);
	assert_string_equal(key(fx, "#"), "say[prompt:no-more]");
}

/* After the related topics, 1 is the first of them; a digit they do not offer is nothing, though
 * the main menu has it (3 is c there); 9 is still who can help. */
static void test_see_also_keys(void **state)
{
	struct fixture *fx = *state;
	begin(fx);
	press_keys(fx, "1,#");
	assert_string_equal(key(fx, "3"), "say[prompt:unknown-key]");
	done(fx);
	assert_string_equal(key(fx, "1"), ANSWER("b"));
	done(fx);
	press_keys(fx, "1,#"); /* b's menu is the main menu again: a, then its more */
	assert_string_equal(key(fx, "9"), ANSWER("w"));
}

/* Outside a question, "yes" after an answer goes on like "more"; "no" just stops. */
static void test_yes_no_outside_question(void **state)
{
	struct fixture *fx = *state;
	begin(fx);
	press_keys(fx, "1");
	assert_string_equal(ctl(fx, CONTROL_YES, DECISION_ANSWER),
			    "say[more:a,prompt:see-also(b@1),prompt:see-also(c@2)]");
	done(fx);
	assert_string_equal(ctl(fx, CONTROL_NO, DECISION_ANSWER), "say[prompt:stopped]");
}

static void test_slower_repeats_answer_until_slowest(void **state)
{
	struct fixture *fx = *state;
	begin(fx);
	press_keys(fx, "3");
	assert_string_equal(ctl(fx, CONTROL_SLOWER, DECISION_ANSWER),
			    "rate(-1) say[prompt:slower,topic:c,prompt:after-answer]");
	assert_int_equal(dialogue_rate_step(fx->dlg), -1);
	done(fx);
	assert_string_equal(key(fx, "-"), "rate(-2) say[prompt:slower,topic:c,prompt:after-answer]");
	done(fx);
	/* On a handset: 0, then 2 (the help menu stays offered, so 2 again is slower again). */
	assert_string_equal(key(fx, "0"), HELP_PAGE_1);
	done(fx);
	assert_string_equal(key(fx, "2"), "rate(-3) say[prompt:slower,topic:c,prompt:after-answer]");
	done(fx);
	assert_string_equal(key(fx, "2"), "say[prompt:slowest]");
	assert_int_equal(dialogue_rate_step(fx->dlg), -3);
	done(fx);
	/* Repeat says the answer, not "I'll speak more slowly". */
	assert_string_equal(key(fx, "*"), ANSWER("c"));
}

static void test_faster_until_fastest(void **state)
{
	struct fixture *fx = *state;
	begin(fx);
	press_keys(fx, "3");
	for (int i = 1; i <= 3; i++) {
		char want[128];
		snprintf(want, sizeof(want), "rate(%d) say[prompt:faster,topic:c,prompt:after-answer]",
			 i);
		assert_string_equal(ctl(fx, CONTROL_FASTER, DECISION_ANSWER), want);
		done(fx);
	}
	assert_string_equal(key(fx, "+"), "say[prompt:fastest]");
	done(fx);
	press_keys(fx, "0");
	assert_string_equal(key(fx, "3"), "say[prompt:fastest]");
	done(fx);
	/* And back down again. */
	assert_string_equal(key(fx, "-"), "rate(2) say[prompt:slower,topic:c,prompt:after-answer]");
}

/* After "more", slower and faster say the more part again, not the answer before it (issue 21);
 * "say that again" too. A topic with no more part: the answer again. */
static void test_slower_after_more_says_more(void **state)
{
	struct fixture *fx = *state;
	const char *more_a = "more:a,prompt:see-also(b@1),prompt:see-also(c@2)]";
	char want[256];
	begin(fx);
	press_keys(fx, "1,#");
	snprintf(want, sizeof(want), "rate(-1) say[prompt:slower,%s", more_a);
	assert_string_equal(ctl(fx, CONTROL_SLOWER, DECISION_ANSWER), want);
	done(fx);
	press_keys(fx, "0");
	snprintf(want, sizeof(want), "rate(-2) say[prompt:slower,%s", more_a);
	assert_string_equal(key(fx, "2"), want);
	done(fx);
	snprintf(want, sizeof(want), "rate(-1) say[prompt:faster,%s", more_a);
	assert_string_equal(key(fx, "+"), want);
	done(fx);
	snprintf(want, sizeof(want), "say[%s", more_a);
	assert_string_equal(key(fx, "*"), want);
	done(fx);
	/* A new answer: slower says it, not a's more. */
	topic(fx, "b", DECISION_ANSWER);
	done(fx);
	assert_string_equal(key(fx, "-"), "rate(-2) say[prompt:slower,topic:b,prompt:after-answer]");
	done(fx);
	/* b has no more: "there is no more" is not what slower says again. */
	press_keys(fx, "#");
	assert_string_equal(key(fx, "-"), "rate(-3) say[prompt:slower,topic:b,prompt:after-answer]");
}

/* Before any answer, slower says again what was said last (the greeting). */
static void test_slower_before_answer(void **state)
{
	struct fixture *fx = *state;
	begin(fx);
	assert_string_equal(key(fx, "-"), "rate(-1) say[prompt:slower,prompt:greeting]");
}

static void test_stop_key_stops_and_listens(void **state)
{
	struct fixture *fx = *state;
	begin(fx);
	key(fx, "1");
	assert_true(dialogue_speaking(fx->dlg));
	assert_string_equal(key(fx, "."), "stop say[prompt:stopped]");
	assert_string_equal(done(fx), "listen");
	/* On a handset: 0 (which interrupts too), then 7. */
	key(fx, "1");
	assert_string_equal(key(fx, "0"), "stop " HELP_PAGE_1);
	assert_string_equal(key(fx, "7"), "stop say[prompt:stopped]");
	assert_string_equal(done(fx), "listen");
	/* By voice when not speaking: nothing to stop, just "OK". */
	assert_string_equal(ctl(fx, CONTROL_STOP, DECISION_ANSWER), "say[prompt:stopped]");
}

/* A key press during speech stops it at once, then acts. */
static void test_key_during_speech_interrupts(void **state)
{
	struct fixture *fx = *state;
	start(fx); /* the greeting is playing */
	assert_string_equal(key(fx, "4"), "stop " ANSWER("d"));
	/* Still playing d's answer: another key. */
	assert_string_equal(key(fx, "0"), "stop " HELP_PAGE_1);
	assert_string_equal(key(fx, "9"), "stop " ANSWER("w"));
	assert_string_equal(key(fx, "x"), "stop say[prompt:unknown-key]");
}

static void test_back_to_previous_topic_and_menu(void **state)
{
	struct fixture *fx = *state;
	begin(fx);
	assert_string_equal(key(fx, "/"), "say[prompt:back-nothing]");
	done(fx);
	key(fx, "#"); /* menu page 1 */
	done(fx);
	key(fx, "#"); /* menu page 2 */
	done(fx);
	press_keys(fx, "1,5");
	assert_string_equal(ctl(fx, CONTROL_BACK, DECISION_ANSWER), ANSWER("a"));
	done(fx);
	assert_string_equal(key(fx, "/"), MAIN_PAGE_2);
	done(fx);
	assert_string_equal(key(fx, "/"), MAIN_PAGE_1);
	done(fx);
	assert_string_equal(key(fx, "/"), "say[prompt:back-nothing]");
}

/* Back from the first topic (issue 21): the menu it was chosen from, then the main menu, then
 * nothing. By key from the greeting (the main menu's 1) and by voice (f, in sub-menu m). */
static void test_back_from_first_topic_says_its_menu(void **state)
{
	struct fixture *fx = *state;
	begin(fx);
	press_keys(fx, "1");
	assert_string_equal(key(fx, "/"), MAIN_PAGE_1);
	done(fx);
	assert_string_equal(key(fx, "/"), "say[prompt:back-nothing]");
	done(fx);
	/* The digits choose from the menu gone back to. */
	assert_string_equal(key(fx, "2"), ANSWER("b"));
	done(fx);

	struct fixture *voice = fixture_new(NULL);
	begin(voice);
	topic(voice, "f", DECISION_ANSWER);
	done(voice);
	/* On a handset: 0, then 6 (help is no step to go back over). */
	press_keys(voice, "0");
	assert_string_equal(key(voice, "6"), MENU_M);
	done(voice);
	assert_string_equal(key(voice, "/"), MAIN_PAGE_1);
	done(voice);
	assert_string_equal(key(voice, "/"), "say[prompt:back-nothing]");
	void *p = voice;
	teardown(&p);
}

/* Back on a handset (0, then 6) from a sub-menu's topic: the sub-menu's page again, and the
 * digits choose from it again (1 is f, not a). */
static void test_back_returns_to_submenu(void **state)
{
	struct fixture *fx = *state;
	begin(fx);
	press_keys(fx, "6,2,0");
	assert_string_equal(key(fx, "6"), MENU_M);
	done(fx);
	assert_string_equal(key(fx, "1"), ANSWER("f"));
}

/* Hearing the same answer again is not a step to go back over. */
static void test_back_skips_repeats(void **state)
{
	struct fixture *fx = *state;
	begin(fx);
	press_keys(fx, "1,2,2,*");
	assert_string_equal(key(fx, "/"), ANSWER("a"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_greeting_then_listen),
		T(test_topic_key_answers_then_offers),
		T(test_sure_question_answers),
		T(test_unsure_question_confirms_yes),
		T(test_confirm_no_by_voice),
		T(test_confirm_keys_1_and_2),
		T(test_confirm_replaced_by_new_question),
		T(test_repeat_and_slower_keep_the_question),
		T(test_choice_by_key),
		T(test_choice_by_voice),
		T(test_choice_asked_again_or_replaced),
		T(test_help_reads_five_at_a_time),
		T(test_help_always_works),
		cmocka_unit_test(test_menu_page_size_capped_at_five),
		T(test_repeat_says_last_again),
		T(test_more_then_see_also),
		T(test_see_also_keys),
		T(test_yes_no_outside_question),
		T(test_slower_repeats_answer_until_slowest),
		T(test_faster_until_fastest),
		T(test_slower_before_answer),
		T(test_slower_after_more_says_more),
		T(test_back_from_first_topic_says_its_menu),
		T(test_stop_key_stops_and_listens),
		T(test_key_during_speech_interrupts),
		T(test_back_to_previous_topic_and_menu),
		T(test_back_skips_repeats),
		T(test_back_returns_to_submenu),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
