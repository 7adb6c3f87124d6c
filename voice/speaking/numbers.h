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
 * Other numbers (years, counts such as "4 out of 10") are left to eSpeak NG. */
#pragma once

/* `text` (UTF-8, may be broken: bytes that are not ASCII are copied as they are) with the
 * numbers above written as words; a sentence with phone numbers of 6 digits or more is followed
 * by "That number again: ..." (or "Those numbers again: ..."). The words added are ASCII letters, spaces and
 * ",.:-". Returns a new string owned by the caller (free). */
char *numbers_to_words(const char *text);
