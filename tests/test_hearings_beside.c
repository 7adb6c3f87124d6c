/* A kitchen's two hearings of an utterance (denoised, and as it was) decoded at once on two
 * decoders give what they give one after the other on one (recogniser_config.one_decoder): real
 * coffee orders of the tuning half under kitchen noise, over the drinks content. In the tsan
 * suite too: the second hearing's thread runs beside the first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "lexicon.h"
#include "log.h"
#include "noise.h"
#include "paths.h"
#include "real_voices.h"
#include "recogniser.h"
#include "script.h"

static struct script_set *set;
static struct lexicon *lex;

static int setup(void **state)
{
	(void)state;
	struct diag d;
	diag_init(&d);
	assert_int_equal(script_set_load(TEST_SOURCE_DIR "/scripts",
					 TEST_SOURCE_DIR "/tests/data/scripts-drinks", &set, &d),
			 0);
	assert_int_equal(lexicon_load(TEST_SOURCE_DIR "/lexicon", NULL, &lex, &d), 0);
	diag_done(&d);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	lexicon_destroy(lex);
	script_set_destroy(set);
	return 0;
}

static struct recogniser *recogniser_made(bool one_decoder)
{
	struct recogniser_config tuning;
	recogniser_config_defaults(&tuning);
	tuning.one_decoder = one_decoder;
	const struct recogniser_setup_config rs = {
		.acoustic_model = paths_acoustic_model(),
		.dictionary = paths_dictionary(),
		.adaptation = paths_adaptation(),
		.tuning = &tuning,
	};
	struct recogniser *rec;
	char err[512];
	int r = recogniser_setup(&rs, set, lex, &rec, NULL, err, sizeof(err));
	if (r < 0)
		fail_msg("%s", err);
	return rec;
}

static void test_side_by_side_is_one_after_the_other(void **state)
{
	(void)state;
	struct recogniser *beside = recogniser_made(false), *after = recogniser_made(true);
	assert_false(recogniser_hears_beside(after));
	/* With one processor the second decoder is not made: nothing to compare then. */
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2) {
		assert_false(recogniser_hears_beside(beside));
		skip();
	}
	assert_true(recogniser_hears_beside(beside));

	char err[512];
	struct real_voice *orders;
	int n_orders = real_voices_load(TEST_SOURCE_DIR "/tests/data/real-speech/coffee/tune.txt",
					TEST_SOURCE_DIR "/tests/data/real-speech/coffee", &orders,
					err, sizeof(err));
	if (n_orders < 0)
		fail_msg("%s", err);
	size_t n_noise = 16000 * 20;
	uint32_t seed = 12345;
	float *pink = noise_pink_create(n_noise, &seed),
	      *kitchen = noise_kitchen_create(pink, n_noise, NOISE_KITCHEN_SEED);
	const double snr[] = { 12, 6 };
	/* Heard denoised (answered, confirmed), and heard better as it was (answered at 12 and
	 * 6 dB, confirmed). */
	static const char *const heard[] = { "3f94e11d", "400b19f7", "4dbe3c42", "85a537ae",
					     "5ae5ab1a" };
	size_t as_is_counted = 0, compared = 0;
	for (int i = 0; i < n_orders; i++) {
		bool listed = false;
		for (size_t k = 0; k < sizeof(heard) / sizeof(*heard); k++)
			listed |= !strncmp(orders[i].file, heard[k], strlen(heard[k]));
		if (!listed)
			continue;
		compared++;
		int16_t *mixed = xmalloc(orders[i].n * sizeof(*mixed));
		noise_mix(orders[i].pcm, orders[i].n, kitchen, n_noise, snr[i % 2],
			  (size_t)i * 104729u % n_noise, mixed);
		struct recognition a, b;
		assert_int_equal(recogniser_decode(beside, mixed, orders[i].n, &a, err, sizeof(err)),
				 0);
		assert_int_equal(recogniser_decode(after, mixed, orders[i].n, &b, err, sizeof(err)),
				 0);
		char name[128];
		print_message("%s at %.0f dB: \"%s\" %s %s, %s\n", orders[i].file, snr[i % 2],
			      a.heard, recognition_decision_name(a.decision),
			      recognition_intent_name(&a, name, sizeof(name)),
			      a.denoised ? "denoised" : "as it was");
		assert_string_equal(a.heard, b.heard);
		assert_string_equal(a.grammar_heard, b.grammar_heard);
		assert_string_equal(a.neutral_heard, b.neutral_heard);
		assert_int_equal(a.decision, b.decision);
		assert_int_equal(a.kind, b.kind);
		assert_ptr_equal(a.topic_id, b.topic_id); /* both into the same set */
		assert_ptr_equal(a.second_topic_id, b.second_topic_id);
		assert_int_equal(a.control, b.control);
		assert_true(a.confidence == b.confidence && a.posterior == b.posterior);
		assert_int_equal(a.denoised, b.denoised);
		as_is_counted += !a.denoised;
		free(mixed);
	}
	assert_int_equal(compared, sizeof(heard) / sizeof(*heard));
	/* The second hearing's result was used, not only made. */
	assert_true(as_is_counted >= 2);
	free(pink);
	free(kitchen);
	real_voices_free(orders, (size_t)n_orders);
	recogniser_destroy(beside);
	recogniser_destroy(after);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_side_by_side_is_one_after_the_other),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
