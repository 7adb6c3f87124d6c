/* The script loader: the format, the overlay of --scripts DIR, and every error by its exact
 * path:line message. Fixtures: tests/data/scripts-min (a small valid set) and folders written here. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "log.h"
#include "keymap.h"
#include "script.h"

#define MIN_DIR TEST_SOURCE_DIR "/tests/data/scripts-min"

static char tmpdir[256];

static int setup(void **state)
{
	snprintf(tmpdir, sizeof(tmpdir), "%s/script-XXXXXX", TEST_BUILD_DIR);
	if (!mkdtemp(tmpdir))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

/* Write name in the temp folder; returns its path (static buffer per call site is enough). */
static const char *write_file(const char *name, const char *text)
{
	static char path[512];
	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

/* Load MIN_DIR plus the temp folder as --scripts; expect failure with `message` among the lines. */
static void expect_error(const char *file, const char *text, const char *message)
{
	write_file(file, text);
	struct diag d;
	diag_init(&d);
	struct script_set *set = (void *)1;
	assert_int_equal(script_set_load(MIN_DIR, tmpdir, &set, &d), -EINVAL);
	assert_null(set);
	char expected[1024];
	snprintf(expected, sizeof(expected), "%s/%s", tmpdir, message);
	bool found = false;
	for (size_t i = 0; i < d.n_lines; i++)
		found |= strcmp(d.lines[i], expected) == 0;
	if (!found) {
		for (size_t i = 0; i < d.n_lines; i++)
			print_error("got: %s\n", d.lines[i]);
		fail_msg("expected: %s", expected);
	}
	diag_done(&d);
}

static void test_min_set_loads(void **state)
{
	struct diag d;
	diag_init(&d);
	struct script_set *set;
	assert_int_equal(script_set_load(MIN_DIR, NULL, &set, &d), 0);
	assert_int_equal(d.n_errors, 0);
	assert_int_equal(set->n_topics, 3);
	const struct script_entry *hello = script_set_find_topic(set, "hello");
	assert_non_null(hello);
	assert_string_equal(hello->key, "1");
	assert_string_equal(hello->title, "Saying hello");
	assert_int_equal(hello->n_say, 1);
	assert_string_equal(hello->say[0], "Hello to you.");
	assert_int_equal(hello->n_see, 1);
	assert_string_equal(hello->see[0], "world");
	/* The main menu's 2 is the sub-menu 'places'; world is on its 1. */
	assert_int_equal(set->n_menus, 1);
	const struct script_entry *places = keymap_menu_find(set, NULL, "2");
	assert_non_null(places);
	assert_int_equal(places->kind, SCRIPT_MENU);
	assert_string_equal(places->id, "places");
	assert_string_equal(places->title, "Places");
	const struct script_entry *world = script_set_find_topic(set, "world");
	assert_string_equal(world->in_menu, "places");
	assert_ptr_equal(keymap_menu_find(set, places, "1"), world);
	assert_null(keymap_menu_find(set, NULL, "3"));
	/* Topics in the order the menus offer them: 1, then 2-1, then 9. */
	assert_string_equal(set->topics[0].id, "hello");
	assert_string_equal(set->topics[1].id, "world");
	assert_string_equal(set->topics[2].id, "helpers");
	assert_ptr_equal(keymap_everywhere_topic(set), &set->topics[2]);
	assert_int_equal((int)script_entry_count(set, hello), 4);
	assert_int_equal((int)script_entry_count(set, world), 5);
	assert_int_equal(world->n_more, 1);
	for (int c = 0; c < CONTROL_COUNT; c++) {
		const struct script_entry *e = script_set_control(set, (enum control)c);
		assert_non_null(e);
		assert_string_equal(e->id, control_names[c]);
	}
	assert_string_equal(script_set_control(set, CONTROL_REPEAT)->key, "*");
	/* After a blank line, "key: #" is a key, not a comment. */
	assert_string_equal(script_set_control(set, CONTROL_MORE)->key, "#");
	assert_int_equal(script_set_control(set, CONTROL_MORE)->n_asks, 1);
	/* A help-menu digit, with a full keyboard's extra key beside it. */
	assert_string_equal(script_set_control(set, CONTROL_SLOWER)->key, "2");
	assert_string_equal(script_set_control(set, CONTROL_SLOWER)->keyboard, "-");
	assert_string_equal(script_set_control(set, CONTROL_GOODBYE)->keyboard, "backspace");
	assert_null(script_set_control(set, CONTROL_LOUDER)->keyboard);
	assert_string_equal(script_set_control(set, CONTROL_START_AGAIN)->key, "1");
	assert_non_null(script_set_find_prompt(set, "greeting"));
	script_set_destroy(set);
	diag_done(&d);
}

static void test_overlay_topics_only_from_user(void **state)
{
	write_file("mine.txt", "topic: mine\nkey: 5\ntitle: Mine\nask: mine\nsay: Only mine.\n"
			       "prompt: greeting\nsay: Hello from the school.\n");
	struct diag d;
	diag_init(&d);
	struct script_set *set;
	assert_int_equal(script_set_load(MIN_DIR, tmpdir, &set, &d), 0);
	assert_int_equal(set->n_topics, 1);
	assert_string_equal(set->topics[0].id, "mine");
	const struct script_entry *g = script_set_find_prompt(set, "greeting");
	assert_string_equal(g->say[0], "Hello from the school.");
	/* Prompts the folder lacks still come from the built-in set. */
	assert_non_null(script_set_find_prompt(set, "help"));
	assert_non_null(script_set_find_list(set, "child"));
	script_set_destroy(set);
	diag_done(&d);
}

static void test_fill(void **state)
{
	struct script_entry t = { .title = (char *)"attunement", .key = (char *)"6" };
	char *s = keymap_fill(NULL, "For {title}, press {key}. {other}", &t, NULL);
	assert_string_equal(s, "For attunement, press 6. {other}");
	free(s);
}

static void test_bad_field(void **state)
{
	expect_error("t.txt", "topic: a\nkey: 3\ntitle: A\nsey: Hello.\nsay: Hi.\n",
		     "t.txt:4: error: unknown field 'sey' (expected topic, control, prompt, menu, list NAME, key, keyboard, in-menu, title, ask, say, more, see, clip or more-clip)");
}

static void test_field_in_wrong_block(void **state)
{
	expect_error("t.txt", "topic: a\nkey: 3\ntitle: A\nsay: Hi.\nprompt: extra\nsay: x\nask: hello\n",
		     "t.txt:7: error: 'ask:' is not used in a prompt (remove it)");
}

static void test_field_before_block(void **state)
{
	expect_error("t.txt", "# a comment\nsay: Hello.\ntopic: a\nkey: 3\ntitle: A\nsay: Hi.\n",
		     "t.txt:2: error: 'say:' comes before any block (start with 'topic: ID', 'menu: ID', 'control: NAME' or 'prompt: NAME')");
}

static void test_line_without_field(void **state)
{
	expect_error("t.txt", "topic: a\nkey: 3\ntitle: A\nsay: Hi.\nThis is a sentence\n",
		     "t.txt:5: error: line has no 'field:' (write it as 'say: ...'; a sentence goes on a say: line)");
}

static void test_unknown_see(void **state)
{
	expect_error("t.txt", "topic: a\nkey: 3\ntitle: A\nsay: Hi.\nsee: nowhere\n",
		     "t.txt:5: error: see: names unknown topic 'nowhere' (check the spelling of the topic id)");
}

static void test_duplicate_id(void **state)
{
	write_file("a.txt", "topic: a\nkey: 3\ntitle: A\nsay: Hi.\n");
	char message[512];
	snprintf(message, sizeof(message),
		 "b.txt:2: error: topic 'a' is already defined at %s/a.txt:1 (rename or remove one)", tmpdir);
	expect_error("b.txt", "\ntopic: a\nkey: 4\ntitle: A again\nsay: Hi.\n", message);
}

static void test_duplicate_key(void **state)
{
	write_file("a.txt", "topic: a\nkey: 3\ntitle: A\nsay: Hi.\n");
	char message[512];
	snprintf(message, sizeof(message),
		 "b.txt:2: error: key 3 of topic 'b' is already used by topic 'a' in the main menu (%s/a.txt:2)", tmpdir);
	expect_error("b.txt", "topic: b\nkey: 3\ntitle: B\nsay: Hi.\n", message);
}

static void test_key_out_of_range(void **state)
{
	char message[512];
	snprintf(message, sizeof(message),
		 "t.txt:2: error: key '0' of topic 'a' is not a digit from 1 to 9 (a phone keypad offers one digit a menu: put topics into menus, see scripts/README.md)");
	expect_error("t.txt", "topic: a\nkey: 0\ntitle: A\nsay: Hi.\n", message);
}

static void test_unbalanced_brackets(void **state)
{
	expect_error("t.txt", "topic: a\nkey: 3\ntitle: A\nask: what (is | does it mean\nsay: Hi.\n",
		     "t.txt:4: error: unbalanced brackets: '(' at column 6 is never closed (add ')')");
}

static void test_undefined_list(void **state)
{
	expect_error("t.txt", "topic: a\nkey: 3\ntitle: A\nask: is my <kid> ok\nsay: Hi.\n",
		     "t.txt:4: error: undefined list <kid> (define it with 'list kid: a | b')");
}

static void test_list_loop(void **state)
{
	expect_error("t.txt", "list x: a | <y>\nlist y: b | <x>\ntopic: a\nkey: 3\ntitle: A\nsay: Hi.\n",
		     "t.txt:1: error: list 'x' uses itself, directly or through other lists (remove the loop)");
}

static void test_empty_answer(void **state)
{
	expect_error("t.txt", "topic: a\nkey: 3\ntitle: A\nask: hello\n",
		     "t.txt:1: error: topic 'a' has an empty answer (add 'say:' lines)");
}

static void test_empty_value(void **state)
{
	expect_error("t.txt", "topic: a\nkey: 3\ntitle: A\nsay:\nsay: Hi.\n",
		     "t.txt:4: error: empty 'say:' (write something after the colon or remove the line)");
}

static void test_missing_title_and_key(void **state)
{
	expect_error("t.txt", "topic: a\nsay: Hi.\n",
		     "t.txt:1: error: topic 'a' has no key (add 'key: N', 1-9)");
	expect_error("t.txt", "topic: a\nsay: Hi.\n",
		     "t.txt:1: error: topic 'a' has no title (add 'title: ...', said in menus)");
}

static void test_second_title(void **state)
{
	expect_error("t.txt", "topic: a\nkey: 3\ntitle: A\ntitle: B\nsay: Hi.\n",
		     "t.txt:4: error: second 'title:' in topic 'a' (the first is on line 3)");
}

static void test_bad_id(void **state)
{
	expect_error("t.txt", "topic: Big Topic\nkey: 3\ntitle: A\nsay: Hi.\n",
		     "t.txt:1: error: bad topic id 'Big Topic' (use lower-case letters, digits and '-')");
}

static void test_unknown_control(void **state)
{
	expect_error("t.txt", "topic: a\nkey: 3\ntitle: A\nsay: Hi.\ncontrol: softer\nkey: 5\nask: softer\n",
		     "t.txt:5: error: unknown control 'softer' (controls are repeat, slower, faster, more, back, help, stop, yes, no, goodbye, louder, quieter, start-again, language)");
}

static void test_unreadable_file(void **state)
{
	const char *path = write_file("locked.txt", "topic: a\n");
	write_file("t.txt", "topic: a\nkey: 3\ntitle: A\nsay: Hi.\n");
	/* Root reads anything, so make it unreadable by making it a folder's worth of nonsense:
	 * a binary file is the portable unreadable case. */
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	fwrite("\0\1\2", 1, 3, f);
	fclose(f);
	struct diag d;
	diag_init(&d);
	struct script_set *set;
	assert_int_equal(script_set_load(MIN_DIR, tmpdir, &set, &d), -EINVAL);
	char expected[600]; /* path (up to 512) and the message */
	snprintf(expected, sizeof(expected), "%s: error: cannot read: it is not a text file", path);
	assert_true(diag_contains(&d, expected));
	diag_done(&d);
}

static void test_missing_folder(void **state)
{
	struct diag d;
	diag_init(&d);
	struct script_set *set;
	assert_int_equal(script_set_load(MIN_DIR, "/nonexistent/talkleaf", &set, &d), -ENOENT);
	assert_true(diag_contains(&d, "/nonexistent/talkleaf: error: cannot read the scripts folder: No such file or directory (check the path)"));
	diag_done(&d);
}

static void test_every_error_reported(void **state)
{
	write_file("t.txt", "topic: a\nkey: 3\ntitle: A\nask: (x\nsay: Hi.\nsee: b\n"
			    "topic: c\nkey: 3\ntitle: C\nsay: Hi.\n");
	struct diag d;
	diag_init(&d);
	struct script_set *set;
	assert_int_equal(script_set_load(MIN_DIR, tmpdir, &set, &d), -EINVAL);
	/* Bracket, unknown see:, duplicate key: all three, not just the first. */
	assert_int_equal(d.n_errors, 3);
	diag_done(&d);
}

static void test_comments_and_crlf(void **state)
{
	write_file("t.txt", "\xef\xbb\xbf# A comment\r\ntopic: a   # the id\r\nkey: 3\r\ntitle: A\r\n"
			    "ask: hello   # greeting\r\nsay: Hi there.\r\n");
	struct diag d;
	diag_init(&d);
	struct script_set *set;
	assert_int_equal(script_set_load(MIN_DIR, tmpdir, &set, &d), 0);
	assert_string_equal(set->topics[0].id, "a");
	assert_string_equal(set->topics[0].say[0], "Hi there.");
	assert_string_equal(set->topics[0].asks[0].text, "hello");
	script_set_destroy(set);
	diag_done(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_min_set_loads),
		cmocka_unit_test_setup_teardown(test_overlay_topics_only_from_user, setup, teardown),
		cmocka_unit_test(test_fill),
		cmocka_unit_test_setup_teardown(test_bad_field, setup, teardown),
		cmocka_unit_test_setup_teardown(test_field_in_wrong_block, setup, teardown),
		cmocka_unit_test_setup_teardown(test_field_before_block, setup, teardown),
		cmocka_unit_test_setup_teardown(test_line_without_field, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_see, setup, teardown),
		cmocka_unit_test_setup_teardown(test_duplicate_id, setup, teardown),
		cmocka_unit_test_setup_teardown(test_duplicate_key, setup, teardown),
		cmocka_unit_test_setup_teardown(test_key_out_of_range, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unbalanced_brackets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_undefined_list, setup, teardown),
		cmocka_unit_test_setup_teardown(test_list_loop, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_answer, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_value, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_title_and_key, setup, teardown),
		cmocka_unit_test_setup_teardown(test_second_title, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_id, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unknown_control, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unreadable_file, setup, teardown),
		cmocka_unit_test(test_missing_folder),
		cmocka_unit_test_setup_teardown(test_every_error_reported, setup, teardown),
		cmocka_unit_test_setup_teardown(test_comments_and_crlf, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
