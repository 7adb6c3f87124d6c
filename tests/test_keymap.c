/* The phone key map (voice/content/keymap.c, keymap_validate.c; docs/keypad.md): the menus in key
 * order, the help menu, keys said as paths, placeholders filled, and every key-map error and
 * warning by its exact path:line message. Fixtures: tests/data/scripts-min (controls and prompts)
 * and topics and menus written here as its --scripts folder. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "audio_helpers.h"
#include "keymap.h"
#include "log.h"
#include "script.h"
#include "script_files.h"

#define MIN_DIR TEST_SOURCE_DIR "/tests/data/scripts-min"

/* Two sub-menus, a topic on the main menu's 4 and who can help on 9. Written out of key order:
 * the loader sorts the topics as the menus offer them. */
static const char menus_txt[] = "menu: one\nkey: 1\ntitle: Menu one\n"
				"menu: two\nkey: 2\ntitle: Menu two\n";
static const char topics_txt[] =
	"topic: t23\nin-menu: two\nkey: 3\ntitle: Topic 2-3\nask: two three\nsay: Two three.\n"
	"topic: who\nkey: 9\ntitle: Who can help\nask: who can help\nsay: Your school.\n"
	"topic: t11\nin-menu: one\nkey: 1\ntitle: Topic 1-1\nask: one one\nsay: One one.\n"
	"topic: t21\nin-menu: two\nkey: 1\ntitle: Topic 2-1\nask: two one\nsay: Two one.\n"
	"topic: top4\nkey: 4\ntitle: Topic four\nask: four\nsay: Four.\n"
	"topic: t12\nin-menu: one\nkey: 2\ntitle: Topic 1-2\nask: one two\nsay: One two.\n"
	"topic: t22\nin-menu: two\nkey: 2\ntitle: Topic 2-2\nask: two two\nsay: Two two.\n";

static char tmpdir[256];

static int setup(void **state)
{
	return tmpdir_make(tmpdir, sizeof(tmpdir), TEST_BUILD_DIR, "keymap");
}

static int teardown(void **state)
{
	return tmpdir_remove(tmpdir);
}

static void write_file(const char *name, const char *text)
{
	script_file_write(tmpdir, name, text);
}

/* Load MIN_DIR with the temp folder as --scripts; print what went wrong when r is not `want`. */
static struct script_set *load(struct diag *d, int want)
{
	struct script_set *set = NULL;
	diag_init(d);
	int r = script_set_load(MIN_DIR, tmpdir, &set, d);
	if (r != want)
		for (size_t i = 0; i < d->n_lines; i++)
			print_error("got: %s\n", d->lines[i]);
	assert_int_equal(r, want);
	return set;
}

static struct script_set *load_fixture(void)
{
	write_file("menus.txt", menus_txt);
	write_file("topics.txt", topics_txt);
	struct diag d;
	struct script_set *set = load(&d, 0);
	assert_int_equal(d.n_errors, 0);
	diag_done(&d);
	return set;
}

static const char *const *ids(const struct script_entry **items, size_t n)
{
	static const char *out[KEYMAP_MENU_MAX + 1];
	for (size_t i = 0; i < n; i++)
		out[i] = items[i]->id;
	out[n] = NULL;
	return out;
}

static void assert_ids(const struct script_entry **items, size_t n, const char *const *want)
{
	const char *const *got = ids(items, n);
	size_t i = 0;
	for (; want[i] && got[i]; i++)
		assert_string_equal(got[i], want[i]);
	assert_null(want[i]);
	assert_null(got[i]);
}

/* The main menu offers the sub-menus and the topics without in-menu:, in key order; a sub-menu
 * its own topics; the help menu the controls on digits 1-8 (not yes and no), in key order. */
