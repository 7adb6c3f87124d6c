/* The dialogue state machine, continued from test_dialogue.c: the phone key map (docs/keypad.md),
 * louder and quieter, starting again, goodbye and the station's reset, speech during
 * speech, push to talk, the language choice, and invariants over random events and the shipped
 * scripts. The scripts and the fixture: tests/support/dialogue_fixture.h. */
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

int main(void)
{
	const struct CMUnitTest tests[] = {
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
