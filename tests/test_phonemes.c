/* phonemes: eSpeak NG phonemes -> CMU phones, and a whole word through the synthesiser. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>

#include "phonemes.h"
#include "synthesiser.h"

static void test_mapping(void **state)
{
	char out[128];
	assert_int_equal(phonemes_espeak_to_cmu("k'amz", out, sizeof(out)), 0);
	assert_string_equal(out, "K AE M Z");
	assert_int_equal(phonemes_espeak_to_cmu("tS'3:tS", out, sizeof(out)), 0);
	assert_string_equal(out, "CH ER CH");
	assert_int_equal(phonemes_espeak_to_cmu("a#tj'u:nm@nt", out, sizeof(out)), 0);
	assert_string_equal(out, "AH T Y UW N M AH N T");
	assert_int_equal(phonemes_espeak_to_cmu("T'O:t", out, sizeof(out)), 0);
	assert_string_equal(out, "TH AO T");
	assert_int_equal(phonemes_espeak_to_cmu("'_:,", out, sizeof(out)), -EINVAL);
	assert_int_equal(phonemes_espeak_to_cmu("k'amz", out, 4), -ENOSPC);
}

static void test_word_through_synthesiser(void **state)
{
	struct synth_config sc;
	synth_config_defaults(&sc);
	struct synth *s;
	char err[256], out[128];
	assert_int_equal(synth_create(&sc, NULL, &s, err, sizeof(err)), 0);
	assert_int_equal(phonemes_pronounce(s, "judge", out, sizeof(out)), 0);
	assert_string_equal(out, "JH AH JH");
	synth_destroy(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mapping),
		cmocka_unit_test(test_word_through_synthesiser),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
