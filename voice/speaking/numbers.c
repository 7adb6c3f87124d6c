#include "numbers.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "log.h"

/* The words for one number being read; a matcher that gives up leaves nothing behind. */
struct words {
	char s[512];
	size_t n;
};

static void words_add(struct words *w, const char *s)
{
	size_t k = strlen(s);
	if (w->n + k >= sizeof w->s)
		k = sizeof w->s - 1 - w->n; /* longer than any number matched; never happens */
	memcpy(w->s + w->n, s, k);
	w->n += k;
	w->s[w->n] = '\0';
}

static const char *const small[] = {
	"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
	"eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
	"nineteen",
};
static const char *const tens[] = {
	"", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
};

/* n < 1000, British ("one hundred and five", "twenty-one"). */
static void add_below_thousand(struct words *w, unsigned long n)
{
	if (n >= 100) {
		words_add(w, small[n / 100]);
		words_add(w, " hundred");
		n %= 100;
		if (n == 0)
			return;
		words_add(w, " and ");
	}
	if (n < 20) {
		words_add(w, small[n]);
		return;
	}
	words_add(w, tens[n / 10]);
	if (n % 10) {
		words_add(w, "-");
		words_add(w, small[n % 10]);
	}
}

/* n < 10^9. */
static void add_cardinal(struct words *w, unsigned long n)
{
	static const struct {
		unsigned long size;
		const char *name;
	} big[] = { { 1000000, " million" }, { 1000, " thousand" } };
	bool said = false;
	for (size_t i = 0; i < 2; i++) {
		if (n < big[i].size)
			continue;
		add_below_thousand(w, n / big[i].size);
		words_add(w, big[i].name);
		n %= big[i].size;
		said = true;
		if (n)
			words_add(w, n < 100 ? " and " : " ");
	}
	if (n || !said)
		add_below_thousand(w, n);
}

/* "first" for 1, "twenty-third" for 23: the cardinal with its last word made ordinal. */
static void add_ordinal(struct words *w, unsigned long n)
{
	static const char *const irregular[][2] = {
		{ "one", "first" }, { "two", "second" }, { "three", "third" }, { "five", "fifth" },
		{ "eight", "eighth" }, { "nine", "ninth" }, { "twelve", "twelfth" },
	};
	size_t start = w->n;
	add_cardinal(w, n);
	size_t last = w->n;
	while (last > start && isalpha((unsigned char)w->s[last - 1]))
		last--;
	for (size_t i = 0; i < sizeof irregular / sizeof *irregular; i++)
		if (strcmp(w->s + last, irregular[i][0]) == 0) {
			w->n = last;
			w->s[w->n] = '\0';
			words_add(w, irregular[i][1]);
			return;
		}
	if (w->s[w->n - 1] == 'y') { /* twenty -> twentieth */
		w->s[--w->n] = '\0';
		words_add(w, "ieth");
	} else {
		words_add(w, "th");
	}
}

/* A year as said in Britain: "nineteen ninety-nine", "nineteen oh five", "two thousand and
 * eight", "twenty twenty-five"; other numbers as cardinals. */
static void add_year(struct words *w, unsigned long y)
{
	if (y < 1100 || y > 2099 || (y >= 2000 && y < 2010)) {
		add_cardinal(w, y);
		return;
	}
	add_cardinal(w, y / 100);
	if (y % 100 == 0) {
		words_add(w, " hundred");
		return;
	}
	words_add(w, y % 100 < 10 ? " oh " : " ");
	add_cardinal(w, y % 100);
}

static bool is_word_byte(unsigned char c)
{
	return isalnum(c) || c >= 0x80;
}

/* The number ends at q: no letter or digit follows, nor a digit after ".", ",", ":" or "/". */
static bool at_end(const char *q)
{
	if (is_word_byte((unsigned char)*q))
		return false;
	return !(strchr(".,:/", *q) && *q && isdigit((unsigned char)q[1]));
}

/* A number may start at p: the text before it is not part of a word or of a number. */
static bool at_start(const char *start, const char *p)
{
	if (p == start)
		return true;
	if (is_word_byte((unsigned char)p[-1]))
		return false;
	return !(strchr(".,:/+", p[-1]) && p - 1 > start && isdigit((unsigned char)p[-2]));
}

