/* Speculative decoding: the utterance heard so far, decoded on a worker thread while the rest of
 * the endpointer's trailing window runs, so that at the endpoint the answer is often ready.
 *
 * One persistent worker thread, woken by a condition variable for each guess; one guess at a
 * time. A guess is tagged with the end of speech it assumes and the dialogue's generation (a
 * count of the events the dialogue was given); speculation_take hands it over only when both
 * still hold.
 *
 * One owner: the session (voice/loop/session.c, utterance.c), from its one thread.
 * While a guess runs, the worker owns the recogniser: the owner must not use it until
 * speculation_poll says the worker is idle, or speculation_take / _cancel returned. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "recogniser.h"
#include "recognition.h"

/* What the guesses cost and what became of them (the session_stats spec_* fields). */
struct speculation_stats {
	size_t n;           /* guesses decoded */
	size_t used;        /* handed over by speculation_take */
	size_t discarded;   /* decoded, then thrown away (stale, or replaced by a newer guess) */
	size_t over_window; /* took longer than window_ms */
	double ms_sum, ms_max;
	double window_ms;   /* the time a guess has to cost nothing (given to _create) */
};

struct speculation;

/* Create the worker over `rec` (borrowed: it must outlive the speculation) and start its thread.
 * window_ms is the time a guess may take without delaying the reply (statistics only). Returns
 * 0, or a negative errno with err (no thread). *out is owned by the caller:
 * speculation_destroy. */
int speculation_create(struct recogniser *rec, double window_ms, struct speculation **out,
		       char *err, size_t errlen);

/* Wait for a running guess, stop the thread and free everything. Accepts NULL. */
void speculation_destroy(struct speculation *sp);

/* Decode pcm[0..n) (copied; 16 kHz) on the worker, tagged (end_sample, gen). The worker must
 * be idle (speculation_poll returned true); a result held from an earlier guess is discarded.
 * Returns 0, or -EBUSY when a guess still runs. */
int speculation_start(struct speculation *sp, const int16_t *pcm, size_t n, uint64_t end_sample,
		      unsigned gen);

/* True when no guess is running (a finished one is collected: its result is kept for
 * speculation_take). With `wait`, waits for a running guess first, so it returns true. */
bool speculation_poll(struct speculation *sp, bool wait);

/* At the endpoint: wait for a running guess; if the last guess succeeded and was tagged
 * (end_sample, gen), copy its result to *out, its wall time to *wall_ms, and return true.
 * Otherwise the guess is discarded and false returned (decode the utterance). Either way no
 * result is held afterwards. */
bool speculation_take(struct speculation *sp, uint64_t end_sample, unsigned gen,
		      struct recognition *out, double *wall_ms);

/* Forget the guess: wait for a running one (a decode cannot be stopped half-way) and discard
 * its result. */
void speculation_cancel(struct speculation *sp);

/* The figures so far. */
void speculation_get_stats(const struct speculation *sp, struct speculation_stats *out);
