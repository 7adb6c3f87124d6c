/* The synthesiser: eSpeak NG into memory, rate, pauses, lexicon, escaping. eSpeak NG really
 * speaks here (no mock): the assertions are on sample counts, levels and phonemes. Recorded clips
 * and `talkleaf say`: test_say.c. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <cmocka.h>

#include "audio_helpers.h"
#include "diag.h"
#include "lexicon.h"
#include "synthesiser.h"

#define TMP_DIR TEST_BUILD_DIR "/synthesiser-tmp"

static const char *const three[] = {
	"Attuned means noticing what your baby feels.",
	"There are no perfect parents.",
	"It is never too late to learn.",
};

static struct synth *make(const struct lexicon *lex)
{
	struct synth_config c;
	struct synth *s = NULL;
	char err[512];
	synth_config_defaults(&c);
	int r = synth_create(&c, lex, &s, err, sizeof(err));
	if (r != 0)
		fail_msg("synth_create: %s", err);
	return s;
}

static size_t speak_n(struct synth *s, const char *text)
{
	struct pcm p = { 0 };
	char err[512];
	int r = synth_speak(s, text, &p, err, sizeof(err));
	if (r != 0)
		fail_msg("synth_speak(%s): %s", text, err);
	size_t n = p.n;
	pcm_done(&p);
	return n;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* A lexicon in its own folder, loaded by the real loader. */
static struct lexicon *make_lexicon(void)
{
	mkdir(TMP_DIR, 0755);
	mkdir(TMP_DIR "/lexicon", 0755);
	write_file(TMP_DIR "/lexicon/words.txt",
		   "word: leaflet\n"
		   "speak: fl'aUw3\n"
		   "\n"
		   "word: nappies\n"
		   "sounds-like: diapers\n"
		   "\n"
		   "# a word for the recogniser only: the synthesiser leaves it alone\n"
		   "word: camhs\n"
		   "hear: K AE M Z\n");
	struct diag d;
	struct lexicon *lex = NULL;
	diag_init(&d);
	int r = lexicon_load(TMP_DIR "/lexicon", NULL, &lex, &d);
	for (size_t i = 0; i < d.n_lines; i++)
		print_message("%s\n", d.lines[i]);
	assert_int_equal(r, 0);
	diag_done(&d);
	return lex;
}

static void test_speech_is_not_silent(void **state)
{
	struct synth *s = make(NULL);
	struct pcm p = { 0 };
	char err[512];
	assert_int_equal(synth_sample_rate(s), SYNTH_SAMPLE_RATE_HZ);
	assert_int_equal(synth_speak(s, three[0], &p, err, sizeof(err)), 0);
	assert_int_equal(p.rate_hz, SYNTH_SAMPLE_RATE_HZ);
	/* about 7 words at 140 a minute: 2-5 s */
	assert_true(pcm_seconds(&p) > 1.5 && pcm_seconds(&p) < 5.0);
	assert_true(samples_rms(p.samples, p.n) > 500);
	int peak = 0;
	for (size_t i = 0; i < p.n; i++)
		peak = abs(p.samples[i]) > peak ? abs(p.samples[i]) : peak;
	assert_true(peak > 4000);
	/* appending: the second sentence goes after the first */
	size_t first = p.n;
	assert_int_equal(synth_speak(s, three[1], &p, err, sizeof(err)), 0);
	assert_true(p.n > first);
	/* nothing to say is not an error and adds nothing */
	size_t before = p.n;
	assert_int_equal(synth_speak(s, "  ", &p, err, sizeof(err)), 0);
	assert_int_equal(p.n, before);
	/* appending at another rate is refused */
	p.rate_hz = AUDIO_RATE_HZ;
	assert_int_equal(synth_speak(s, "hello", &p, err, sizeof(err)), -EINVAL);
	pcm_done(&p);
	synth_destroy(s);
}

static double seconds_at(struct synth *s, int wpm)
{
	char err[512];
	synth_set_rate(s, wpm);
	double secs = synth_measure_seconds(s, (char *const *)three, 3, err, sizeof(err));
	assert_true(secs > 0);
	return secs;
}

