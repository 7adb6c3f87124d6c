/* The dialogue state machine, rule by rule (DESIGN.md's conversation rules, issue 4; the phone key
 * map, docs/keypad.md), over a small script set written at test time: topics a-e on the main
 * menu's 1-5, a sub-menu m on 6 holding f and g, and w on 9 (one key from anywhere), so the main
 * menu has two pages; the controls with the shipped keys (help menu on 0: 1 start again, 2
 * slower, 3 faster, 4 louder, 5 quieter, 6 back, 7 stop, 8 goodbye, then 9), and every prompt.
 * Actions are rendered as one string per event ("stop say[topic:a,prompt:after-answer]"; a
 * prompt about an entry names it, "menu-item(f)", and the key it is offered on when that is not
 * its own, "see-also(b@1)") so each test reads as the conversation it checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dialogue.h"
#include "diag.h"
#include "keymap.h"
#include "log.h"
#include "script.h"

static const char controls_txt[] =
	"control: repeat\nkey: *\ntitle: Repeat\nask: (say that again | repeat)\n"
	"control: slower\nkey: 2\nkeyboard: -\ntitle: Slower\nask: slower\n"
	"control: faster\nkey: 3\nkeyboard: +\ntitle: Faster\nask: faster\n"
	"control: more\nkey: #\ntitle: More\nask: more\n"
	"control: back\nkey: 6\nkeyboard: /\ntitle: Back\nask: go back\n"
	"control: help\nkey: 0\ntitle: Help\nask: help\n"
	"control: stop\nkey: 7\nkeyboard: .\ntitle: Stop\nask: stop\n"
	"control: yes\nkey: 1\ntitle: Yes\nask: yes\n"
	"control: no\nkey: 2\ntitle: No\nask: no\n"
	"control: goodbye\nkey: 8\nkeyboard: backspace\ntitle: Goodbye\nask: goodbye\n"
	"control: louder\nkey: 4\ntitle: Louder\nask: louder\n"
	"control: quieter\nkey: 5\ntitle: Quieter\nask: quieter\n"
	"control: start-again\nkey: 1\ntitle: Start again\nask: start again\n"
	"control: language\nkey: 0\ntitle: Another language\nask: change language\n";

static const char topics_txt[] =
	"menu: m\nkey: 6\ntitle: Menu M\n"
	"topic: a\nkey: 1\ntitle: Topic A\nask: tell me about apples\nsay: A says this.\n"
	"more: A has more.\nsee: b, c, d\n"
	"topic: b\nkey: 2\ntitle: Topic B\nask: tell me about bananas\nsay: B says this.\n"
	"topic: c\nkey: 3\ntitle: Topic C\nask: tell me about cherries\nsay: C says this.\n"
	"topic: d\nkey: 4\ntitle: Topic D\nask: tell me about dates\nsay: D says this.\n"
	"topic: e\nkey: 5\ntitle: Topic E\nask: tell me about eggs\nsay: E says this.\n"
	"topic: f\nin-menu: m\nkey: 1\ntitle: Topic F\nask: tell me about figs\n"
	"say: F says this.\n"
	"topic: g\nin-menu: m\nkey: 2\ntitle: Topic G\nask: tell me about grapes\n"
	"say: G says this.\n"
	"topic: w\nkey: 9\ntitle: Who can help\nask: who can help\nsay: W says this.\n";

struct fixture {
	struct script_set *set;
	struct dialogue *dlg;
	char out[1024];
};

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void remove_file(const char *dir, const char *name)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	unlink(path);
}

static struct script_set *load_set(void)
{
	char dir[] = TEST_BUILD_DIR "/dialogue-XXXXXX";
	assert_non_null(mkdtemp(dir));
	write_file(dir, "controls.txt", controls_txt);
	write_file(dir, "topics.txt", topics_txt);
	char *prompts = xstrdup("");
	for (size_t i = 0; script_required_prompts[i]; i++) {
		char *next = xasprintf("%sprompt: %s\nsay: The %s prompt.\n", prompts,
				       script_required_prompts[i], script_required_prompts[i]);
		free(prompts);
		prompts = next;
	}
	/* A push-to-talk variant (said only with config.push_to_talk). */
	char *next = xasprintf("%sprompt: confirm-push-to-talk\nsay: Press a key.\n", prompts);
	free(prompts);
	prompts = next;
	write_file(dir, "prompts.txt", prompts);
	free(prompts);

	struct diag d;
	diag_init(&d);
	struct script_set *set = NULL;
	int r = script_set_load(dir, NULL, &set, &d);
	for (size_t i = 0; r != 0 && i < d.n_lines; i++)
		fprintf(stderr, "%s\n", d.lines[i]);
	diag_done(&d);
	remove_file(dir, "controls.txt");
	remove_file(dir, "topics.txt");
	remove_file(dir, "prompts.txt");
	rmdir(dir);
	assert_int_equal(r, 0);
	return set;
}

static struct fixture *fixture_new(const struct dialogue_config *cfg)
{
	struct fixture *fx = xcalloc(1, sizeof(*fx));
	fx->set = load_set();
	char err[256] = "";
	struct dialogue_config def;
	dialogue_config_defaults(&def);
	int r = dialogue_create(fx->set, cfg ? cfg : &def, &fx->dlg, err, sizeof(err));
	if (r)
		fprintf(stderr, "%s\n", err);
	assert_int_equal(r, 0);
	return fx;
}