/* Up to `most` digits at *q as a number, moving *q on; -1 when there is no digit or more. */
static long read_digits(const char **q, int most)
{
	const char *p = *q;
	long n = 0;
	int k = 0;
	while (isdigit((unsigned char)p[k]) && k <= most)
		n = n * 10 + (p[k++] - '0');
	if (k == 0 || k > most)
		return -1;
	*q = p + k;
	return n;
}

/* The word before p (lower-case, at most 15 letters) is `word`. */
static bool word_before(const char *start, const char *p, const char *word)
{
	const char *e = p;
	while (e > start && e[-1] == ' ')
		e--;
	const char *b = e;
	while (b > start && isalpha((unsigned char)b[-1]))
		b--;
	size_t n = (size_t)(e - b);
	return n == strlen(word) && strncasecmp(b, word, n) == 0 &&
	       (b == start || !is_word_byte((unsigned char)b[-1]));
}

/* Phone numbers: digit by digit, in the groups written, "oh" for 0, a comma between groups; in
 * another language the digits themselves, spaced, for its voice to name ("0 8 0 0, 1 2 3").
 * They start with 0 (UK, 9 digits or more; 8 for 08.. such as 0800 1111) or + (9 or more), or
 * follow "call", "ring", "phone", "dial" or "text" (3 or more: 999, 116 123). A group after the
 * first has 3 digits or more (so "0800 123 456 24 hours" keeps its 24), except the area code
 * after +44; "(0)" after the country code is not said. */
static size_t match_phone(const char *start, const char *p, bool english, struct words *w,
			  int *ndigits)
{
	static const char *const cues[] = { "call", "ring", "phone", "dial", "text" };
	const char *q = p;
	bool plus = *q == '+', cued = false;
	int most = plus ? 15 : *q == '0' ? 11 : 8;
	for (size_t i = 0; english && i < sizeof cues / sizeof *cues && !plus && *q != '0'; i++)
		cued = cued || word_before(start, p, cues[i]);
	if (plus) {
		q++;
		words_add(w, english ? "plus " : "+ ");
	}
	if (!isdigit((unsigned char)*q) || (!plus && *q != '0' && !cued))
		return 0;
	int digits = 0;
	for (int group = 0;; group++) {
		const char *g = q;
		while (isdigit((unsigned char)*q) && digits < most) {
			words_add(w, q == g ? "" : " ");
			char digit[2] = { *q, '\0' };
			words_add(w, !english ? digit : *q == '0' ? "oh" : small[*q - '0']);
			q++;
			digits++;
		}
		/* the next group: after a space or hyphen, and after "(0) " in +44 (0)20 */
		const char *n = q;
		if (plus && group == 0 && strncmp(n, " (0)", 4) == 0)
			n += isdigit((unsigned char)n[4]) ? 3 : 4; /* onto ")" or the space */
		if (!strchr(" -)", *n) || !*n || !isdigit((unsigned char)n[1]))
			break;
		size_t len = strspn(n + 1, "0123456789");
		if ((len < 3 && !(plus && group == 0)) || digits + (int)len > most)
			break;
		words_add(w, ", ");
		q = n + 1;
	}
	int least = plus ? 9 : cued ? 3 : strncmp(p, "08", 2) == 0 ? 8 : 9;
	*ndigits = digits;
	return digits >= least && at_end(q) ? (size_t)(q - p) : 0;
}

/* "am", "a.m.", "AM", "a.m" and the same for pm after a time; 'a' or 'p' in *which. */
static size_t match_ampm(const char *q, char *which)
{
	char c = (char)tolower((unsigned char)q[0]);
	if (c != 'a' && c != 'p')
		return 0;
	*which = c;
	size_t k = 1 + (q[1] == '.');
	if (tolower((unsigned char)q[k]) != 'm')
		return 0;
	k++;
	if (k == 3 && q[k] == '.')
		k++;
	return at_end(q + k) ? k : 0;
}

