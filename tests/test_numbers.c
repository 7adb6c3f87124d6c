/* Numbers as people say them (issue 21): the text given to eSpeak NG, as text_prepare makes it
 * (numbers.c, then the lexicon and escaping), for phone numbers, times, dates, money and
 * ordinals; and the numbers that must be left to eSpeak NG (years, counts, decimals). For a voice
 * of another language (issue 20), digits its voice names in its own language, and no English. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "numbers.h"
#include "synthesiser.h"
#include "text.h"

/* The text eSpeak NG gets for `written` is exactly `spoken`. */
static void said(const char *written, const char *spoken)
{
	bool phonemes;
	char *out = text_prepare(NULL, written, &phonemes);
	if (strcmp(out, spoken) != 0)
		fail_msg("\"%s\"\n  gave     \"%s\"\n  expected \"%s\"", written, out, spoken);
	assert_false(phonemes);
	free(out);
}

/* The table of issue 21's "Done when" (a.m. and p.m. with dots: eSpeak NG reads "a m" as
 * "uh m", docs/speaking.md). */
static void test_done_when_table(void **state)
{
	said("0800 123 456", "oh eight oh oh, one two three, four five six. That number again: "
			     "oh eight oh oh, one two three, four five six.");
	said("020 7946 0958", "oh two oh, seven nine four six, oh nine five eight. That number "
			      "again: oh two oh, seven nine four six, oh nine five eight.");
	said("+44 20 7946 0958",
	     "plus four four, two oh, seven nine four six, oh nine five eight. That number again: "
	     "plus four four, two oh, seven nine four six, oh nine five eight.");
	said("9am / 5.30pm", "nine a.m. / five thirty p.m.");
	said("3rd May", "the third of May");
	said("£2.50", "two pounds fifty");
}

/* Phone numbers in a sentence: said again after the sentence that holds them, all of them;
 * the other UK shapes, +44 (0), +1, freephone 0800 1111, the short ones after "call". */
static void test_phone_numbers(void **state)
{
	said("Call 0800 123 456 or 020 7946 0958, open 9am to 5pm",
	     "Call oh eight oh oh, one two three, four five six or oh two oh, seven nine four six, "
	     "oh nine five eight, open nine a.m. to five p.m. Those numbers again: oh eight oh oh, "
	     "one two three, four five six, and oh two oh, seven nine four six, oh nine five "
	     "eight.");
	said("Call 0800 123 456. It is free.",
	     "Call oh eight oh oh, one two three, four five six. That number again: oh eight oh oh, "
	     "one two three, four five six. It is free.");
	said("07700 900123", "oh seven seven oh oh, nine oh oh one two three. That number again: "
			     "oh seven seven oh oh, nine oh oh one two three.");
	said("Ring 01632 960 001!", "Ring oh one six three two, nine six oh, oh oh one! That "
				    "number again: oh one six three two, nine six oh, oh oh one.");
	said("+44 (0)20 7946 0958.", "plus four four, two oh, seven nine four six, oh nine five "
				     "eight. That number again: plus four four, two oh, seven "
				     "nine four six, oh nine five eight.");
	said("+1 202 555 0143", "plus one, two oh two, five five five, oh one four three. That "
				"number again: plus one, two oh two, five five five, oh one four "
				"three.");
	said("Childline: 0800 1111.", "Childline: oh eight oh oh, one one one one. That number "
				      "again: oh eight oh oh, one one one one.");
	/* short numbers after "call": digit by digit, not said again (under 6 digits) */
	said("Call 999 or ring 111.", "Call nine nine nine or ring one one one.");
	said("Phone 116 123.", "Phone one one six, one two three. That number again: one one "
			       "six, one two three.");
	/* a count after the number is not taken into it */
	said("Call 0800 123 456 24 hours a day.",
	     "Call oh eight oh oh, one two three, four five six 24 hours a day. That number again: "
	     "oh eight oh oh, one two three, four five six.");
}

/* Years, counts, decimals, numbers inside words and short numbers starting with 0 are not
 * phone numbers and are left to eSpeak NG. */