static int setup(void **state)
{
	*state = fixture_new(NULL);
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	dialogue_destroy(fx->dlg);
	script_set_destroy(fx->set);
	free(fx);
	return 0;
}

/* Handle one event and render its actions. */
static const char *run(struct fixture *fx, const struct dialogue_event *ev)
{
	const struct dialogue_action *a;
	size_t n = dialogue_handle(fx->dlg, ev, &a);
	char *p = fx->out;
	size_t left = sizeof(fx->out);
	fx->out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		int w = 0;
		const char *sep = i ? " " : "";
		switch (a[i].type) {
		case DIALOGUE_ACTION_STOP_SPEECH:
			w = snprintf(p, left, "%sstop", sep);
			break;
		case DIALOGUE_ACTION_SAY:
			w = snprintf(p, left, "%ssay[", sep);
			for (size_t k = 0; k < a[i].n_items; k++) {
				char name[128];
				dialogue_item_name(&a[i].items[k], name, sizeof(name));
				const struct script_entry *t = a[i].items[k].topic;
				const char *on = a[i].items[k].key;
				int ww = snprintf(p + w, left - (size_t)w, "%s%s%s%s%s%s%s", k ? "," : "",
						  name, t ? "(" : "", t ? t->id : "", on ? "@" : "",
						  on ? on : "", t ? ")" : "");
				w += ww;
			}
			w += snprintf(p + w, left - (size_t)w, "]");
			break;
		case DIALOGUE_ACTION_TONE:
			w = snprintf(p, left, "%stone", sep);
			break;
		case DIALOGUE_ACTION_LISTEN:
			w = snprintf(p, left, "%slisten", sep);
			break;
		case DIALOGUE_ACTION_RATE:
			w = snprintf(p, left, "%srate(%d)", sep, a[i].rate_step);
			break;
		case DIALOGUE_ACTION_VOLUME:
			w = snprintf(p, left, "%svolume(%d)", sep, a[i].volume_step);
			break;
		case DIALOGUE_ACTION_RESET:
			w = snprintf(p, left, "%sreset", sep);
			break;
		case DIALOGUE_ACTION_EXIT:
			w = snprintf(p, left, "%sexit", sep);
			break;
		case DIALOGUE_ACTION_LANGUAGE:
			w = snprintf(p, left, "%slanguage", sep);
			break;
		}
		assert_true(w >= 0 && (size_t)w < left);
		p += w;
		left -= (size_t)w;
	}
	return fx->out;
}

static const char *start(struct fixture *fx)
{
	return run(fx, &(struct dialogue_event){ .type = DIALOGUE_EVENT_START });
}

static const char *done(struct fixture *fx)
{
	return run(fx, &(struct dialogue_event){ .type = DIALOGUE_EVENT_PLAYBACK_DONE });
}

static const char *key(struct fixture *fx, const char *k)
{
	return run(fx, &(struct dialogue_event){ .type = DIALOGUE_EVENT_KEY, .key = k });
}

/* Press each of the comma-separated keys, hearing each reply out ("6,1": sub-menu m, then f). */
static void press_keys(struct fixture *fx, const char *keys)
{
	char k[16];
	for (const char *p = keys; *p; p += *p == ',') {
		size_t n = strcspn(p, ",");
		assert_true(n > 0 && n < sizeof(k));
		memcpy(k, p, n);
		k[n] = '\0';
		key(fx, k);
		done(fx);
		p += n;
	}
}

static const char *silence(struct fixture *fx)
{
	return run(fx, &(struct dialogue_event){ .type = DIALOGUE_EVENT_SILENCE });
}

static const char *topic(struct fixture *fx, const char *id, enum recognition_decision dec)
{
	return run(fx, &(struct dialogue_event){ .type = DIALOGUE_EVENT_UTTERANCE,
						 .heard = "tell me about it",
						 .kind = INTENT_TOPIC,
						 .topic_id = id,
						 .confidence = dec == DECISION_ANSWER ? 0.9 : 0.5,
						 .decision = dec });
}

static const char *ctl(struct fixture *fx, enum control c, enum recognition_decision dec)
{
	return run(fx, &(struct dialogue_event){ .type = DIALOGUE_EVENT_UTTERANCE,
						 .heard = control_names[c],
						 .kind = INTENT_CONTROL,
						 .control = c,
						 .confidence = 0.9,
						 .decision = dec });
}

static const char *rejected(struct fixture *fx)
{
	return run(fx, &(struct dialogue_event){ .type = DIALOGUE_EVENT_UTTERANCE,
						 .heard = "what is the weather",
						 .kind = INTENT_NONE,
						 .confidence = 0.1,
						 .decision = DECISION_REJECT });
}

static const char *nothing_heard(struct fixture *fx)
{
	return run(fx, &(struct dialogue_event){ .type = DIALOGUE_EVENT_UTTERANCE,
						 .heard = "",
						 .kind = INTENT_NONE,
						 .decision = DECISION_REJECT });
}

