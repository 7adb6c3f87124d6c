/* The dialogue when it does not understand (DESIGN.md's conversation rules): not heard, not
 * sure, a noisy room and the room's own sound, silence, and the reset for the next person. The
 * scripts and the fixture: tests/support/dialogue_fixture.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "dialogue.h"
#include "dialogue_fixture.h"

/* Words it could not make out in a noisy room: "not heard", and the keypad offered once a visit
 * (never asking again and again for speech it cannot hear). */
static void test_noisy_room_said_once(void **state)
{
	struct fixture *fx = *state;
	begin(fx);
	assert_string_equal(noisy(fx, "what is"), "say[prompt:not-heard,prompt:noisy]");
	done(fx);
	assert_string_equal(noisy(fx, "what"), "say[prompt:not-heard]");
	done(fx);
	assert_string_equal(key(fx, "1"), ANSWER("a"));
	done(fx);
	assert_string_equal(noisy(fx, "is it"), "say[prompt:not-heard]");
	done(fx);
	/* The next visit is told again. */
	start(fx);
	done(fx);
	assert_string_equal(noisy(fx, "the"), "say[prompt:not-heard,prompt:noisy]");
}

/* No words at all in a noisy room is the room's own sound (a kitchen's clatter), not a turn: no
 * reply, the question asked back still stands, and the no-speech window goes on; at its end,
 * the keypad is offered once. */
static void test_room_sound_is_no_turn(void **state)
{
	struct fixture *fx = *state;
	begin(fx);
	assert_string_equal(noisy(fx, ""), "listen-on");
	assert_true(dialogue_listening(fx->dlg));
	assert_string_equal(topic(fx, "f", DECISION_CONFIRM), "say[prompt:confirm(f)]");
	done(fx);
	assert_string_equal(noisy(fx, ""), "listen-on");
	assert_string_equal(noisy(fx, ""), "listen-on");
	assert_true(dialogue_confirming(fx->dlg));
	assert_string_equal(key(fx, "1"), ANSWER("f"));
	done(fx);
	assert_string_equal(noisy(fx, ""), "listen-on");
	assert_string_equal(silence(fx), "say[prompt:noisy]");
	done(fx);
	assert_string_equal(noisy(fx, ""), "listen-on");
	assert_string_equal(silence(fx), "say[prompt:reprompt-2]");
	done(fx);
	/* Without the room heard, a silence is a silence (the count starts again at a key). */
	press_keys(fx, "2");
	assert_string_equal(silence(fx), "say[prompt:reprompt-1]");
	done(fx);
	/* A quiet room's empty utterance is someone not heard. */
	assert_string_equal(nothing_heard(fx), "say[prompt:not-heard]");
}

/* Words it could not make out in a noisy room while asking back: the question stands and is
 * asked again, in its wording for keys where the scripts have one, so the key pressed next still
 * means yes or no, or the topic it offered (rather than a topic of the menu). In a quiet room
 * such words replace the question, as before. */
static void test_noisy_miss_keeps_the_question(void **state)
{
	struct fixture *fx = *state;
	begin(fx);
	topic(fx, "f", DECISION_CONFIRM);
	done(fx);
	assert_string_equal(noisy(fx, "the last one"),
			    "say[prompt:not-heard,prompt:confirm-push-to-talk(f)]");
	assert_true(dialogue_confirming(fx->dlg));
	done(fx);
	assert_string_equal(ctl(fx, CONTROL_REPEAT, DECISION_ANSWER),
			    "say[prompt:confirm-push-to-talk(f)]");
	done(fx);
	assert_string_equal(key(fx, "1"), ANSWER("f"));
	done(fx);
	assert_string_equal(between(fx, "e", "f", DECISION_CONFIRM), CHOICE("e", "f"));
	done(fx);
	assert_string_equal(noisy(fx, "one"), "say[prompt:not-heard," CHOICE_ITEMS("e", "f") "]");
	done(fx);
	assert_string_equal(key(fx, "2"), ANSWER("f"));
	done(fx);
	topic(fx, "f", DECISION_CONFIRM);
	done(fx);
	assert_string_equal(rejected(fx), "say[prompt:not-sure]");
	assert_false(dialogue_confirming(fx->dlg));
}

/* Push to talk: the key was pressed to speak, so nothing heard is a turn not heard. */
static void test_room_sound_after_push_to_talk_key(void **state)
{
	(void)state;
	struct dialogue_config cfg;
	dialogue_config_defaults(&cfg);
	cfg.push_to_talk = true;
	struct fixture *fx = fixture_new(&cfg);
	begin(fx);
	assert_string_equal(noisy(fx, ""), "say[prompt:not-heard,prompt:noisy]");
	void *s = fx;
	teardown(&s);
}

static void test_reject_is_kind_and_reprompts_grow(void **state)
{
	struct fixture *fx = *state;
	begin(fx);
	assert_string_equal(rejected(fx), "say[prompt:not-sure]");
	done(fx);
	assert_string_equal(rejected(fx), "say[prompt:not-sure,prompt:reprompt-1]");
	done(fx);
	assert_string_equal(rejected(fx), "say[prompt:not-sure,prompt:reprompt-2]");
	done(fx);
	/* Understood at last: the count starts again. */
	topic(fx, "a", DECISION_ANSWER);
	done(fx);
	assert_string_equal(rejected(fx), "say[prompt:not-sure]");
}

/* An unsure topic id the scripts do not have is never answered. */
static void test_unknown_topic_id_is_not_sure(void **state)
{
	struct fixture *fx = *state;
	begin(fx);
	assert_string_equal(topic(fx, "no-such-topic", DECISION_ANSWER), "say[prompt:not-sure]");
}