/* Times: 9am, 9.05am, 5.30 pm, 17:00, 09:30. With a.m. or p.m. as written; a 24-hour time
 * (from 12:00, or written 0X:XX or 00:XX) in the 12-hour clock as said in Britain ("five p.m."
 * for 17:00); 9:30 without them as "nine thirty". In another language, the 24-hour clock as its
 * voice reads a time: "17:30" (eSpeak NG pl: "siedemnaście trzydzieści"). */
static size_t match_time(const char *p, bool english, struct words *w)
{
	const char *q = p;
	long h = read_digits(&q, 2), m = 0;
	bool colon = false, leading_zero = *p == '0';
	if (h < 0)
		return 0;
	if ((*q == ':' || *q == '.') && isdigit((unsigned char)q[1]) &&
	    isdigit((unsigned char)q[2]) && !isdigit((unsigned char)q[3])) {
		colon = *q == ':';
		m = (q[1] - '0') * 10 + (q[2] - '0');
		q += 3;
		if (m > 59)
			return 0;
	} else if (*q == ':' || *q == '.') {
		return 0;
	}
	char which = 0;
	size_t k = match_ampm(q + (*q == ' '), &which);
	if (k) {
		if (h < 1 || h > 12)
			return 0;
		q += (*q == ' ') + k;
	} else if (colon && at_end(q) && h <= 23) {
		if (h >= 12 || leading_zero)
			which = h >= 12 ? 'p' : 'a';
		if (which && h > 12)
			h -= 12;
		if (h == 0)
			h = 12;
	} else {
		return 0;
	}
	if (!english) {
		long h24 = which == 'p' && h < 12 ? h + 12 : which == 'a' && h == 12 ? 0 : h;
		snprintf(w->s, sizeof w->s, "%ld:%02ld", h24, m);
		w->n = strlen(w->s);
		return (size_t)(q - p);
	}
	if (h == 12 && m == 0 && which) {
		words_add(w, which == 'a' ? "midnight" : "twelve noon");
		return (size_t)(q - p);
	}
	add_cardinal(w, (unsigned long)h);
	if (m > 0) {
		words_add(w, m < 10 ? " oh " : " ");
		add_cardinal(w, (unsigned long)m);
	}
	if (which)
		words_add(w, which == 'a' ? " a.m." : " p.m.");
	return (size_t)(q - p);
}

/* Money: £2.50, £5, £1, £1,200, £0.50, 50p. */
static size_t match_money(const char *p, struct words *w)
{
	const char *q = p;
	long pounds = -1, pence = 0;
	if ((unsigned char)q[0] == 0xc2 && (unsigned char)q[1] == 0xa3) { /* £ */
		q += 2;
		pounds = read_digits(&q, 3);
		while (pounds >= 0 && *q == ',' && strspn(q + 1, "0123456789") == 3 &&
		       pounds < 1000000) {
			q++;
			pounds = pounds * 1000 + read_digits(&q, 3);
		}
		if (pounds < 0)
			return 0;
		if (*q == '.' && isdigit((unsigned char)q[1]) && isdigit((unsigned char)q[2])) {
			pence = (q[1] - '0') * 10 + (q[2] - '0');
			q += 3;
		}
	} else {
		pence = read_digits(&q, 2);
		if (pence < 1 || *q != 'p')
			return 0;
		q++;
	}
	if (!at_end(q))
		return 0;
	if (pounds > 0) {
		add_cardinal(w, (unsigned long)pounds);
		words_add(w, pounds == 1 ? " pound" : " pounds");
	}
	if (pence > 0 || pounds == 0) {
		words_add(w, pounds > 0 ? " " : "");
		add_cardinal(w, (unsigned long)pence);
		words_add(w, pounds > 0 ? "" : " p");
	}
	return (size_t)(q - p);
}

static const char *const months[] = {
	"January", "February", "March", "April", "May", "June", "July", "August", "September",
	"October", "November", "December",
};

/* The month named at q (full or "Jan", "Sept"; capital first) as 0-11, its length in *len;
 * -1 if none. */