static void test_duration_scales_with_rate(void **state)
{
	struct synth *s = make(NULL);
	double slow = seconds_at(s, SYNTH_RATE_MIN);
	double normal = seconds_at(s, SYNTH_RATE_DEFAULT);
	double fast = seconds_at(s, SYNTH_RATE_MAX);
	print_message("3 sentences: %.2f s at %d, %.2f s at %d, %.2f s at %d wpm\n", slow,
		      SYNTH_RATE_MIN, normal, SYNTH_RATE_DEFAULT, fast, SYNTH_RATE_MAX);
	assert_true(slow > normal * 1.2);
	assert_true(normal > fast * 1.15);
	/* duration is roughly inversely proportional to the rate (within 20%) */
	double expected = (double)SYNTH_RATE_MAX / SYNTH_RATE_MIN;
	assert_true(slow / fast > expected * 0.8 && slow / fast < expected * 1.2);
	synth_destroy(s);
}

static size_t count_words(const char *s)
{
	size_t n = 0;
	bool in = false;
	for (; *s; s++) {
		bool w = *s != ' ';
		n += w && !in;
		in = w;
	}
	return n;
}

/* The rate is in words a minute as measured: check the calibration on leaflet-like text. */
static void test_rate_is_measured_words_a_minute(void **state)
{
	static const char *const text[] = {
		"Attachment difficulties is a phrase schools often use.",
		"Usually it means a child with an insecure attachment style.",
		"About four in ten people have an insecure attachment style.",
		"Many of them are happy and do well in life.",
		"Feeding and changing nappies matter too.",
		"Some babies are easy going from the start, and others are hard to settle.",
		"That very first relationship becomes a plan the child uses with other people.",
		"The good news is that it's never too late to learn.",
	};
	struct synth *s = make(NULL);
	size_t words = 0, samples = 0;
	for (size_t i = 0; i < sizeof(text) / sizeof(text[0]); i++) {
		words += count_words(text[i]);
		samples += speak_n(s, text[i]);
	}
	double wpm = (double)words * 60.0 / ((double)samples / synth_sample_rate(s));
	print_message("measured %.1f words a minute at rate %d\n", wpm, synth_rate(s));
	assert_true(wpm > SYNTH_RATE_DEFAULT * 0.9 && wpm < SYNTH_RATE_DEFAULT * 1.1);
	synth_destroy(s);
}

static void test_pause_between_sentences(void **state)
{
	struct synth *s = make(NULL);
	struct pcm p = { 0 };
	char err[512];
	size_t a = speak_n(s, three[0]), b = speak_n(s, three[1]);
	assert_int_equal(synth_speak_sentences(s, (char *const *)three, 2, &p, err, sizeof(err)),
			 0);
	struct synth_config c;
	synth_config_defaults(&c);
	size_t pause = (size_t)(c.sentence_pause_ms * (double)SYNTH_SAMPLE_RATE_HZ / 1000.0);
	assert_int_equal(p.n, a + b + pause);
	/* the pause is silence, right after the first sentence */
	for (size_t i = a; i < a + pause; i++)
		assert_int_equal(p.samples[i], 0);
	/* synth_measure_seconds counts the same */
	double secs = synth_measure_seconds(s, (char *const *)three, 2, err, sizeof(err));
	assert_true(fabs(secs - pcm_seconds(&p)) < 1e-9);
	/* a slower rate lengthens the pause too */
	assert_int_equal(synth_set_rate(s, SYNTH_RATE_MIN), 0);
	pcm_done(&p);
	size_t a2 = speak_n(s, three[0]), b2 = speak_n(s, three[1]);
	assert_int_equal(synth_speak_sentences(s, (char *const *)three, 2, &p, err, sizeof(err)),
			 0);
	assert_true(p.n - a2 - b2 > pause);
	pcm_done(&p);
	synth_destroy(s);
}

static void test_rate_steps_and_bounds(void **state)
{
	struct synth *s = make(NULL);
	assert_int_equal(synth_rate(s), SYNTH_RATE_DEFAULT);
	int steps = 0;
	while (synth_step_rate(s, -1) == 0)
		steps++;
	assert_int_equal(synth_rate(s), SYNTH_RATE_MIN);
	assert_int_equal(synth_step_rate(s, -1), -ERANGE);
	assert_int_equal(synth_rate(s), SYNTH_RATE_MIN);
	assert_int_equal(steps, (SYNTH_RATE_DEFAULT - SYNTH_RATE_MIN) / SYNTH_RATE_STEP);
	while (synth_step_rate(s, +1) == 0)
		;
	assert_int_equal(synth_rate(s), SYNTH_RATE_MAX);
	assert_int_equal(synth_set_rate(s, 1000), -ERANGE);
	assert_int_equal(synth_rate(s), SYNTH_RATE_MAX);
	assert_int_equal(synth_set_rate(s, 10), -ERANGE);
	assert_int_equal(synth_rate(s), SYNTH_RATE_MIN);
	assert_int_equal(synth_set_rate(s, SYNTH_RATE_DEFAULT), 0);
	synth_destroy(s);
}