static void test_not_phone_numbers(void **state)
{
	said("In 2024, about 4 out of 10 people have one.",
	     "In 2024, about 4 out of 10 people have one.");
	said("About 4 out of 10 people have one.", "About 4 out of 10 people have one.");
	said("It took 12 345 678 steps.", "It took 12 345 678 steps.");
	said("Room 0123, version 1.5, 2.5 miles, 3/5 of them, call 2 people.",
	     "Room 0123, version 1.5, 2.5 miles, 3/5 of them, call 2 people.");
	said("v1.0800 123 456 and A0800 123 456", "v1.0800 123 456 and A0800 123 456");
	said("0800 123", "0800 123");
	said("I may 3 times.", "I may 3 times.");
	said("At 9 amazing people.", "At 9 amazing people.");
}

static void test_times(void **state)
{
	said("9am", "nine a.m.");
	said("9.05am", "nine oh five a.m.");
	said("5.30 PM", "five thirty p.m.");
	said("10 a.m. to 4 p.m.", "ten a.m. to four p.m.");
	/* the 24-hour clock as said in Britain */
	said("17:00", "five p.m.");
	said("09:30-17:30", "nine thirty a.m. to five thirty p.m.");
	said("12:00, 00:00, 12pm", "twelve noon, midnight, twelve noon");
	said("9am-5pm", "nine a.m. to five p.m.");
	said("Open until 5pm.", "Open until five p.m.");
	/* without a.m. or p.m., and not a 24-hour time: as written */
	said("9:30", "nine thirty");
	said("25:00, 9:75, 13pm", "25:00, 9:75, 13pm");
}

static void test_dates_and_ordinals(void **state)
{
	said("May 3", "the third of May");
	said("On the 3rd of May", "On the third of May");
	said("Monday 21st June 2021", "Monday the twenty-first of June twenty twenty-one");
	said("3 Sept", "the third of September");
	said("3/5/2025", "the third of May twenty twenty-five");
	said("1/1/2000, 31/12/1999, 4/7/1905",
	     "the first of January two thousand, the thirty-first of December nineteen "
	     "ninety-nine, the fourth of July nineteen oh five");
	said("1st 2nd 3rd 4th 11th 12th 13th 20th 21st 22nd 30th 31st",
	     "first second third fourth eleventh twelfth thirteenth twentieth twenty-first "
	     "twenty-second thirtieth thirty-first");
	said("the 100th", "the one hundredth");
	said("32nd May, 3/13/2025", "thirty-second May, 3/13/2025");
}

static void test_money(void **state)
{
	said("£5", "five pounds");
	said("£1", "one pound");
	said("50p", "fifty p");
	said("£0.50", "fifty p");
	said("£1.05, £12.99", "one pound five, twelve pounds ninety-nine");
	said("£1,200 and £2,500,000", "one thousand two hundred pounds and two million five "
				      "hundred thousand pounds");
	said("5 people, 5pp", "5 people, 5pp");
}

/* The text a voice of another language gets for `written` is exactly `spoken`. */
static void said_other(const char *written, const char *spoken)
{
	bool phonemes;
	char *out = text_prepare_for(NULL, written, NUMBERS_OTHER, &phonemes);
	if (strcmp(out, spoken) != 0)
		fail_msg("\"%s\"\n  gave     \"%s\"\n  expected \"%s\"", written, out, spoken);
	free(out);
}

/* Which voices read numbers in English words, when no language is given (say --voice). */
static void test_language_of_voice(void **state)
{
	const char *english[] = { NULL, "en", "en+f3", "en-gb", "en-us+m3", "en-gb-x-rp",
				  "gmw/en-GB-x-rp" };
	const char *other[] = { "pl", "cy", "de", "el", "eo", "es+f3", "pa", "mb-en1" };
	for (size_t i = 0; i < sizeof english / sizeof *english; i++)
		assert_int_equal(numbers_language_of_voice(english[i]), NUMBERS_ENGLISH);
	for (size_t i = 0; i < sizeof other / sizeof *other; i++)
		assert_int_equal(numbers_language_of_voice(other[i]), NUMBERS_OTHER);
}