/* An unsure question between two topics (`second` the close runner-up; NULL: none). */
static const char *between(struct fixture *fx, const char *id, const char *second,
			   enum recognition_decision dec)
{
	return run(fx, &(struct dialogue_event){ .type = DIALOGUE_EVENT_UTTERANCE,
						 .heard = "tell me about it",
						 .kind = INTENT_TOPIC,
						 .topic_id = id,
						 .second_topic_id = second,
						 .confidence = 0.6,
						 .decision = dec });
}

/* Words heard while a question is asked back, as the recogniser names them. */
static const char *said(struct fixture *fx, const char *words, enum control c)
{
	return run(fx, &(struct dialogue_event){ .type = DIALOGUE_EVENT_UTTERANCE,
						 .heard = words,
						 .kind = INTENT_CONTROL,
						 .control = c,
						 .confidence = 0.9,
						 .decision = DECISION_ANSWER });
}

/* Nothing understood in a room too noisy to hear. */
static const char *noisy(struct fixture *fx, const char *words)
{
	return run(fx, &(struct dialogue_event){ .type = DIALOGUE_EVENT_UTTERANCE,
						 .heard = words,
						 .kind = INTENT_NONE,
						 .decision = DECISION_REJECT,
						 .noisy = true });
}

/* Start, hear the greeting out, and be listening. */
static void begin(struct fixture *fx)
{
	assert_string_equal(start(fx), "say[prompt:greeting]");
	assert_string_equal(done(fx), "listen");
}

#define ANSWER(id) "say[topic:" id ",prompt:after-answer]"
/* The main menu's two pages, the sub-menu m, and the help menu's two pages. */
#define MAIN_PAGE_1                                                                        \
	"say[prompt:menu-intro,prompt:menu-item(a),prompt:menu-item(b),prompt:menu-item(c),"  \
	"prompt:menu-item(d),prompt:menu-item(e),prompt:menu-next]"
#define MAIN_PAGE_2 "say[prompt:menu-item(m),prompt:menu-item(w),prompt:menu-end]"
#define MENU_M                                                                             \
	"say[prompt:menu-item(f),prompt:menu-item(g),"                 \
	"prompt:submenu-end]"
#define HELP_PAGE_1                                                                        \
	"say[prompt:help,prompt:help-menu-intro,prompt:help-item(start-again),"               \
	"prompt:help-item(slower),prompt:help-item(faster),prompt:help-item(louder),"         \
	"prompt:help-item(quieter),prompt:menu-next]"
#define HELP_PAGE_2                                                                        \
	"say[prompt:help-item(back),prompt:help-item(stop),prompt:help-item(goodbye),"        \
	"prompt:menu-item(w),prompt:submenu-end]"

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