static void test_one_synthesiser_at_a_time(void **state)
{
	struct synth *s = make(NULL), *t = NULL;
	struct synth_config c;
	char err[512];
	synth_config_defaults(&c);
	assert_int_equal(synth_create(&c, NULL, &t, err, sizeof(err)), -EBUSY);
	assert_null(t);
	assert_non_null(strstr(err, "already in use"));
	synth_destroy(s);
	/* once the owner is gone, a new one works (and speaks) */
	s = make(NULL);
	assert_true(speak_n(s, "hello") > 1000);
	synth_destroy(s);
	synth_destroy(NULL);
}

static void test_missing_voice(void **state)
{
	struct synth_config c;
	struct synth *s = NULL;
	char err[512];
	synth_config_defaults(&c);
	c.voice = "no-such-voice";
	assert_int_equal(synth_create(&c, NULL, &s, err, sizeof(err)), -ENOENT);
	assert_null(s);
	print_message("%s\n", err);
	assert_non_null(strstr(err, "no-such-voice"));
	assert_non_null(strstr(err, "does not exist"));
	/* and a good one works afterwards */
	s = make(NULL);
	synth_destroy(s);
}

/* One engine speaks every language of a session: switching the voice changes the sounds, and a
 * voice that does not exist leaves the old one speaking. */
static void test_voice_switch(void **state)
{
	struct synth *s = make(NULL);
	char en[256], pl[256], again[256], err[512];
	const char *word = "dziecko";
	assert_int_equal(synth_text_to_phonemes(s, word, en, sizeof(en)), 0);
	assert_int_equal(synth_set_voice(s, "pl", "pl", NULL, err, sizeof(err)), 0);
	assert_string_equal(synth_voice(s), "pl");
	assert_int_equal(synth_text_to_phonemes(s, word, pl, sizeof(pl)), 0);
	print_message("en: %s / pl: %s\n", en, pl);
	assert_string_not_equal(en, pl);
	assert_int_equal(synth_set_voice(s, "no-such-voice", "xx", NULL, err, sizeof(err)),
			 -ENOENT);
	assert_non_null(strstr(err, "no-such-voice"));
	assert_string_equal(synth_voice(s), "pl");
	assert_int_equal(synth_text_to_phonemes(s, word, again, sizeof(again)), 0);
	assert_string_equal(again, pl);
	synth_destroy(s);
}

static void test_missing_data_dir(void **state)
{
	struct synth_config c;
	struct synth *s = NULL;
	char err[512];
	synth_config_defaults(&c);
	c.data_dir = "/nonexistent/espeak-ng-data";
	assert_int_equal(synth_create(&c, NULL, &s, err, sizeof(err)), -ENOENT);
	assert_null(s);
	print_message("%s\n", err);
	assert_string_equal(err, "eSpeak NG data folder /nonexistent/espeak-ng-data not found "
				 "(install espeak-ng-data, or give the folder that holds phontab)");
	/* a folder that exists but holds no eSpeak NG data */
	mkdir(TMP_DIR, 0755);
	c.data_dir = TMP_DIR;
	assert_int_equal(synth_create(&c, NULL, &s, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, TMP_DIR " holds no eSpeak NG data (phontab is missing"));
	/* bad settings */
	synth_config_defaults(&c);
	c.pitch = 101;
	assert_int_equal(synth_create(&c, NULL, &s, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "pitch 101"));
}