/* Which languages read numbers in English words: by the code, whatever the voice. */
static void test_language_of_code(void **state)
{
	const char *english[] = { NULL, "en", "en-gb", "en-us" };
	const char *other[] = { "pl", "cy", "sco", "eng", "e", "" };
	for (size_t i = 0; i < sizeof english / sizeof *english; i++)
		assert_int_equal(numbers_language_of_code(english[i]), NUMBERS_ENGLISH);
	for (size_t i = 0; i < sizeof other / sizeof *other; i++)
		assert_int_equal(numbers_language_of_code(other[i]), NUMBERS_OTHER);
}

/* The synthesiser reads numbers as the language spoken does, named by its code: an English
 * language with a voice whose name does not start with "en" (eSpeak NG's file name
 * "gmw/en-GB-x-rp", or an MBROLA "mb-en1" style name) gets English words, and a Welsh language
 * that borrows the English voice gets digits; with no language, the voice's name decides. */
static void test_language_not_voice(void **state)
{
	struct synth_config c;
	struct synth *s = NULL;
	char err[512];
	synth_config_defaults(&c);
	assert_string_equal(c.language, "en");
	c.voice = "gmw/en-GB-x-rp";
	if (synth_create(&c, NULL, &s, err, sizeof(err)) != 0)
		fail_msg("synth_create: %s", err);
	char *t = synth_prepare_text(s, "Call 0800 123 456.");
	assert_non_null(strstr(t, "Call oh eight oh oh, one two three, four five six."));
	free(t);
	assert_int_equal(synth_set_voice(s, "en+f3", "cy", NULL, err, sizeof(err)), 0);
	t = synth_prepare_text(s, "Ffoniwch 0800 123 456.");
	assert_string_equal(t, "Ffoniwch 0 8 0 0, 1 2 3, 4 5 6. 0 8 0 0, 1 2 3, 4 5 6.");
	free(t);
	assert_int_equal(synth_set_voice(s, "gmw/en-GB-x-rp", "en-gb", NULL, err, sizeof(err)),
			 0);
	t = synth_prepare_text(s, "9am");
	assert_string_equal(t, "nine a.m.");
	free(t);
	assert_int_equal(synth_set_voice(s, "pl", NULL, NULL, err, sizeof(err)), 0);
	t = synth_prepare_text(s, "9am");
	assert_string_equal(t, "9:00");
	free(t);
	synth_destroy(s);
}

/* Another language's voice gets digits and signs, never an English word: phone numbers spaced
 * digit by digit in their groups and said again bare, times on the 24-hour clock, 3/5/2025 with
 * dots; money, English month names and ordinals as written, for the voice's own rules. */
static void test_other_language_text(void **state)
{
	said_other("0800 123 456", "0 8 0 0, 1 2 3, 4 5 6. 0 8 0 0, 1 2 3, 4 5 6.");
	said_other("Zadzwoń: 020 7946 0958 albo +44 (0)20 7946 0958.",
		   "Zadzwoń: 0 2 0, 7 9 4 6, 0 9 5 8 albo + 4 4, 2 0, 7 9 4 6, 0 9 5 8. "
		   "0 2 0, 7 9 4 6, 0 9 5 8. + 4 4, 2 0, 7 9 4 6, 0 9 5 8.");
	said_other("Call 999.", "Call 999.");
	said_other("9am, 5.30 PM, 17:00, 09:30, 12am, 12pm, 9:05",
		   "9:00, 17:30, 17:00, 9:30, 0:00, 12:00, 9:05");
	said_other("9am-5pm, 09:30 - 17:30", "9:00 , 17:00, 9:30 , 17:30"); /* a dash: a pause */
	said_other("3/5/2025, 3rd May, 21st", "3.5.2025, 3rd May, 21st");
	said_other("£2.50, 50p, 4 na 10", "£2.50, 50p, 4 na 10");
}

