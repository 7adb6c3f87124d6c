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

/* British speakers: no R after a vowel, a schwa for the final "-er"; an R before a vowel stays. */
static void test_nonrhotic(void **state)
{
	char out[128];
	assert_int_equal(phonemes_espeak_to_cmu_nonrhotic("'aaft3", out, sizeof(out)), 0);
	assert_string_equal(out, "AA F T AH");
	assert_int_equal(phonemes_espeak_to_cmu("'aaft3", out, sizeof(out)), 0);
	assert_string_equal(out, "AA F T ER");
	assert_int_equal(phonemes_espeak_to_cmu_nonrhotic("dI2s'o@d3z", out, sizeof(out)), 0);
	assert_string_equal(out, "D IH S AO D AH Z");
	assert_int_equal(phonemes_espeak_to_cmu_nonrhotic("h'A@d", out, sizeof(out)), 0);
	assert_string_equal(out, "HH AA D");
	assert_int_equal(phonemes_espeak_to_cmu_nonrhotic("p'e@r@nts", out, sizeof(out)), 0);
	assert_string_equal(out, "P EH R AH N T S");
	assert_int_equal(phonemes_espeak_to_cmu_nonrhotic("w'3:k", out, sizeof(out)), 0);
	assert_string_equal(out, "W ER K");
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
	assert_int_equal(phonemes_pronounce_british(s, "disorder", out, sizeof(out)), 0);
	assert_string_equal(out, "D IH S AO D AH");
	synth_destroy(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mapping),
		cmocka_unit_test(test_nonrhotic),
		cmocka_unit_test(test_word_through_synthesiser),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
