#include "speculation.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "monotonic.h"

/* Where the one guess is. The owner moves it IDLE -> RUNNING (speculation_start), the worker
 * RUNNING -> FINISHED, the owner FINISHED -> IDLE (collecting it). */
enum worker_state { WORKER_IDLE, WORKER_RUNNING, WORKER_FINISHED };

/* `state` and `quit` are shared, under `lock`. The rest belongs to the worker while the state is
 * RUNNING and to the owner otherwise: the lock's hand-over orders their accesses. */
struct speculation {
	struct recogniser *rec;
	pthread_t thread;
	bool have_thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;     /* owner -> worker: a guess to decode, or quit */
	pthread_cond_t finished; /* worker -> owner: the guess is decoded */
	enum worker_state state;
	bool quit;

	int16_t *pcm; /* a copy: the endpointer goes on changing its own */
	size_t n, cap;
	uint64_t end_sample;
	unsigned gen;
	struct recognition result;
	int rc;
	double wall_ms;
	bool valid; /* collected, and result holds the decode of (end_sample, gen) */

	struct speculation_stats stats;
};

static void *worker_main(void *arg)
{
	struct speculation *sp = arg;
	pthread_mutex_lock(&sp->lock);
	for (;;) {
		while (sp->state != WORKER_RUNNING && !sp->quit)
			pthread_cond_wait(&sp->wake, &sp->lock);
		if (sp->quit)
			break;
		pthread_mutex_unlock(&sp->lock);
		char err[256] = "";
		double t0 = monotonic_s();
		sp->rc = recogniser_decode(sp->rec, sp->pcm, sp->n, &sp->result, err, sizeof(err));
		sp->wall_ms = (monotonic_s() - t0) * 1000.0;
		if (sp->rc < 0)
			log_debug("speculative decode failed (the endpoint decodes): %s", err);
		pthread_mutex_lock(&sp->lock);
		sp->state = WORKER_FINISHED;
		pthread_cond_signal(&sp->finished);
	}
	pthread_mutex_unlock(&sp->lock);
	return NULL;
}

int speculation_create(struct recogniser *rec, double window_ms, struct speculation **out,
		       char *err, size_t errlen)
{
	*out = NULL;
	struct speculation *sp = xcalloc(1, sizeof(*sp));
	sp->rec = rec;
	sp->stats.window_ms = window_ms;
	pthread_mutex_init(&sp->lock, NULL);
	pthread_cond_init(&sp->wake, NULL);
	pthread_cond_init(&sp->finished, NULL);
	int r = pthread_create(&sp->thread, NULL, worker_main, sp);
	if (r != 0) {
		speculation_destroy(sp);
		return errf(err, errlen, -r, "no thread for speculative decoding: %s", strerror(r));
	}
	sp->have_thread = true;
	*out = sp;
	return 0;
}

void speculation_destroy(struct speculation *sp)
{
	if (!sp)
		return;
	if (sp->have_thread) {
		pthread_mutex_lock(&sp->lock);
		sp->quit = true;
		pthread_cond_signal(&sp->wake);
		pthread_mutex_unlock(&sp->lock);
		/* A running decode finishes first: the worker looks at quit between guesses. */
		pthread_join(sp->thread, NULL);
	}
	pthread_cond_destroy(&sp->finished);
	pthread_cond_destroy(&sp->wake);
	pthread_mutex_destroy(&sp->lock);
	free(sp->pcm);
	free(sp);
}

/* The worker's guess is back (lock held): count it, keep a good result. */
static void collect(struct speculation *sp)
{
	sp->state = WORKER_IDLE;
	sp->valid = sp->rc == 0;
	struct speculation_stats *st = &sp->stats;
	st->n++;
	st->ms_sum += sp->wall_ms;
	if (sp->wall_ms > st->ms_max)
		st->ms_max = sp->wall_ms;
	if (sp->wall_ms > st->window_ms)
		st->over_window++;
}

bool speculation_poll(struct speculation *sp, bool wait)
{
	pthread_mutex_lock(&sp->lock);
	while (wait && sp->state == WORKER_RUNNING)
		pthread_cond_wait(&sp->finished, &sp->lock);
	if (sp->state == WORKER_FINISHED)
		collect(sp);
	bool idle = sp->state == WORKER_IDLE;
	pthread_mutex_unlock(&sp->lock);
	return idle;
}

/* Forget a result that will not be used (the worker is idle). */
static void discard(struct speculation *sp)
{
	if (sp->valid)
		sp->stats.discarded++;
	sp->valid = false;
}

int speculation_start(struct speculation *sp, const int16_t *pcm, size_t n, uint64_t end_sample,
		      unsigned gen)
{
	if (!speculation_poll(sp, false))
		return -EBUSY;
	discard(sp);
	if (n > sp->cap) {
		sp->pcm = xreallocarray(sp->pcm, n, sizeof(*sp->pcm));
		sp->cap = n;
	}
	memcpy(sp->pcm, pcm, n * sizeof(*pcm));
	sp->n = n;
	sp->end_sample = end_sample;
	sp->gen = gen;
	pthread_mutex_lock(&sp->lock);
	sp->state = WORKER_RUNNING;
	pthread_cond_signal(&sp->wake);
	pthread_mutex_unlock(&sp->lock);
	return 0;
}

bool speculation_take(struct speculation *sp, uint64_t end_sample, unsigned gen,
		      struct recognition *out, double *wall_ms)
{
	speculation_poll(sp, true);
	if (!sp->valid || sp->end_sample != end_sample || sp->gen != gen) {
		discard(sp);
		return false;
	}
	*out = sp->result;
	*wall_ms = sp->wall_ms;
	sp->valid = false;
	sp->stats.used++;
	return true;
}

void speculation_cancel(struct speculation *sp)
{
	speculation_poll(sp, true);
	discard(sp);
}

void speculation_get_stats(const struct speculation *sp, struct speculation_stats *out)
{
	*out = sp->stats;
}
