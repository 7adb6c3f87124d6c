/* A kitchen's two hearings of an utterance (denoised, and as it was) decoded at once on two
 * decoders give what they give one after the other on one (recogniser_config.one_decoder): real
 * coffee orders of the tuning half under kitchen noise, over the drinks content; and so does a
 * recogniser whose second decoder could not be made. In the tsan suite too: the second
 * hearing's thread runs beside the first. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audio_helpers.h"
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

static struct recogniser *recogniser_made_with(bool one_decoder, const char *acoustic_model)
{
	struct recogniser_config tuning;
	recogniser_config_defaults(&tuning);
	tuning.one_decoder = one_decoder;
	const struct recogniser_setup_config rs = {
		.acoustic_model = acoustic_model,
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

static struct recogniser *recogniser_made(bool one_decoder)
{
	return recogniser_made_with(one_decoder, paths_acoustic_model());
}

/* Both recognitions the same in every field a decision depends on. */
static void assert_same_recognition(const struct recognition *a, const struct recognition *b)
{
	assert_string_equal(a->heard, b->heard);
	assert_string_equal(a->grammar_heard, b->grammar_heard);
	assert_string_equal(a->neutral_heard, b->neutral_heard);
	assert_int_equal(a->decision, b->decision);
	assert_int_equal(a->kind, b->kind);
	assert_ptr_equal(a->topic_id, b->topic_id); /* both into the same set */
	assert_ptr_equal(a->second_topic_id, b->second_topic_id);
	assert_int_equal(a->control, b->control);
	assert_true(a->confidence == b->confidence && a->posterior == b->posterior);
	assert_int_equal(a->denoised, b->denoised);
}

/* The tuning half's orders in the benchmarks' kitchen (20 s of it). */
struct kitchen_orders {
	struct real_voice *orders;
	int n;
	float *pink, *kitchen;
	size_t n_noise;
};

static void kitchen_orders_load(struct kitchen_orders *k)
{
	char err[512];
	k->n = real_voices_load(TEST_SOURCE_DIR "/tests/data/real-speech/coffee/tune.txt",
				TEST_SOURCE_DIR "/tests/data/real-speech/coffee", &k->orders, err,
				sizeof(err));
	if (k->n < 0)
		fail_msg("%s", err);
	k->n_noise = 16000 * 20;
	uint32_t seed = 12345;
	k->pink = noise_pink_create(k->n_noise, &seed);
	k->kitchen = noise_kitchen_create(k->pink, k->n_noise, NOISE_KITCHEN_SEED);
}

static void kitchen_orders_done(struct kitchen_orders *k)
{
	free(k->pink);
	free(k->kitchen);
	real_voices_free(k->orders, (size_t)k->n);
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
	struct kitchen_orders k;
	kitchen_orders_load(&k);
	struct real_voice *orders = k.orders;
	int n_orders = k.n;
	size_t n_noise = k.n_noise;
	float *kitchen = k.kitchen;
	const double snr[] = { 12, 6 };
	/* Heard denoised (answered, confirmed), and heard better as it was (answered at 12 and
	 * 6 dB, confirmed). */
	static const char *const heard[] = { "3f94e11d", "400b19f7", "4dbe3c42", "85a537ae",
					     "5ae5ab1a" };
	size_t as_is_counted = 0, compared = 0;
	for (int i = 0; i < n_orders; i++) {
		bool listed = false;
		for (size_t j = 0; j < sizeof(heard) / sizeof(*heard); j++)
			listed |= !strncmp(orders[i].file, heard[j], strlen(heard[j]));
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
		assert_same_recognition(&a, &b);
		as_is_counted += !a.denoised;
		free(mixed);
	}
	assert_int_equal(compared, sizeof(heard) / sizeof(*heard));
	/* The second hearing's result was used, not only made. */
	assert_true(as_is_counted >= 2);
	kitchen_orders_done(&k);
	recogniser_destroy(beside);
	recogniser_destroy(after);
}

/* A second decoder that cannot be made (here a copy of the model whose settings went bad after
 * the first decoder read them) is a warning: the utterance is heard one after the other, as with
 * one decoder, the second hearing's result used, and so is the next one. */
static void test_second_decoder_not_made(void **state)
{
	(void)state;
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2)
		skip(); /* no second decoder is tried */
	char model[512];
	assert_int_equal(tmpdir_make(model, sizeof(model), TEST_BUILD_DIR, "hearings-beside-model"), 0);
	char *cmd = xasprintf("cp -r '%s'/. '%s'", paths_acoustic_model(), model);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	struct recogniser *beside = recogniser_made_with(false, model);
	struct recogniser *after = recogniser_made(true);
	assert_true(recogniser_hears_beside(beside));
	/* Settings the front end cannot take: read by a decoder made now, not by the one made. */
	char *params = xasprintf("%s/feat.params", model);
	FILE *f = fopen(params, "w");
	assert_non_null(f);
	fputs("-no-such-setting 1\n", f);
	fclose(f);
	free(params);

	struct kitchen_orders k;
	kitchen_orders_load(&k);
	size_t heard = 0, as_is_counted = 0;
	char err[512];
	/* Orders heard as they were too (answered outright only after the second hearing). */
	static const char *const listed[] = { "400b19f7", "4dbe3c42" };
	for (int i = 0; i < k.n; i++) {
		bool wanted = false;
		for (size_t j = 0; j < sizeof(listed) / sizeof(*listed); j++)
			wanted |= !strncmp(k.orders[i].file, listed[j], strlen(listed[j]));
		if (!wanted)
			continue;
		size_t n = k.orders[i].n;
		int16_t *mixed = xmalloc(n * sizeof(*mixed));
		noise_mix(k.orders[i].pcm, n, k.kitchen, k.n_noise, 12,
			  (size_t)i * 104729u % k.n_noise, mixed);
		struct recognition a, b;
		assert_int_equal(recogniser_decode(beside, mixed, n, &a, err, sizeof(err)), 0);
		assert_int_equal(recogniser_decode(after, mixed, n, &b, err, sizeof(err)), 0);
		print_message("%s: \"%s\" %s\n", k.orders[i].file, a.heard,
			      a.denoised ? "denoised" : "as it was");
		assert_same_recognition(&a, &b);
		assert_false(recogniser_hears_beside(beside));
		as_is_counted += !a.denoised;
		heard++;
		free(mixed);
	}
	assert_int_equal(heard, sizeof(listed) / sizeof(*listed));
	assert_true(as_is_counted >= 1);
	kitchen_orders_done(&k);
	recogniser_destroy(beside);
	recogniser_destroy(after);
	assert_int_equal(tmpdir_remove(model), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_side_by_side_is_one_after_the_other),
		cmocka_unit_test(test_second_decoder_not_made),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
