/* intent: words -> topic / control / nothing, over a small script set written by the test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "intent.h"
#include "log.h"
#include "script.h"
#include "script_files.h"

static char dir[512];

static int setup(void **state)
{
	snprintf(dir, sizeof(dir), "%s/test-intent-scripts-%d", TEST_BUILD_DIR, (int)getpid());
	mkdir(dir, 0755);
	script_file_write(dir, "camhs.txt",
			  "topic: camhs\nkey: 1\ntitle: CAMHS\n"
			  "ask: what (is | are) camhs\nask: tell me about camhs\n"
			  "say: CAMHS helps children.\n");
	script_file_write(dir, "dance.txt",
			  "topic: the-dance\nkey: 2\ntitle: The dance\n"
			  "ask: what is the dance\nask: why (is it | do you say) like a dance\n"
			  "say: It is like a dance.\n");
	script_file_write(dir, "fault.txt",
			  "topic: not-your-fault\nkey: 3\ntitle: Your fault\n"
			  "ask: is it my fault\nask: am i a bad <parent>\n"
			  "say: It is not your fault.\n");
	script_file_write(dir, "lists.txt", "list parent: parent | mum | dad\n");
	char controls[4096] = "";
	/* The phone keys of docs/keypad.md; each control asked by its name ("start again"). */
	const char *keys[CONTROL_COUNT] = { "*", "2", "3", "#", "6", "0", "7", "1", "2", "8", "4",
					    "5", "1", "0" };
	for (int c = 0; c < CONTROL_COUNT; c++) {
		char block[256], ask[32];
		snprintf(ask, sizeof(ask), "%s", control_names[c]);
		for (char *dash = strchr(ask, '-'); dash; dash = strchr(dash, '-'))
			*dash = ' ';
		snprintf(block, sizeof(block), "control: %s\nkey: %s\ntitle: %s\nask: %s%s\n\n",
			 control_names[c], keys[c], control_names[c], ask,
			 c == CONTROL_REPEAT ? "\nask: say that again" : "");
		strcat(controls, block);
	}
	script_file_write(dir, "controls.txt", controls);
	char prompts[4096] = "";
	for (const char *const *p = script_required_prompts; *p; p++) {
		char block[128];
		snprintf(block, sizeof(block), "prompt: %s\nsay: Something.\n\n", *p);
		strcat(prompts, block);
	}
	script_file_write(dir, "prompts.txt", prompts);

	struct diag d;
	diag_init(&d);
	struct script_set *set = NULL;
	int r = script_set_load(dir, NULL, &set, &d);
	for (size_t i = 0; r < 0 && i < d.n_lines; i++)
		fprintf(stderr, "%s\n", d.lines[i]);
	diag_done(&d);
	assert_int_equal(r, 0);
	struct intent_model *m = NULL;
	char err[256];
	assert_int_equal(intent_model_create(set, &m, err, sizeof(err)), 0);
	void **pair = xcalloc(2, sizeof(void *));
	pair[0] = set;
	pair[1] = m;
	*state = pair;
	return 0;
}

static int teardown(void **state)
{
	void **pair = *state;
	intent_model_destroy(pair[1]);
	script_set_destroy(pair[0]);
	free(pair);
	const char *names[] = { "camhs.txt", "dance.txt", "fault.txt", "lists.txt", "controls.txt",
				"prompts.txt" };
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++) {
		char path[600];
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
	return 0;
}

static const struct intent_model *model(void **state)
{
	return ((void **)*state)[1];
}

static void test_exact_phrasing(void **state)
{
	struct intent_result r;
	intent_classify(model(state), "what is camhs", INTENT_EXPECT_ANY, &r);
	assert_int_equal(r.kind, INTENT_TOPIC);
	assert_string_equal(r.topic_id, "camhs");
	assert_true(r.score > 0.99);
	assert_true(r.margin > 0.3);

	intent_classify(model(state), "am i a bad mum", INTENT_EXPECT_ANY, &r);
	assert_int_equal(r.kind, INTENT_TOPIC);
	assert_string_equal(r.topic_id, "not-your-fault");
	assert_true(r.score > 0.99);
}

static void test_paraphrase_with_unknown_words(void **state)
{
	struct intent_result r;
	intent_classify(model(state), "the school said we should go to camhs what is that",
			INTENT_EXPECT_ANY, &r);
	assert_int_equal(r.kind, INTENT_TOPIC);
	assert_string_equal(r.topic_id, "camhs");
	assert_true(r.score < 0.99);
	assert_true(r.score > 0.4);
}

static void test_unrelated_words_score_low(void **state)
{
	struct intent_result r, known;
	intent_classify(model(state), "play some music tomorrow morning", INTENT_EXPECT_ANY, &r);
	intent_classify(model(state), "what is the dance", INTENT_EXPECT_ANY, &known);
	assert_true(r.kind == INTENT_NONE || r.score < 0.3);
	assert_true(known.score > r.score + 0.5);
}

static void test_controls(void **state)
{
	struct intent_result r;
	intent_classify(model(state), "say that again", INTENT_EXPECT_ANY, &r);
	assert_int_equal(r.kind, INTENT_CONTROL);
	assert_int_equal(r.control, CONTROL_REPEAT);
	assert_null(r.topic_id);
	char buf[64];
	assert_string_equal(intent_result_name(&r, buf, sizeof(buf)), "control:repeat");

	intent_classify(model(state), "yes", INTENT_EXPECT_ANY, &r);
	assert_int_equal(r.kind, INTENT_CONTROL);
	assert_int_equal(r.control, CONTROL_YES);
}

static void test_confirm_prefers_yes_no(void **state)
{
	/* "yes is it": a yes heard with words of a topic question. While confirming, yes wins;
	 * otherwise the topic question is as likely. */
	struct intent_result any, confirm;
	intent_classify(model(state), "yes is it", INTENT_EXPECT_ANY, &any);
	intent_classify(model(state), "yes is it", INTENT_EXPECT_CONFIRM, &confirm);
	assert_int_equal(confirm.kind, INTENT_CONTROL);
	assert_int_equal(confirm.control, CONTROL_YES);
	assert_true(confirm.margin > any.margin || any.kind == INTENT_TOPIC);
}

static void test_ambiguous_has_small_margin(void **state)
{
	struct intent_result clear, ambiguous;
	intent_classify(model(state), "what is the dance", INTENT_EXPECT_ANY, &clear);
	intent_classify(model(state), "what is", INTENT_EXPECT_ANY, &ambiguous);
	assert_true(ambiguous.margin < clear.margin);
	assert_non_null(ambiguous.second_id);
}

static void test_empty(void **state)
{
	struct intent_result r;
	intent_classify(model(state), "", INTENT_EXPECT_ANY, &r);
	assert_int_equal(r.kind, INTENT_NONE);
	assert_true(r.score == 0);
	intent_classify(model(state), NULL, INTENT_EXPECT_ANY, &r);
	assert_int_equal(r.kind, INTENT_NONE);
	char buf[16];
	assert_null(intent_result_name(&r, buf, sizeof(buf)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exact_phrasing),
		cmocka_unit_test(test_paraphrase_with_unknown_words),
		cmocka_unit_test(test_unrelated_words_score_low),
		cmocka_unit_test(test_controls),
		cmocka_unit_test(test_confirm_prefers_yes_no),
		cmocka_unit_test(test_ambiguous_has_small_margin),
		cmocka_unit_test(test_empty),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