static void test_not_heard(void **state)
{
	struct fixture *fx = *state;
	begin(fx);
	assert_string_equal(nothing_heard(fx), "say[prompt:not-heard]");
	done(fx);
	assert_string_equal(nothing_heard(fx), "say[prompt:not-heard,prompt:reprompt-1]");
}

static void test_silence_reprompts_then_resets(void **state)
{
	struct fixture *fx = *state;
	begin(fx);
	press_keys(fx, "2");
	assert_string_equal(silence(fx), "say[prompt:reprompt-1]");
	assert_string_equal(done(fx), "listen");
	assert_string_equal(silence(fx), "say[prompt:reprompt-2]");
	assert_string_equal(done(fx), "listen");
	assert_string_equal(silence(fx), "say[prompt:reset]");
	/* After the reset prompt: forget, and wait quietly (no greeting to an empty room). */
	assert_string_equal(done(fx), "reset listen");
	/* Nobody there: wait quietly, no more prompts. */
	assert_string_equal(silence(fx), "listen");
	assert_string_equal(silence(fx), "listen");
	/* The next person's first key is greeted. */
	assert_string_equal(key(fx, "*"), "say[prompt:greeting]");
	done(fx);
	/* The conversation was forgotten: nothing to go back to. */
	assert_string_equal(key(fx, "/"), "say[prompt:back-nothing]");
}

/* Waiting for the next person: a key or words heard greet them; a topic key or a question asked
 * for sure is answered at once; a new set loaded (WAIT) waits quietly as a reset does. */
static void test_idle_greets_the_next_person(void **state)
{
	struct fixture *fx = *state;
	begin(fx);
	for (int i = 0; i < 3; i++) {
		silence(fx);
		done(fx);
	}
	assert_int_equal(dialogue_state(fx->dlg), DIALOGUE_STATE_IDLE);
	/* "hello" is no question: heard as some topic, unsure, it is greeted, not asked back. */
	assert_string_equal(topic(fx, "c", DECISION_CONFIRM), "say[prompt:greeting]");
	assert_int_equal(dialogue_state(fx->dlg), DIALOGUE_STATE_TOP);
	done(fx);
	assert_string_equal(run(fx, &(struct dialogue_event){ .type = DIALOGUE_EVENT_WAIT }),
			    "reset listen");
	assert_int_equal(dialogue_state(fx->dlg), DIALOGUE_STATE_IDLE);
	assert_string_equal(ctl(fx, CONTROL_HELP, DECISION_ANSWER), "say[prompt:greeting]");
	/* While speaking, WAIT stops the speech first. */
	assert_string_equal(run(fx, &(struct dialogue_event){ .type = DIALOGUE_EVENT_WAIT }),
			    "stop reset listen");
	assert_string_equal(key(fx, "5"), ANSWER("e"));
	run(fx, &(struct dialogue_event){ .type = DIALOGUE_EVENT_WAIT });
	assert_string_equal(topic(fx, "b", DECISION_ANSWER), ANSWER("b"));
}

/* Silence counts only in a row: a key or an understood question starts it again. */
static void test_silence_count_restarts_on_speech(void **state)
{
	struct fixture *fx = *state;
	begin(fx);
	silence(fx);
	done(fx);
	silence(fx);
	done(fx);
	ctl(fx, CONTROL_REPEAT, DECISION_ANSWER);
	done(fx);
	assert_string_equal(silence(fx), "say[prompt:reprompt-1]");
	done(fx);
	silence(fx);
	done(fx);
	press_keys(fx, "5");
	assert_string_equal(silence(fx), "say[prompt:reprompt-1]");
}

/* A television: noise and off-topic speech do not keep the station from resetting, and once
 * reset it does not talk to the television. */
static void test_noise_does_not_hold_station(void **state)
{
	struct fixture *fx = *state;
	begin(fx);
	silence(fx);
	done(fx);
	nothing_heard(fx);
	done(fx);
	rejected(fx);
	done(fx);
	assert_string_equal(silence(fx), "say[prompt:reprompt-2]");
	done(fx);
	assert_string_equal(silence(fx), "say[prompt:reset]");
	assert_string_equal(done(fx), "reset listen");
	assert_string_equal(nothing_heard(fx), "listen");
	assert_string_equal(rejected(fx), "listen");
	assert_string_equal(silence(fx), "listen");
	/* A real question wakes it. */
	assert_string_equal(topic(fx, "b", DECISION_ANSWER), ANSWER("b"));
}

/* A silence that arrives when not listening (e.g. while speaking) is ignored. */
static void test_silence_while_speaking_ignored(void **state)
{
	struct fixture *fx = *state;
	start(fx);
	assert_string_equal(silence(fx), "");
	assert_true(dialogue_speaking(fx->dlg));
}

static void test_silence_while_confirming_asks_again(void **state)
{
	struct fixture *fx = *state;
	begin(fx);
	topic(fx, "c", DECISION_CONFIRM);
	done(fx);
	assert_string_equal(silence(fx), "say[prompt:confirm(c)]");
	assert_true(dialogue_confirming(fx->dlg));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_noisy_room_said_once),
		T(test_room_sound_is_no_turn),
		T(test_noisy_miss_keeps_the_question),
		cmocka_unit_test(test_room_sound_after_push_to_talk_key),
		T(test_reject_is_kind_and_reprompts_grow),
		T(test_unknown_topic_id_is_not_sure),
		T(test_not_heard),
		T(test_silence_reprompts_then_resets),
		T(test_idle_greets_the_next_person),
		T(test_silence_count_restarts_on_speech),
		T(test_noise_does_not_hold_station),
		T(test_silence_while_speaking_ignored),
		T(test_silence_while_confirming_asks_again),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