static void test_menus_in_key_order(void **state)
{
	struct script_set *set = load_fixture();
	const struct script_entry *items[KEYMAP_MENU_MAX];
	size_t n = keymap_menu_items(set, NULL, items);
	assert_ids(items, n, (const char *const[]){ "one", "two", "top4", "who", NULL });
	assert_int_equal(items[0]->kind, SCRIPT_MENU);
	assert_int_equal(items[2]->kind, SCRIPT_TOPIC);
	const struct script_entry *two = keymap_menu_find(set, NULL, "2");
	assert_ptr_equal(two, items[1]);
	n = keymap_menu_items(set, two, items);
	assert_ids(items, n, (const char *const[]){ "t21", "t22", "t23", NULL });
	assert_ptr_equal(keymap_menu_find(set, two, "3"), script_set_find_topic(set, "t23"));
	assert_null(keymap_menu_find(set, two, "4"));
	assert_null(keymap_menu_find(set, two, "9"));
	assert_null(keymap_menu_find(set, NULL, "3"));
	assert_ptr_equal(keymap_topic_menu(set, script_set_find_topic(set, "t23")), two);
	assert_null(keymap_topic_menu(set, script_set_find_topic(set, "top4")));
	/* The set's topics in the order the menus offer them. */
	const char *const order[] = { "t11", "t12", "t21", "t22", "t23", "top4", "who" };
	assert_int_equal(set->n_topics, 7);
	for (size_t i = 0; i < set->n_topics; i++)
		assert_string_equal(set->topics[i].id, order[i]);

	n = keymap_help_items(set, items);
	assert_ids(items, n,
		   (const char *const[]){ "start-again", "slower", "faster", "louder", "quieter",
					  "back", "stop", "goodbye", NULL });
	assert_ptr_equal(keymap_help_find(set, "4"), script_set_control(set, CONTROL_LOUDER));
	assert_ptr_equal(keymap_help_find(set, "1"), script_set_control(set, CONTROL_START_AGAIN));
	assert_null(keymap_help_find(set, "9"));
	assert_null(keymap_help_find(set, "0"));
	/* ... then 9, from anywhere. */
	assert_ptr_equal(keymap_everywhere_topic(set), script_set_find_topic(set, "who"));

	assert_int_equal(keymap_everywhere_control(set, "*"), CONTROL_REPEAT);
	assert_int_equal(keymap_everywhere_control(set, "#"), CONTROL_MORE);
	assert_int_equal(keymap_everywhere_control(set, "0"), CONTROL_HELP);
	assert_int_equal(keymap_everywhere_control(set, "-"), CONTROL_SLOWER);
	assert_int_equal(keymap_everywhere_control(set, "backspace"), CONTROL_GOODBYE);
	/* A help-menu digit means something only in the help menu. */
	assert_int_equal(keymap_everywhere_control(set, "4"), CONTROL_COUNT);
	script_set_destroy(set);
}

/* How each entry is reached, as said. */
static void test_paths(void **state)
{
	struct script_set *set = load_fixture();
	char buf[64];
#define PATH(e) keymap_path(set, (e), buf, sizeof(buf))
	assert_string_equal(PATH(script_set_control(set, CONTROL_REPEAT)), "star");
	assert_string_equal(PATH(script_set_control(set, CONTROL_MORE)), "hash");
	assert_string_equal(PATH(script_set_control(set, CONTROL_HELP)), "0");
	assert_string_equal(PATH(script_set_control(set, CONTROL_LOUDER)), "0, then 4");
	assert_string_equal(PATH(script_set_control(set, CONTROL_GOODBYE)), "0, then 8");
	/* Yes is answered with its digit, not reached through help. */
	assert_string_equal(PATH(script_set_control(set, CONTROL_YES)), "1");
	assert_string_equal(PATH(script_set_find_topic(set, "t23")), "2, then 3");
	assert_string_equal(PATH(script_set_find_topic(set, "top4")), "4");
	assert_string_equal(PATH(keymap_find_entry(set, "two")), "2");
	assert_string_equal(PATH(NULL), "");
#undef PATH
	assert_string_equal(keymap_key_word("*"), "star");
	assert_string_equal(keymap_key_word("#"), "hash");
	assert_string_equal(keymap_key_word("7"), "7");
	/* A control's name is found before a topic's or a menu's. */
	assert_int_equal(keymap_find_entry(set, "help")->kind, SCRIPT_CONTROL);
	assert_int_equal(keymap_find_entry(set, "one")->kind, SCRIPT_MENU);
	assert_null(keymap_find_entry(set, "nowhere"));
	script_set_destroy(set);
}