static int match_month(const char *q, size_t *len)
{
	for (int i = 0; i < 12; i++) {
		const char *m = months[i];
		size_t full = strlen(m), k = 0;
		while (k < full && q[k] == m[k])
			k++;
		bool ok = k == full || (k == 3 && i != 4) || (k == 4 && i == 8);
		if (ok && !is_word_byte((unsigned char)q[k])) {
			*len = k;
			return i;
		}
	}
	return -1;
}

/* A day of the month: 1-31 with an optional st/nd/rd/th; an ordinal in *ordinal. */
static size_t match_day(const char *p, long *day, bool *ordinal, int most)
{
	const char *q = p;
	*day = read_digits(&q, most);
	if (*day < 1)
		return 0;
	*ordinal = false;
	static const char *const suffixes[] = { "st", "nd", "rd", "th" };
	for (size_t i = 0; i < 4; i++)
		if (strncasecmp(q, suffixes[i], 2) == 0 && !is_word_byte((unsigned char)q[2])) {
			q += 2;
			*ordinal = true;
			break;
		}
	return (size_t)(q - p);
}

/* ", 2025" or " 2025" after a date: the year, said. */
static size_t match_year(const char *q, struct words *w)
{
	const char *y = q + (*q == ',');
	if (*y != ' ' || !isdigit((unsigned char)y[1]))
		return 0;
	y++;
	long year = read_digits(&y, 4);
	if (year < 1000 || !at_end(y))
		return 0;
	words_add(w, " ");
	add_year(w, (unsigned long)year);
	return (size_t)(y - q);
}

static void add_date(struct words *w, bool the, long day, int month)
{
	words_add(w, the ? "" : "the ");
	add_ordinal(w, (unsigned long)day);
	words_add(w, " of ");
	words_add(w, months[month]);
}

/* Dates and ordinals: 3rd May, 3 May, 3rd of May, May 3, May 3rd (with a year after them or
 * not) "the third of May"; 3/5/2025 "the third of May twenty twenty-five"; 21st "twenty-first".
 * In another language only 3/5/2025, as "3.5.2025": eSpeak NG pl says the slashes ("slesz"). */
static size_t match_date(const char *start, const char *p, bool english, struct words *w)
{
	const char *q = p;
	long day;
	bool ordinal, the = word_before(start, p, "the");
	size_t k, mlen;
	int month;
	if (english && (month = match_month(q, &mlen)) >= 0) { /* May 3 */
		q += mlen;
		if (*q != ' ' || !(k = match_day(q + 1, &day, &ordinal, 2)) || day > 31 ||
		    !at_end(q + 1 + k))
			return 0;
		q += 1 + k;
	} else if ((k = match_day(q, &day, &ordinal, 3)) == 0) {
		return 0;
	} else if (!ordinal && q[k] == '/' && day <= 31) { /* 3/5/2025 */
		const char *d = q + k + 1;
		long m = read_digits(&d, 2), year = -1;
		if (*d == '/' && isdigit((unsigned char)d[1])) {
			d++;
			year = read_digits(&d, 4);
		}
		if (m < 1 || m > 12 || year < 1000 || !at_end(d))
			return 0;
		if (!english) {
			snprintf(w->s, sizeof w->s, "%ld.%ld.%ld", day, m, year);
			w->n = strlen(w->s);
			return (size_t)(d - p);
		}
		add_date(w, the, day, (int)m - 1);
		words_add(w, " ");
		add_year(w, (unsigned long)year);
		return (size_t)(d - p);
	} else if (!english) {
		return 0;
	} else {
		q += k;
		const char *m = q + (strncmp(q, " of ", 4) == 0 ? 3 : 0);
		if (day <= 31 && *m == ' ' && (month = match_month(m + 1, &mlen)) >= 0) {
			q = m + 1 + mlen; /* 3rd May */
		} else if (ordinal && at_end(q)) {
			add_ordinal(w, (unsigned long)day); /* 21st */
			return (size_t)(q - p);
		} else {
			return 0;
		}
	}
	add_date(w, the, day, month);
	q += match_year(q, w);
	return (size_t)(q - p);
}

/* The sentence's phone numbers said again, after it. */
struct repeat {
	struct words said[4];
	size_t n;
};