static void test_lexicon_changes_phonemes(void **state)
{
	char plain[1024], with[1024], diapers[256], plural[256], plural_lex[256];
	const char *text = "Read the leaflet about nappies, LEAFLET and Nappies.";
	struct synth *s = make(NULL);
	assert_int_equal(synth_text_to_phonemes(s, text, plain, sizeof(plain)), 0);
	assert_int_equal(synth_text_to_phonemes(s, "diapers", diapers, sizeof(diapers)), 0);
	assert_int_equal(synth_text_to_phonemes(s, "leaflets", plural, sizeof(plural)), 0);
	size_t n_plain = speak_n(s, "leaflet");
	synth_destroy(s);

	struct lexicon *lex = make_lexicon();
	s = make(lex);
	assert_int_equal(synth_text_to_phonemes(s, text, with, sizeof(with)), 0);
	assert_int_equal(synth_text_to_phonemes(s, "leaflets", plural_lex, sizeof(plural_lex)), 0);
	print_message("without: %s\nwith:    %s\n", plain, with);
	assert_string_not_equal(plain, with);
	assert_non_null(strstr(plain, "l'i:fl"));
	assert_null(strstr(plain, "fl'aUw3"));
	/* speak: phonemes replace the word, whatever its case */
	assert_null(strstr(with, "l'i:fl"));
	const char *first = strstr(with, "fl'aUw3");
	assert_non_null(first);
	assert_non_null(strstr(first + 1, "fl'aUw3"));
	/* sounds-like: the respelling is said instead */
	const char *d = diapers;
	while (*d == '_' || *d == ':' || *d == ' ')
		d++;
	assert_non_null(strstr(with, d));
	assert_null(strstr(with, "n'apIz"));
	/* whole words only: "leaflets" is not "leaflet" */
	assert_string_equal(plural, plural_lex);
	/* the audio follows the phonemes */
	assert_true(speak_n(s, "leaflet") != n_plain);
	/* a word with only a recogniser pronunciation is said by eSpeak NG as usual */
	char *prepared = synth_prepare_text(s, "CAMHS leaflet");
	assert_string_equal(prepared, "CAMHS  [[fl'aUw3]] ");
	free(prepared);
	synth_destroy(s);
	lexicon_destroy(lex);
}

static void test_markup_is_spoken_not_interpreted(void **state)
{
	/* with a lexicon that inserts phonemes, so eSpeak NG's phoneme input is switched on */
	struct lexicon *lex = make_lexicon();
	struct synth *s = make(lex);
	char ph[1024];

	char *prepared = synth_prepare_text(s, "[[a]] <speak> &amp; x\x01y ]]leaflet[[");
	/* the script's brackets and control characters are gone; only the lexicon's [[ ]] stay */
	assert_string_equal(prepared, "a <speak> &amp; x y  [[fl'aUw3]] ");
	free(prepared);

	/* "[[a]]" is the letter a, not the phoneme a */
	assert_int_equal(speak_n(s, "leaflet [[a]]"), speak_n(s, "leaflet a"));
	assert_int_equal(speak_n(s, "x ]] y [[ z leaflet"), speak_n(s, "x y z leaflet"));
	/* an SSML tag is read as its word, not obeyed (with SSML it would be silent) */
	assert_int_equal(synth_text_to_phonemes(s, "<speak>", ph, sizeof(ph)), 0);
	assert_non_null(strstr(ph, "sp'i:k"));
	assert_true(speak_n(s, "<speak>hello</speak>") > speak_n(s, "hello") * 3 / 2);
	/* an entity is its characters ("and amp"), not "&" */
	assert_int_equal(synth_text_to_phonemes(s, "a &amp; b", ph, sizeof(ph)), 0);
	assert_non_null(strstr(ph, "'amp"));
	/* a dash between words is a pause; a hyphen inside a word stays */
	prepared = synth_prepare_text(s, "a dance - or not -, looked-after - x");
	assert_string_equal(prepared, "a dance , or not ,, looked-after , x");
	free(prepared);
	/* a control character (eSpeak NG's embedded commands) is a space */
	assert_int_equal(speak_n(s, "a\x01" "5S b"), speak_n(s, "a 5S b"));
	synth_destroy(s);
	lexicon_destroy(lex);
}