#define CHOICE(a, b) "say[prompt:choice(" a "@1),prompt:choice-or(" b "@2)]"

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
static void test_noisy_room_said_once(void **state)
{
	struct fixture *fx = *state;
	begin(fx);
	assert_string_equal(noisy(fx, ""), "say[prompt:not-heard,prompt:noisy]");
	done(fx);
	assert_string_equal(noisy(fx, "what is"), "say[prompt:not-heard]");
	done(fx);
	assert_string_equal(noisy(fx, ""), "say[prompt:not-heard]");
	done(fx);
	assert_string_equal(key(fx, "1"), ANSWER("a"));
	done(fx);
	assert_string_equal(noisy(fx, ""), "say[prompt:not-heard]");
	done(fx);
	/* The next visit is told again. */
	start(fx);
	done(fx);
	assert_string_equal(noisy(fx, ""), "say[prompt:not-heard,prompt:noisy]");
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

/* Digits choose from what was just offered, and from nothing else: a sub-menu's entries (3 is
 * nothing there, though the main menu has c on it), after its topic the same menu, the help
 * menu's controls. */
static void test_digits_choose_from_what_was_offered(void **state)
{
	struct fixture *fx = *state;
	begin(fx);
	assert_string_equal(key(fx, "6"), MENU_M);
	done(fx);
	assert_string_equal(key(fx, "3"), "say[prompt:unknown-key]");
	done(fx);
	assert_string_equal(key(fx, "1"), ANSWER("f"));
	done(fx);
	/* After an answer, the menu it is in: 2 is g, 5 nothing. */
	assert_string_equal(key(fx, "2"), ANSWER("g"));
	done(fx);
	assert_string_equal(key(fx, "5"), "say[prompt:unknown-key]");
	done(fx);
	/* The help menu: 4 is louder there, not d. */
	press_keys(fx, "0");
	assert_string_equal(key(fx, "4"), "volume(1) say[prompt:louder,topic:g,prompt:after-answer]");
	done(fx);
	/* Before anything was offered (the greeting): the main menu. */
	struct fixture *fresh = fixture_new(NULL);
	begin(fresh);
	assert_string_equal(key(fresh, "4"), ANSWER("d"));
	void *s = fresh;
	teardown(&s);
}

/* *, # and 0 mean the same thing everywhere: * says again what was just heard, # goes on, 0 is
 * help; on the greeting, a menu, the help menu, a sub-menu, an answer and a question. # after a
 * sub-menu's last page reads the list of topics. */
static void test_star_hash_zero_everywhere(void **state)
{
	struct fixture *fx = *state;
	begin(fx);
	assert_string_equal(key(fx, "*"), "say[prompt:greeting]");
	done(fx);
	assert_string_equal(key(fx, "#"), MAIN_PAGE_1);
	done(fx);
	assert_string_equal(key(fx, "*"), MAIN_PAGE_1);
	done(fx);
	assert_string_equal(key(fx, "0"), HELP_PAGE_1);
	done(fx);
	assert_string_equal(key(fx, "*"), HELP_PAGE_1);
	done(fx);
	assert_string_equal(key(fx, "#"), HELP_PAGE_2);
	done(fx);
	assert_string_equal(key(fx, "#"), MAIN_PAGE_1);
	done(fx);
	assert_string_equal(key(fx, "6"), MENU_M);
	done(fx);
	assert_string_equal(key(fx, "*"), MENU_M);
	done(fx);
	assert_string_equal(key(fx, "0"), HELP_PAGE_1);
	done(fx);
	press_keys(fx, "#,#,6");
	assert_string_equal(key(fx, "#"), MAIN_PAGE_1);
	done(fx);
	press_keys(fx, "1");
	assert_string_equal(key(fx, "*"), ANSWER("a"));
	done(fx);
	/* A question: * asks it again and it stays asked; # leaves it and goes on with the answer
	 * before it; 0 leaves it for help. */
	topic(fx, "e", DECISION_CONFIRM);
	done(fx);
	assert_string_equal(key(fx, "*"), "say[prompt:confirm(e)]");
	assert_true(dialogue_confirming(fx->dlg));
	done(fx);
	assert_string_equal(key(fx, "#"), "say[more:a,prompt:see-also(b@1),prompt:see-also(c@2)]");
	assert_false(dialogue_confirming(fx->dlg));
	done(fx);
	topic(fx, "e", DECISION_CONFIRM);
	done(fx);
	assert_string_equal(key(fx, "0"), HELP_PAGE_1);
	assert_false(dialogue_confirming(fx->dlg));
}

/* 9 is who can help from anywhere: a topic in a sub-menu, a sub-menu, a question, the help
 * menu (none of which has a 9 of its own). */
static void test_nine_from_anywhere(void **state)
{
	struct fixture *fx = *state;
	begin(fx);
	press_keys(fx, "6");
	assert_string_equal(key(fx, "9"), ANSWER("w"));
	done(fx);
	press_keys(fx, "6,1");
	assert_string_equal(key(fx, "9"), ANSWER("w"));
	done(fx);
	topic(fx, "c", DECISION_CONFIRM);
	done(fx);
	assert_string_equal(key(fx, "9"), ANSWER("w"));
	assert_false(dialogue_confirming(fx->dlg));
	done(fx);
	press_keys(fx, "0,#");
	assert_string_equal(key(fx, "9"), ANSWER("w"));
}

/* Louder and quieter (by voice, or 0 then 4 and 5): the output level a step at a time, the answer
 * again at the new level; at the bounds, "loudest" or "quietest" and no change. A question
 * stays asked. */
static void test_louder_and_quieter(void **state)
{
	struct fixture *fx = *state;
	begin(fx);
	press_keys(fx, "3");
	assert_string_equal(ctl(fx, CONTROL_LOUDER, DECISION_ANSWER),
			    "volume(1) say[prompt:louder,topic:c,prompt:after-answer]");
	assert_int_equal(dialogue_volume_step(fx->dlg), 1);
	done(fx);
	press_keys(fx, "0");
	assert_string_equal(key(fx, "4"), "volume(2) say[prompt:louder,topic:c,prompt:after-answer]");
	done(fx);
	assert_string_equal(key(fx, "4"), "volume(3) say[prompt:louder,topic:c,prompt:after-answer]");
	done(fx);
	assert_string_equal(key(fx, "4"), "say[prompt:loudest]");
	assert_int_equal(dialogue_volume_step(fx->dlg), 3);
	done(fx);
	for (int step = 2; step >= -3; step--) {
		char want[128];
		snprintf(want, sizeof(want),
			 "volume(%d) say[prompt:quieter,topic:c,prompt:after-answer]", step);
		assert_string_equal(step % 2 ? key(fx, "5")
					     : ctl(fx, CONTROL_QUIETER, DECISION_ANSWER),
				    want);
		done(fx);
	}
	assert_string_equal(key(fx, "5"), "say[prompt:quietest]");
	assert_int_equal(dialogue_volume_step(fx->dlg), -3);
	done(fx);
	topic(fx, "e", DECISION_CONFIRM);
	done(fx);
	assert_string_equal(ctl(fx, CONTROL_LOUDER, DECISION_ANSWER),
			    "volume(-2) say[prompt:louder,prompt:confirm(e)]");
	assert_true(dialogue_confirming(fx->dlg));
	done(fx);
	/* A new person hears the default level. */
	start(fx);
	assert_int_equal(dialogue_volume_step(fx->dlg), 0);
}

/* Start again (0, then 1; or by voice) reads the list of topics, and its digits then choose
 * from it. */
static void test_start_again_reads_main_menu(void **state)
{
	struct fixture *fx = *state;
	begin(fx);
	press_keys(fx, "6,2,0");
	assert_string_equal(key(fx, "1"), MAIN_PAGE_1);
	done(fx);
	assert_string_equal(key(fx, "1"), ANSWER("a"));
	done(fx);
	press_keys(fx, "6");
	assert_string_equal(ctl(fx, CONTROL_START_AGAIN, DECISION_ANSWER), MAIN_PAGE_1);
	done(fx);
	assert_string_equal(key(fx, "2"), ANSWER("b"));
}

static void test_goodbye_exits_live(void **state)
{
	struct fixture *fx = *state;
	begin(fx);
	assert_string_equal(ctl(fx, CONTROL_GOODBYE, DECISION_ANSWER), "say[prompt:goodbye]");
	assert_string_equal(done(fx), "exit");
}

static void test_goodbye_resets_station(void **state)
{
	(void)state;
	struct dialogue_config cfg;
	dialogue_config_defaults(&cfg);
	cfg.station = true;
	struct fixture *fx = fixture_new(&cfg);
	begin(fx);
	press_keys(fx, "3,-");
	assert_string_equal(key(fx, "backspace"), "say[prompt:goodbye]");
	assert_string_equal(done(fx), "reset listen");
	assert_int_equal(dialogue_rate_step(fx->dlg), 0);
	void *s = fx;
	teardown(&s);
}

/* A goodbye heard without certainty must not end someone's visit: they are asked; yes (or 1)
 * is the goodbye, no (or 2) or silence keeps them where they were. */
static void test_unsure_goodbye_is_asked_back(void **state)
{
	struct fixture *fx = *state;
	begin(fx);
	assert_string_equal(ctl(fx, CONTROL_GOODBYE, DECISION_CONFIRM),
			    "say[prompt:confirm-goodbye]");
	assert_true(dialogue_confirming(fx->dlg));
	assert_string_equal(done(fx), "listen");
	assert_string_equal(ctl(fx, CONTROL_NO, DECISION_ANSWER), "say[prompt:confirm-no]");
	assert_false(dialogue_confirming(fx->dlg));
	assert_string_equal(done(fx), "listen");

	ctl(fx, CONTROL_GOODBYE, DECISION_CONFIRM);
	done(fx);
	assert_string_equal(silence(fx), "say[prompt:confirm-goodbye]");
	done(fx);
	assert_string_equal(key(fx, "2"), "say[prompt:confirm-no]");
	done(fx);

	ctl(fx, CONTROL_GOODBYE, DECISION_CONFIRM);
	done(fx);
	assert_string_equal(key(fx, "1"), "say[prompt:goodbye]");
	assert_string_equal(done(fx), "exit");
}

static void test_unsure_goodbye_yes_by_voice(void **state)
{
	struct fixture *fx = *state;
	begin(fx);
	topic(fx, "c", DECISION_ANSWER);
	done(fx);
	ctl(fx, CONTROL_GOODBYE, DECISION_CONFIRM);
	done(fx);
	assert_string_equal(ctl(fx, CONTROL_YES, DECISION_CONFIRM), "say[prompt:goodbye]");
	assert_string_equal(done(fx), "exit");
}

/* A key during the goodbye: someone is still there, no exit. */
static void test_key_cancels_pending_exit(void **state)
{
	struct fixture *fx = *state;
	begin(fx);
	ctl(fx, CONTROL_GOODBYE, DECISION_ANSWER);
	assert_string_equal(key(fx, "2"), "stop " ANSWER("b"));
	assert_string_equal(done(fx), "listen");
}

static void test_unknown_key(void **state)
{
	struct fixture *fx = *state;
	begin(fx);
	assert_string_equal(key(fx, "7"), "say[prompt:unknown-key]");
	done(fx);
	assert_string_equal(key(fx, "12"), "say[prompt:unknown-key]");
	done(fx);
	assert_string_equal(key(fx, "x"), "say[prompt:unknown-key]");
	done(fx);
	assert_string_equal(key(fx, "13"), "say[prompt:unknown-key]");
}

/* The microphone runs while speaking; without barge-in what it hears is ignored. */
static void test_utterance_while_speaking_ignored(void **state)
{
	struct fixture *fx = *state;
	begin(fx);
	key(fx, "1");
	assert_string_equal(topic(fx, "b", DECISION_ANSWER), "");
	assert_true(dialogue_speaking(fx->dlg));
	assert_string_equal(done(fx), "listen");
}

static void test_voice_barge_in_when_enabled(void **state)
{
	(void)state;
	struct dialogue_config cfg;
	dialogue_config_defaults(&cfg);
	cfg.voice_barge_in = true;
	struct fixture *fx = fixture_new(&cfg);
	begin(fx);
	key(fx, "1");
	/* Unsure speech (perhaps the loudspeaker) does not interrupt; a sure "stop" does. */
	assert_string_equal(topic(fx, "b", DECISION_CONFIRM), "");
	assert_string_equal(rejected(fx), "");
	assert_string_equal(ctl(fx, CONTROL_STOP, DECISION_ANSWER), "stop say[prompt:stopped]");
	void *s = fx;
	teardown(&s);
}

static void test_listen_tone(void **state)
{
	(void)state;
	struct dialogue_config cfg;
	dialogue_config_defaults(&cfg);
	cfg.listen_tone = true;
	struct fixture *fx = fixture_new(&cfg);
	start(fx);
	assert_string_equal(done(fx), "tone listen");
	void *s = fx;
	teardown(&s);
}

/* Push to talk: a prompt's NAME-push-to-talk variant is said where the scripts have one (the
 * question asked back, answered by key), the prompt itself where they do not. */
static void test_push_to_talk_prompts(void **state)
{
	(void)state;
	struct dialogue_config cfg;
	dialogue_config_defaults(&cfg);
	cfg.push_to_talk = true;
	struct fixture *fx = fixture_new(&cfg);
	begin(fx);
	assert_string_equal(topic(fx, "f", DECISION_CONFIRM),
			    "say[prompt:confirm-push-to-talk(f)]");
	assert_true(dialogue_confirming(fx->dlg));
	assert_string_equal(key(fx, "1"), "stop say[topic:f,prompt:after-answer]");
	assert_string_equal(done(fx), "listen");
	assert_string_equal(rejected(fx), "say[prompt:not-sure]");
	void *s = fx;
	teardown(&s);
}

/* With a choice of languages, the help menu ends with the language control on its 0 ("0, then
 * 0") and that 0 asks the session for the choice; with one language neither: 0 there is help
 * again, and the control (by voice) is the help menu. */
static void test_language_control(void **state)
{
	(void)state;
	struct dialogue_config cfg;
	dialogue_config_defaults(&cfg);
	cfg.choose_language = true;
	struct fixture *fx = fixture_new(&cfg);
	begin(fx);
	assert_string_equal(key(fx, "0"), HELP_PAGE_1);
	assert_string_equal(key(fx, "#"), "stop say[prompt:help-item(back),prompt:help-item(stop),"
					  "prompt:help-item(goodbye),prompt:menu-item(w),"
					  "prompt:help-item(language),prompt:submenu-end]");
	assert_string_equal(key(fx, "0"), "stop language");
	char path[64];
	assert_string_equal(keymap_path(fx->set, script_set_control(fx->set, CONTROL_LANGUAGE),
					path, sizeof(path)),
			    "0, then 0");
	/* Outside the help menu, 0 is help. */
	assert_string_equal(key(fx, "9"), ANSWER("w"));
	assert_string_equal(key(fx, "0"), "stop " HELP_PAGE_1);
	void *st = fx;
	teardown(&st);

	fx = fixture_new(NULL);
	begin(fx);
	assert_string_equal(key(fx, "0"), HELP_PAGE_1);
	assert_string_equal(key(fx, "#"), "stop " HELP_PAGE_2);
	assert_string_equal(key(fx, "0"), "stop " HELP_PAGE_1);
	assert_string_equal(done(fx), "listen");
	assert_string_equal(run(fx, &(struct dialogue_event){ .type = DIALOGUE_EVENT_UTTERANCE,
							      .heard = "change language",
							      .kind = INTENT_CONTROL,
							      .control = CONTROL_LANGUAGE,
							      .confidence = 0.9,
							      .decision = DECISION_ANSWER }),
			    HELP_PAGE_1);
	st = fx;
	teardown(&st);
}

static void test_playback_interrupted_listens(void **state)
{
	struct fixture *fx = *state;
	start(fx);
	assert_string_equal(run(fx, &(struct dialogue_event){
					    .type = DIALOGUE_EVENT_PLAYBACK_INTERRUPTED }),
			    "listen");
}

/* START again (a new person) forgets everything, rate included. */
static void test_start_again_resets(void **state)
{
	struct fixture *fx = *state;
	begin(fx);
	press_keys(fx, "1");
	key(fx, "-");
	assert_string_equal(start(fx), "stop say[prompt:greeting]");
	assert_int_equal(dialogue_rate_step(fx->dlg), 0);
	done(fx);
	assert_string_equal(key(fx, "/"), "say[prompt:back-nothing]");
}

static void test_item_names(void **state)
{
	struct fixture *fx = *state;
	char buf[64];
	struct dialogue_item it = { .type = DIALOGUE_ITEM_ANSWER,
				    .entry = script_set_find_topic(fx->set, "a") };
	assert_string_equal(dialogue_item_name(&it, buf, sizeof(buf)), "topic:a");
	it.type = DIALOGUE_ITEM_MORE;
	assert_string_equal(dialogue_item_name(&it, buf, sizeof(buf)), "more:a");
	it = (struct dialogue_item){ .type = DIALOGUE_ITEM_PROMPT,
				     .entry = script_set_find_prompt(fx->set, "help") };
	assert_string_equal(dialogue_item_name(&it, buf, sizeof(buf)), "prompt:help");
}

/* The states a conversation walks through, by name (as the debug log prints them). */
static void test_state_names(void **state)
{
	struct fixture *fx = *state;
#define STATE(name) assert_string_equal(dialogue_state_name(dialogue_state(fx->dlg)), name)
	STATE("start");
	begin(fx);
	STATE("top");
	press_keys(fx, "0");
	STATE("menu");
	topic(fx, "c", DECISION_CONFIRM);
	done(fx);
	STATE("confirm-topic");
	assert_true(dialogue_confirming(fx->dlg));
	press_keys(fx, "2");
	STATE("menu");
	topic(fx, "c", DECISION_ANSWER);
	done(fx);
	STATE("answered");
	ctl(fx, CONTROL_GOODBYE, DECISION_CONFIRM);
	done(fx);
	STATE("confirm-goodbye");
	assert_true(dialogue_confirming(fx->dlg));
	ctl(fx, CONTROL_NO, DECISION_ANSWER);
	done(fx);
	STATE("answered");
	for (int i = 0; i < 3; i++) {
		silence(fx);
		done(fx);
	}
	STATE("idle");
#undef STATE
	assert_string_equal(dialogue_state_name((enum dialogue_state)99), "?");
}

/* A set without the prompts the dialogue needs is refused with a message saying what to add. */
static void test_create_refuses_incomplete_scripts(void **state)
{
	(void)state;
	struct script_set *set = xcalloc(1, sizeof(*set));
	struct diag d;
	diag_init(&d);
	assert_int_equal(script_set_parse_text(set, "p.txt",
					       "prompt: greeting\nsay: Hello.\n", &d),
			 0);
	diag_done(&d);
	struct dialogue *dlg = (struct dialogue *)1;
	char err[256] = "";
	assert_int_equal(dialogue_create(set, NULL, &dlg, err, sizeof(err)), -EINVAL);
	assert_null(dlg);
	assert_string_equal(err, "the scripts have no prompt 'menu-intro' "
				 "(add 'prompt: menu-intro' to prompts.txt)");
	script_set_destroy(set);
}

/* Any sequence of events: never more than a handful of actions, every item names something
 * the scripts have, a key during speech stops it first, listening never overlaps speaking, and
 * no menu reads more than 5 topics. (Random but repeatable: a fixed seed.) */
static void test_random_events_keep_invariants(void **state)
{
	struct fixture *fx = *state;
	static const char *const keys[] = { "0", "1", "2", "3", "4", "5", "6", "7", "8", "9",
					    "12", "13", "*", "#", "+", "-", "/", ".", "backspace",
					    "x" };
	static const char *const ids[] = { "a", "b", "c", "g", "nope" };
	unsigned seed = 12345;
	start(fx);
	for (int i = 0; i < 20000; i++) {
		struct dialogue_event ev = { 0 };
		int pick = rand_r(&seed) % 7;
		bool was_speaking = dialogue_speaking(fx->dlg);
		switch (pick) {
		case 0:
			ev.type = DIALOGUE_EVENT_KEY;
			ev.key = keys[rand_r(&seed) % (sizeof(keys) / sizeof(keys[0]))];
			break;
		case 1:
			ev.type = DIALOGUE_EVENT_UTTERANCE;
			ev.heard = rand_r(&seed) % 5 ? "words" : "";
			ev.kind = (enum intent_kind)(rand_r(&seed) % 3);
			ev.topic_id = ids[rand_r(&seed) % 5];
			ev.control = (enum control)(rand_r(&seed) % CONTROL_COUNT);
			ev.decision = (enum recognition_decision)(rand_r(&seed) % 3);
			break;
		case 2:
			ev.type = DIALOGUE_EVENT_SILENCE;
			break;
		case 3:
		case 4:
		case 5:
			ev.type = DIALOGUE_EVENT_PLAYBACK_DONE;
			break;
		default:
			ev.type = rand_r(&seed) % 50 ? DIALOGUE_EVENT_PLAYBACK_INTERRUPTED
						     : DIALOGUE_EVENT_START;
			break;
		}
		const struct dialogue_action *a;
		size_t n = dialogue_handle(fx->dlg, &ev, &a);
		assert_true(n <= 4);
		if (ev.type == DIALOGUE_EVENT_KEY && was_speaking) {
			assert_true(n >= 1);
			assert_int_equal(a[0].type, DIALOGUE_ACTION_STOP_SPEECH);
		}
		bool said = false, listened = false;
		for (size_t k = 0; k < n; k++) {
			if (a[k].type == DIALOGUE_ACTION_LISTEN)
				listened = true;
			if (a[k].type != DIALOGUE_ACTION_SAY)
				continue;
			said = true;
			assert_true(a[k].n_items >= 1);
			size_t menu_items = 0;
			for (size_t j = 0; j < a[k].n_items; j++) {
				const struct dialogue_item *it = &a[k].items[j];
				assert_non_null(it->entry);
				if (it->type == DIALOGUE_ITEM_PROMPT)
					assert_ptr_equal(script_set_find_prompt(fx->set, it->entry->id),
							 it->entry);
				else
					assert_ptr_equal(script_set_find_topic(fx->set, it->entry->id),
							 it->entry);
				menu_items += it->type == DIALOGUE_ITEM_PROMPT &&
					      strcmp(it->entry->id, "menu-item") == 0;
			}
			assert_true(menu_items <= 5);
		}
		assert_false(said && listened);
		if (said)
			assert_true(dialogue_speaking(fx->dlg));
		if (listened)
			assert_false(dialogue_speaking(fx->dlg));
		assert_false(dialogue_speaking(fx->dlg) && dialogue_listening(fx->dlg));
		int step = dialogue_rate_step(fx->dlg);
		assert_true(step >= -3 && step <= 3);
		step = dialogue_volume_step(fx->dlg);
		assert_true(step >= -3 && step <= 3);
		/* An exit ends a live conversation: start again. */
		for (size_t k = 0; k < n; k++)
			if (a[k].type == DIALOGUE_ACTION_EXIT)
				start(fx);
	}
}

/* One key press on the shipped scripts: its SAY action (there must be one). */
static const struct dialogue_action *press(struct fixture *fx, const char *k)
{
	const struct dialogue_action *a;
	size_t n = dialogue_handle(fx->dlg, &(struct dialogue_event){ .type = DIALOGUE_EVENT_KEY,
								     .key = k },
				   &a);
	assert_int_equal(n, 1);
	assert_int_equal(a[0].type, DIALOGUE_ACTION_SAY);
	return &a[0];
}

/* The menu entries a SAY reads, into items; returns how many. */
static size_t menu_items_said(const struct dialogue_action *a, const struct script_entry **items)
{
	size_t n = 0;
	for (size_t i = 0; i < a->n_items; i++)
		if (a->items[i].type == DIALOGUE_ITEM_PROMPT &&
		    strcmp(a->items[i].entry->id, "menu-item") == 0)
			items[n++] = a->items[i].topic;
	return n;
}

/* The shipped scripts: the dialogue accepts them; # reads the list of topics (the sub-menus and
 * who can help on 9), each sub-menu's key reads its topics in key order, no page over 5, and #
 * after a sub-menu returns to the list. Every topic is read exactly once, in the set's order. */
static void test_shipped_scripts_menu(void **state)
{
	(void)state;
	struct diag d;
	diag_init(&d);
	struct script_set *set = NULL;
	int r = script_set_load(TEST_SOURCE_DIR "/scripts", NULL, &set, &d);
	for (size_t i = 0; r != 0 && i < d.n_lines; i++)
		fprintf(stderr, "%s\n", d.lines[i]);
	diag_done(&d);
	assert_int_equal(r, 0);
	struct fixture fx = { .set = set };
	char err[256];
	assert_int_equal(dialogue_create(set, NULL, &fx.dlg, err, sizeof(err)), 0);
	begin(&fx);
	const struct dialogue_action *a = press(&fx, "#");
	const struct script_entry *main_items[KEYMAP_MENU_MAX], *items[KEYMAP_MENU_MAX];
	size_t n_main = menu_items_said(a, main_items);
	assert_true(n_main >= 2 && n_main <= 5);
	assert_string_equal(a->items[0].entry->id, "menu-intro");
	assert_string_equal(a->items[a->n_items - 1].entry->id, "menu-end");
	done(&fx);
	size_t seen = 0;
	for (size_t m = 0; m < n_main; m++) {
		const struct script_entry *e = main_items[m];
		assert_non_null(e->key);
		assert_true(m == 0 || strcmp(main_items[m - 1]->key, e->key) < 0);
		if (e->kind == SCRIPT_TOPIC) {
			assert_ptr_equal(e, &set->topics[seen++]);
			continue;
		}
		assert_int_equal(e->kind, SCRIPT_MENU);
		a = press(&fx, e->key);
		/* A sub-menu starts with its first entry (the shipped scripts leave its title out). */
		assert_string_equal(a->items[0].entry->id, "menu-item");
		assert_string_equal(a->items[0].topic->in_menu, e->id);
		size_t n = menu_items_said(a, items);
		assert_true(n >= 1 && n <= 5);
		assert_string_equal(a->items[a->n_items - 1].entry->id, "submenu-end");
		for (size_t i = 0; i < n; i++) {
			assert_ptr_equal(items[i], &set->topics[seen++]);
			assert_string_equal(items[i]->in_menu, e->id);
		}
		done(&fx);
		a = press(&fx, "#");
		assert_string_equal(a->items[0].entry->id, "menu-intro");
		done(&fx);
	}
	assert_int_equal(seen, set->n_topics);
	/* Who can help is the last, on 9. */
	assert_string_equal(main_items[n_main - 1]->key, KEYMAP_EVERYWHERE_KEY);
	dialogue_destroy(fx.dlg);
	script_set_destroy(set);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

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
		T(test_noisy_room_said_once),
		T(test_reject_is_kind_and_reprompts_grow),
		T(test_unknown_topic_id_is_not_sure),
		T(test_not_heard),
		T(test_silence_reprompts_then_resets),
		T(test_idle_greets_the_next_person),
		T(test_silence_count_restarts_on_speech),
		T(test_noise_does_not_hold_station),
		T(test_silence_while_speaking_ignored),
		T(test_silence_while_confirming_asks_again),
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
		T(test_digits_choose_from_what_was_offered),
		T(test_star_hash_zero_everywhere),
		T(test_nine_from_anywhere),
		T(test_louder_and_quieter),
		T(test_start_again_reads_main_menu),
		T(test_goodbye_exits_live),
		cmocka_unit_test(test_goodbye_resets_station),
		T(test_unsure_goodbye_is_asked_back),
		T(test_unsure_goodbye_yes_by_voice),
		T(test_key_cancels_pending_exit),
		T(test_unknown_key),
		T(test_utterance_while_speaking_ignored),
		cmocka_unit_test(test_voice_barge_in_when_enabled),
		cmocka_unit_test(test_listen_tone),
		cmocka_unit_test(test_push_to_talk_prompts),
		cmocka_unit_test(test_language_control),
		T(test_playback_interrupted_listens),
		T(test_start_again_resets),
		T(test_item_names),
		T(test_random_events_keep_invariants),
		T(test_state_names),
		cmocka_unit_test(test_create_refuses_incomplete_scripts),
		cmocka_unit_test(test_shipped_scripts_menu),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