/* With the pl voice, a phone number is said with the Polish names of its digits, in order, and
 * with no English number word; the same text with the English voice still has its English
 * words. Phonemes are eSpeak NG's own, so the digits' names are asked of the pl voice. */
static void test_polish_voice(void **state)
{
	struct synth_config c;
	struct synth *s = NULL;
	char err[512], ph[2048], digit[8][64];
	synth_config_defaults(&c);
	if (synth_create(&c, NULL, &s, err, sizeof(err)) != 0)
		fail_msg("synth_create: %s", err);
	char *en = synth_prepare_text(s, "0800 123 456");
	assert_non_null(strstr(en, "oh eight oh oh"));
	free(en);
	assert_int_equal(synth_set_voice(s, "pl", "pl", NULL, err, sizeof(err)), 0);
	const char *digits = "08123456";
	for (size_t i = 0; i < 8; i++) {
		char d[2] = { digits[i], '\0' };
		assert_int_equal(synth_text_to_phonemes(s, d, digit[i], sizeof(digit[i])), 0);
	}
	assert_int_equal(synth_text_to_phonemes(s, "0800 123 456", ph, sizeof(ph)), 0);
	print_message("pl: %s\n", ph);
	/* "0800 123 456" digit by digit, then again: 0 8 0 0 1 2 3 4 5 6 in the digits' order */
	const char *order = "0800123456";
	const char *at = ph;
	for (int round = 0; round < 2; round++)
		for (const char *o = order; *o; o++) {
			const char *name = digit[strchr(digits, *o) - digits];
			const char *found = strstr(at, name);
			if (!found)
				fail_msg("the digit %c (pl \"%s\") is not said where expected in \"%s\"",
					 *o, name, ph);
			at = found + strlen(name);
		}
	char *text = synth_prepare_text(s, "Zadzwoń 0800 123 456, od 9am do 5.30pm, 3/5/2025.");
	print_message("pl text: %s\n", text);
	const char *english_words[] = { "oh", "eight", "one", "two", "three", "four", "five",
					"six", "nine", "thirty", "a.m.", "p.m.", "number", "again",
					"of", "May", "the", "twenty" };
	for (size_t i = 0; i < sizeof english_words / sizeof *english_words; i++) {
		size_t n = strlen(english_words[i]);
		for (const char *p = strstr(text, english_words[i]); p;
		     p = strstr(p + 1, english_words[i]))
			if ((p == text || p[-1] == ' ') && (p[n] == ' ' || p[n] == ',' ||
							     p[n] == '.' || !p[n]))
				fail_msg("English \"%s\" in \"%s\"", english_words[i], text);
	}
	assert_string_equal(text, "Zadzwoń 0 8 0 0, 1 2 3, 4 5 6, od 9:00 do 17:30, 3.5.2025. "
				  "0 8 0 0, 1 2 3, 4 5 6.");
	free(text);
	synth_destroy(s);
}

/* Numbers go through the lexicon and the escaping like any other text; broken text is still
 * text.h's plain text. */
static void test_through_preparation(void **state)
{
	said("Call [[0800]] 123 456", "Call 0800 123 456");
	said("\x01" "3rd May_", " the third of May ");
	char *s = numbers_to_words("\xff\xfe 9am \xc2", NUMBERS_ENGLISH);
	assert_string_equal(s, "\xff\xfe nine a.m. \xc2");
	free(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_done_when_table),
		cmocka_unit_test(test_phone_numbers),
		cmocka_unit_test(test_not_phone_numbers),
		cmocka_unit_test(test_times),
		cmocka_unit_test(test_dates_and_ordinals),
		cmocka_unit_test(test_money),
		cmocka_unit_test(test_through_preparation),
		cmocka_unit_test(test_language_of_voice),
		cmocka_unit_test(test_language_of_code),
		cmocka_unit_test(test_language_not_voice),
		cmocka_unit_test(test_other_language_text),
		cmocka_unit_test(test_polish_voice),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