/* In another language the numbers are said again with no words before them (numbers.c knows
 * no words of it). */
static void repeat_flush(FILE *out, struct repeat *r, char last, bool english)
{
	if (r->n == 0)
		return;
	if (!strchr(".!?", last) || last == '\0')
		fputc('.', out);
	if (english)
		fputs(r->n == 1 ? " That number again: " : " Those numbers again: ", out);
	for (size_t i = 0; i < r->n; i++) {
		fputs(i == 0 ? (english ? "" : " ") : english ? ", and " : ". ", out);
		fputs(r->said[i].s, out);
	}
	fputc('.', out);
	r->n = 0;
}

/* Time, then "-" another time: "nine a.m. to five p.m.", or in another language "9:00 - 17:00". */
static size_t match_times(const char *p, bool english, struct words *w)
{
	size_t k = match_time(p, english, w);
	if (k == 0)
		return 0;
	const char *q = p + k + strspn(p + k, " ");
	if (*q != '-')
		return k;
	q += 1 + strspn(q + 1, " ");
	struct words second = { .n = 0 };
	size_t k2 = match_time(q, english, &second);
	if (k2 == 0)
		return k;
	words_add(w, english ? " to " : " - "); /* another language: a pause (text.c) */
	words_add(w, second.s);
	return (size_t)(q + k2 - p);
}

enum numbers_language numbers_language_of_code(const char *code)
{
	if (!code || (strncmp(code, "en", 2) == 0 && (code[2] == '\0' || code[2] == '-')))
		return NUMBERS_ENGLISH;
	return NUMBERS_OTHER;
}

enum numbers_language numbers_language_of_voice(const char *voice)
{
	/* eSpeak NG's English voices: en, en-gb, en-us, en-gb-x-rp, en+f3 ..., also by their file
	 * in its language family's folder (gmw/en-GB-x-rp) */
	if (voice && strrchr(voice, '/'))
		voice = strrchr(voice, '/') + 1;
	if (!voice || (strncmp(voice, "en", 2) == 0 && strchr("-+_", voice[2])))
		return NUMBERS_ENGLISH;
	return NUMBERS_OTHER;
}

char *numbers_to_words(const char *text, enum numbers_language language)
{
	bool english = language == NUMBERS_ENGLISH;
	char *s = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&s, &len);
	if (!out)
		abort(); /* out of memory, as xmalloc */
	struct repeat rep = { .n = 0 };
	char last = '\0'; /* last character written that is not a space */
	const char *p = text;
	while (*p) {
		unsigned char c = (unsigned char)*p;
		struct words w = { .n = 0 };
		size_t k = 0;
		if ((isdigit(c) || c == '+' || c == 0xc2 || isupper(c)) && at_start(text, p)) {
			/* 999 and 111 are remembered without being said again */
			int digits = 0;
			if ((k = match_phone(text, p, english, &w, &digits)) > 0 && digits >= 6 &&
			    rep.n < 4)
				rep.said[rep.n++] = w;
			if (!k) {
				w.n = 0;
				w.s[0] = '\0';
				k = match_times(p, english, &w);
			}
			if (!k && english) /* another voice reads £2.50 and 50p in its own words */
				k = match_money(p, &w);
			if (!k)
				k = match_date(text, p, english, &w);
		}
		if (k) {
			if (w.s[w.n - 1] == '.' && p[k] == '.') /* "5pm." ends "p.m.", not "p.m.." */
				w.s[--w.n] = '\0';
			fputs(w.s, out);
			last = w.s[w.n - 1];
			p += k;
			continue;
		}
		/* a word or a number left as it is, or one character */
		size_t n = is_word_byte(c) ? 0 : 1;
		while (n == 0 || (is_word_byte((unsigned char)p[n]) && is_word_byte(c)))
			n++;
		fwrite(p, 1, n, out);
		last = isspace(c) ? last : p[n - 1];
		p += n;
		if (strchr(".!?", c) && (*p == '\0' || isspace((unsigned char)*p)))
			repeat_flush(out, &rep, last, english);
	}
	repeat_flush(out, &rep, last, english);
	if (fclose(out) != 0 || !s)
		abort();
	return s;
}