static void assert_fill(const struct script_set *set, const char *text,
			const struct script_entry *about, const char *key, const char *want)
{
	char *got = keymap_fill(set, text, about, key);
	assert_string_equal(got, want);
	free(got);
}

/* Placeholders: {title} and {key} of what the prompt is about (its key as offered there, else
 * its own), {key:ID}, {title:ID} and {where:ID} of any control, topic or menu, {topics};
 * anything else is left as written. */
static void test_fill_placeholders(void **state)
{
	struct script_set *set = load_fixture();
	const struct script_entry *t23 = script_set_find_topic(set, "t23");
	assert_fill(set, "For {title}, press {key}.", t23, NULL, "For Topic 2-3, press 3.");
	assert_fill(set, "You can also hear about {title}. Press {key}.", t23, "1",
		    "You can also hear about Topic 2-3. Press 1.");
	assert_fill(set, "To {title}, press {key}.", script_set_control(set, CONTROL_REPEAT), NULL,
		    "To repeat, press star.");
	assert_fill(set, "For {title:t23}, press {key:t23}.", NULL, NULL,
		    "For Topic 2-3, press 2, then 3.");
	assert_fill(set, "Louder: {key:louder}. Help: {key:help}. {title:two}: {key:two}.", NULL,
		    NULL, "Louder: 0, then 4. Help: 0. Menu two: 2.");
	assert_fill(set, "There are {topics} topics.", NULL, NULL, "There are 7 topics.");
	/* Where a key is, for a parent who cannot read the labels; a digit needs no place. */
	assert_fill(set, "Star {where:repeat}; hash {where:more}; 0 {where:help}; [{where:louder}]",
		    NULL, NULL,
		    "Star at the bottom left; hash at the bottom right; 0 at the bottom, in the "
		    "middle; []");
	/* Nothing to fill: {title} and {key} are empty without an entry. */
	assert_fill(set, "[{title}|{key}]", NULL, NULL, "[|]");
	assert_fill(set, "{placeholder} {key:nowhere} {title:} {size:t23} {key:help",
		    NULL, NULL, "{placeholder} {key:nowhere} {title:} {size:t23} {key:help");
	assert_fill(set, "{{key:help}}", NULL, NULL, "{0}");
	script_set_destroy(set);
}

/* Load the fixture with `name` written as `text`; expect failure with path:line `message`. */
static void expect_error(const char *name, const char *text, const char *message)
{
	write_file("menus.txt", menus_txt);
	write_file("topics.txt", topics_txt);
	write_file(name, text);
	struct diag d;
	assert_null(load(&d, -EINVAL));
	assert_diag_line(&d, tmpdir, message);
	diag_done(&d);
}

static void test_topic_key_not_a_digit(void **state)
{
	expect_error("t.txt", "topic: a\nkey: 12\ntitle: A\nask: a\nsay: A.\n",
		     "t.txt:2: error: key '12' of topic 'a' is not a digit from 1 to 9 (a phone keypad offers one digit a menu: put topics into menus, see scripts/README.md)");
}

static void test_topic_key_9_in_submenu(void **state)
{
	expect_error("t.txt", "topic: a\nin-menu: one\nkey: 9\ntitle: A\nask: a\nsay: A.\n",
		     "t.txt:3: error: key '9' of topic 'a' is not a digit from 1 to 8 (9 is the main menu's everywhere key)");
}

/* Two topics on one key of one menu: the second is named with the first and where it is. */
static void test_two_topics_on_one_key(void **state)
{
	char message[512];
	snprintf(message, sizeof(message),
		 "x.txt:7: error: key 2 of topic 'b' is already used by topic 't22' in two (%s/topics.txt:37)",
		 tmpdir);
	expect_error("x.txt", "\n\ntopic: b\nask: b\nsay: B.\nin-menu: two\nkey: 2\ntitle: B\n",
		     message);
	/* The same key in another menu is no clash. */
	write_file("x.txt", "topic: b\nin-menu: one\nkey: 3\ntitle: B\nask: b\nsay: B.\n");
	struct diag d;
	script_set_destroy(load(&d, 0));
	diag_done(&d);
}

