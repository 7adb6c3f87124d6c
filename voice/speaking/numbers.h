/* Numbers as people say them: script text with its phone numbers, times, dates, money and
 * ordinals written out the way a person reads them aloud to someone writing them down, before
 * the rest of the text preparation (text.c). Pure string work; docs/speaking.md has the rules.
 *
 *   0800 123 456       oh eight oh oh, one two three, four five six (and again after the sentence)
 *   +44 20 7946 0958   plus four four, two oh, seven nine four six, oh nine five eight
 *   9am, 5.30pm, 17:00 nine a.m., five thirty p.m., five p.m.
 *   3rd May, May 3     the third of May
 *   3/5/2025           the third of May twenty twenty-five (day first, as in the UK)
 *   £2.50, £1, 50p     two pounds fifty, one pound, fifty p
 *   21st               twenty-first
 *
 * Other numbers (years, counts such as "4 out of 10") are left to eSpeak NG.
 *
 * Another language's voice gets no English word: its phone numbers are spaced digits in their
 * groups, for the voice to name each digit in its own language ("0 8 0 0, 1 2 3, 4 5 6"), said
 * again with no words before them; its times are on the 24-hour clock ("5.30pm": "17:30"), a
 * date 3/5/2025 is "3.5.2025", and money, month names and ordinals are left as written. */
#pragma once

/* How numbers are written for a voice: as English words, or for a voice of another language. */
enum numbers_language { NUMBERS_ENGLISH, NUMBERS_OTHER };

/* The numbers_language of a language by its code (language.txt's language:): English for "en"
 * and its regional codes ("en-gb", "en-us") and for NULL, otherwise NUMBERS_OTHER ("pl", "cy"),
 * whatever voice the language speaks with (an English "gmw/en-GB-x-rp", a Welsh "en"). */
enum numbers_language numbers_language_of_code(const char *code);

/* A guess from an eSpeak NG voice's name, for a voice chosen with no language (talkleaf say
 * --voice): English for "en" and its variants ("en+f3", "en-gb", "en-us+m3", "gmw/en-GB-x-rp")
 * and for NULL, otherwise NUMBERS_OTHER ("pl", "cy", "mb-en1"). */
enum numbers_language numbers_language_of_voice(const char *voice);

/* `text` (UTF-8, may be broken: bytes that are not ASCII are copied as they are) with the
 * numbers above written for `language`; a sentence with phone numbers of 6 digits or more is
 * followed by "That number again: ..." (or "Those numbers again: ...") in English, by the
 * numbers alone in another language. The characters added are ASCII letters, digits, spaces
 * and ",.:-+". Returns a new string owned by the caller (free). */
char *numbers_to_words(const char *text, enum numbers_language language);