/* True when s is valid UTF-8 (no overlong forms, surrogates or stray bytes). */
static bool valid_utf8(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	while (*u) {
		size_t len = *u < 0x80 ? 1 : (*u & 0xe0) == 0xc0 ? 2 : (*u & 0xf0) == 0xe0 ? 3
			   : (*u & 0xf8) == 0xf0 ? 4 : 0;
		if (len == 0)
			return false;
		unsigned long c = len == 1 ? *u : *u & (0x3f >> (len - 1));
		for (size_t i = 1; i < len; i++) {
			if ((u[i] & 0xc0) != 0x80)
				return false;
			c = (c << 6) | (u[i] & 0x3f);
		}
		if ((len == 2 && c < 0x80) || (len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
		    c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
			return false;
		u += len;
	}
	return true;
}

/* Any bytes from a script (invalid UTF-8, brackets, markup, control characters) are spoken or
 * dropped: never a crash, never eSpeak NG's phoneme input, never broken UTF-8. A fixed seed keeps
 * it repeatable; the valgrind setup checks eSpeak NG's side too. */
static void test_any_text_is_safe(void **state)
{
	static const char alphabet[] = "ab c[]<>&;/\\\"'!?.,-_{}#$%01"
				       "\x01\x02\x1b\x7f\xc3\xa9\xe2\x80\x99\xff";
	struct lexicon *lex = make_lexicon();
	struct synth *s = make(lex);
	unsigned seed = 12345;
	char text[64], ph[2048];
	for (int round = 0; round < 200; round++) {
		size_t len = 1 + (size_t)(rand_r(&seed) % (sizeof(text) - 1));
		for (size_t i = 0; i < len - 1; i++)
			text[i] = alphabet[rand_r(&seed) % (sizeof(alphabet) - 1)];
		text[len - 1] = '\0';
		char *prepared = synth_prepare_text(s, text);
		/* broken UTF-8 and "a _" make eSpeak NG 1.51 read uninitialised memory */
		assert_true(valid_utf8(prepared));
		for (const char *p = prepared; *p; p++) {
			assert_true((unsigned char)*p >= 0x20 && *p != 0x7f);
			assert_true(*p != '[' && *p != ']' && *p != '_');
		}
		free(prepared);
		struct pcm p = { 0 };
		char err[512];
		assert_int_equal(synth_speak(s, text, &p, err, sizeof(err)), 0);
		pcm_done(&p);
		assert_true(synth_text_to_phonemes(s, text, ph, sizeof(ph)) == 0);
	}
	synth_destroy(s);
	lexicon_destroy(lex);
}

struct stopper {
	size_t chunks, samples;
	size_t stop_after;
};

static int stop_chunk(void *userdata, const int16_t *samples, size_t n)
{
	struct stopper *st = userdata;
	st->chunks++;
	st->samples += n;
	return st->chunks >= st->stop_after;
}

static void test_stream_stops_at_once(void **state)
{
	struct synth *s = make(NULL);
	char err[512];
	size_t whole = speak_n(s, three[0]);
	struct stopper st = { .stop_after = 1 };
	assert_int_equal(synth_speak_stream(s, three[0], stop_chunk, &st, err, sizeof(err)), 1);
	assert_int_equal(st.chunks, 1);
	assert_true(st.samples < whole);
	/* also in the pause between sentences */
	struct stopper st2 = { .stop_after = 1000000 };
	assert_int_equal(synth_speak_sentences_stream(s, (char *const *)three, 3, stop_chunk, &st2,
						      err, sizeof(err)),
			 0);
	print_message("3 sentences: %zu chunks, %.1f ms each on average\n", st2.chunks,
		      st2.samples * 1000.0 / SYNTH_SAMPLE_RATE_HZ / (double)st2.chunks);
	struct stopper st3 = { .stop_after = st2.chunks / 2 };
	assert_int_equal(synth_speak_sentences_stream(s, (char *const *)three, 3, stop_chunk, &st3,
						      err, sizeof(err)),
			 1);
	assert_int_equal(st3.chunks, st2.chunks / 2);
	/* the next utterance is whole again */
	assert_int_equal(speak_n(s, three[0]), whole);
	synth_destroy(s);
}

static void test_phonemes_buffer(void **state)
{
	struct synth *s = make(NULL);
	char small[4];
	assert_int_equal(synth_text_to_phonemes(s, "attachment", small, sizeof(small)), -ENOSPC);
	assert_int_equal(strlen(small), 3);
	char ph[256];
	assert_int_equal(synth_text_to_phonemes(s, "", ph, sizeof(ph)), 0);
	assert_string_equal(ph, "");
	synth_destroy(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_speech_is_not_silent),
		cmocka_unit_test(test_duration_scales_with_rate),
		cmocka_unit_test(test_rate_is_measured_words_a_minute),
		cmocka_unit_test(test_pause_between_sentences),
		cmocka_unit_test(test_rate_steps_and_bounds),
		cmocka_unit_test(test_one_synthesiser_at_a_time),
		cmocka_unit_test(test_missing_voice),
		cmocka_unit_test(test_voice_switch),
		cmocka_unit_test(test_missing_data_dir),
		cmocka_unit_test(test_lexicon_changes_phonemes),
		cmocka_unit_test(test_markup_is_spoken_not_interpreted),
		cmocka_unit_test(test_any_text_is_safe),
		cmocka_unit_test(test_stream_stops_at_once),
		cmocka_unit_test(test_phonemes_buffer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
