/* Counts of what a station was asked, per day: questions asked by voice and by key, answered,
 * asked back ("did you ask about ...?"), not understood, and how often each topic was said.
 * Numbers only: no words, no audio. Kept in a state folder as one small text file a day
 * (counts-YYYY-MM-DD.txt, format in docs/counts.md), each written whole to a temporary file in
 * the same folder, synced and renamed over the old one, so a power cut leaves the old or the new
 * file, never half of one. Each save adds to what the file holds (another process may have
 * counted into the same folder). */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "script.h"

/* Longest date: "YYYY-MM-DD". */
#define COUNTS_DATE_LEN 11

struct counts_topic {
	char *id;
	long n;
};

/* One day's counts. Owned by whoever filled it: counts_day_done. */
struct counts_day {
	char date[COUNTS_DATE_LEN];
	long asked_voice, asked_key; /* questions: a topic asked or not understood; a topic's key */
	long answered;               /* questions (or a yes to "did you ask about") given a topic */
	long asked_back;             /* spoken questions the station asked back about */
	long not_understood;         /* spoken questions it could not place */
	struct counts_topic *topics; /* in the order first counted */
	size_t n_topics;
};

/* Add `n` to topic `id` of `day`. */
void counts_day_add_topic(struct counts_day *day, const char *id, long n);
/* Add every count of `from` to `to` (the date stays `to`'s). */
void counts_day_add(struct counts_day *to, const struct counts_day *from);
/* The count of topic `id` (0 when never counted). */
long counts_day_topic(const struct counts_day *day, const char *id);
void counts_day_done(struct counts_day *day);

/* Read the days of `dir` from `from` to `to` (inclusive, "YYYY-MM-DD"; NULL: no bound), oldest
 * first, into a new array *days (counts_days_free). A folder without counts gives 0 days. Returns
 * 0, -ENOENT (no such folder) or -EINVAL ("path:line: what is wrong" in err) with nothing out. */
int counts_read(const char *dir, const char *from, const char *to, struct counts_day **days,
		size_t *n, char *err, size_t errlen);
void counts_days_free(struct counts_day *days, size_t n);

/* True when `s` is a date written YYYY-MM-DD. */
bool counts_date_valid(const char *s);
/* Today's date, YYYY-MM-DD in local time (a school's day: the day a tally belongs to). */
void counts_today(char date[COUNTS_DATE_LEN]);

/* The running tally of one program: what was counted since the last save. One owner (the
 * command); the session borrows it. */
struct counts;

/* A tally saving into `dir`, which must be a folder this process can write. Returns 0, or
 * -ENOENT / -EACCES with "what is wrong (what to do)" in err. */
int counts_create(const char *dir, struct counts **out, char *err, size_t errlen);
/* Frees the tally; what was not saved is lost (call counts_save first). Accepts NULL. */
void counts_destroy(struct counts *c);

struct turn_log;
/* Count one turn of the conversation (voice/loop's session; no I/O) into today's tally, as
 * `set` names its keys and topics. c may be NULL: nothing is counted. */
void counts_add_turn(struct counts *c, const struct script_set *set, const struct turn_log *t);
/* Add what was counted since the last save to the day files, atomically. Nothing to save, or c
 * NULL: 0 and no write. A day file that cannot be read is kept aside as FILE.bad and started
 * again (said in err, returns 1). Returns 0, 1, or a negative errno with err (the tally is kept
 * and tried again at the next save). */
int counts_save(struct counts *c, char *err, size_t errlen);