static void test_unknown_menu(void **state)
{
	expect_error("t.txt", "topic: a\nkey: 1\ntitle: A\nin-menu: three\nask: a\nsay: A.\n",
		     "t.txt:4: error: in-menu: names unknown menu 'three' (add a 'menu: three' block, or check the spelling)");
}

static void test_menu_without_topics(void **state)
{
	expect_error("t.txt", "# nothing in it\nmenu: empty\nkey: 3\ntitle: Empty\n",
		     "t.txt:2: error: menu 'empty' has no topics (add 'in-menu: empty' to a topic, or remove the menu)");
}

/* A full keyboard's key is no phone key: the message says where it goes. */
static void test_control_on_keyboard_key(void **state)
{
	expect_error("controls.txt", "control: slower\nkey: -\ntitle: slower\nask: slower\n",
		     "controls.txt:2: error: key '-' of control 'slower' is not on a phone keypad's menus (use *, # or 0 for everywhere, 1-8 for its place in the help menu; 9 is the main menu's everywhere key; a full keyboard's '+', '-', '/', '.' or 'backspace' goes in 'keyboard:')");
}

static void test_help_not_everywhere(void **state)
{
	expect_error("controls.txt", "control: help\nkey: 7\ntitle: help\nask: help\n",
		     "controls.txt:2: error: control 'help' is on key '7'; it must be on *, # or 0 (help is how the other controls are reached)");
}

static void test_placeholder_naming_nothing(void **state)
{
	expect_error("prompts.txt", "prompt: greeting\nsay: Hello.\nsay: For help, press {key:hlep}.\n",
		     "prompts.txt:3: error: {key:hlep} names nothing (use {title}, {key}, {topics}, or {key:ID}, {title:ID} and {where:ID} with the id of a control, topic or menu)");
	expect_error("t.txt", "topic: a\nkey: 5\ntitle: A\nask: a\nsay: See {title:nothing}.\n",
		     "t.txt:5: error: {title:nothing} names nothing (use {title}, {key}, {topics}, or {key:ID}, {title:ID} and {where:ID} with the id of a control, topic or menu)");
}

/* A key written into a prompt or an answer is a warning (the set still loads), naming the
 * placeholder to write; a placeholder after "press", or "press" inside a word, is not. */
static void test_press_n_warns(void **state)
{
	write_file("menus.txt", menus_txt);
	write_file("topics.txt", topics_txt);
	write_file("prompts.txt", "prompt: greeting\nsay: Hello.\nsay: Or press 4 for help.\n"
				  "prompt: not-sure\nsay: To hear it again, Press star.\n"
				  "prompt: reset\nsay: Press {key:help}. Impress 4 people.\n");
	write_file("t.txt", "topic: a\nkey: 5\ntitle: A\nask: a\nsay: Then press 0, then 2.\n");
	struct diag d;
	struct script_set *set = load(&d, 0);
	const char *const want[] = {
		"prompts.txt:3: warning: prompt 'greeting' says 'press 4' with the key written in (write {key:ID}, e.g. {key:help}, so it stays true when keys change)",
		"prompts.txt:5: warning: prompt 'not-sure' says 'press star' with the key written in (write {key:ID}, e.g. {key:help}, so it stays true when keys change)",
		"t.txt:5: warning: topic 'a' says 'press 0' with the key written in (write {key:ID}, e.g. {key:help}, so it stays true when keys change)",
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		assert_diag_line(&d, tmpdir, want[i]);
	char line7[600];
	snprintf(line7, sizeof(line7), "%s/prompts.txt:7:", tmpdir);
	assert_false(diag_contains(&d, line7));
	assert_int_equal(d.n_errors, 0);
	script_set_destroy(set);
	diag_done(&d);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_menus_in_key_order),
		T(test_paths),
		T(test_fill_placeholders),
		T(test_topic_key_not_a_digit),
		T(test_topic_key_9_in_submenu),
		T(test_two_topics_on_one_key),
		T(test_unknown_menu),
		T(test_menu_without_topics),
		T(test_control_on_keyboard_key),
		T(test_help_not_everywhere),
		T(test_placeholder_naming_nothing),
		T(test_press_n_warns),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
