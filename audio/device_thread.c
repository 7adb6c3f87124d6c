/* The device thread: every call into PortAudio that can wait for the sound server (open, start,
 * write, stop, close) runs here, one at a time, while the caller waits with a deadline. A server
 * that stops answering (SIGSTOP, a hung driver) then stalls this thread only: the caller gets
 * -ETIMEDOUT, tells the person, and the loop, its keys and its signals go on. The stalled call
 * finishes when the server answers again or dies, and the thread takes the next one. */
#include "audio_internal.h"
#include "log.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

/* How often a waiting caller looks at its stop flag, and how long it still waits once the flag
 * is set: a call to a server that answers ends in milliseconds (a stream closed, a WAV header
 * finalised), and a stop must end the program within a second even when it does not. */
#define STOP_POLL_NS (5 * 1000 * 1000L)
#define STOP_GRACE_NS (300 * 1000 * 1000L)

struct audio_device_thread {
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t job_cv, done_cv;
	int (*fn)(void *arg);
	void *arg;
	int result;
	unsigned submitted, done;
	bool quit;
};

static void *device_thread_main(void *userdata)
{
	struct audio_device_thread *t = userdata;
	pthread_mutex_lock(&t->mu);
	for (;;) {
		while (!t->quit && t->done == t->submitted)
			pthread_cond_wait(&t->job_cv, &t->mu);
		if (t->quit && t->done == t->submitted)
			break;
		int (*fn)(void *) = t->fn;
		void *arg = t->arg;
		pthread_mutex_unlock(&t->mu);
		int r = fn(arg);
		pthread_mutex_lock(&t->mu);
		t->result = r;
		t->done = t->submitted;
		pthread_cond_broadcast(&t->done_cv);
	}
	pthread_mutex_unlock(&t->mu);
	return NULL;
}

int audio_device_thread_create(struct audio_device_thread **out)
{
	struct audio_device_thread *t = xcalloc(1, sizeof(*t));
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_mutex_init(&t->mu, NULL);
	pthread_cond_init(&t->job_cv, NULL);
	pthread_cond_init(&t->done_cv, &ca);
	pthread_condattr_destroy(&ca);
	int e = pthread_create(&t->thread, NULL, device_thread_main, t);
	if (e != 0) {
		pthread_cond_destroy(&t->job_cv);
		pthread_cond_destroy(&t->done_cv);
		pthread_mutex_destroy(&t->mu);
		free(t);
		*out = NULL;
		return -e;
	}
	*out = t;
	return 0;
}

bool audio_device_thread_busy(struct audio_device_thread *t)
{
	pthread_mutex_lock(&t->mu);
	bool busy = t->done != t->submitted;
	pthread_mutex_unlock(&t->mu);
	return busy;
}

static void add_ns(struct timespec *ts, long ns)
{
	ts->tv_nsec += ns;
	while (ts->tv_nsec >= 1000000000L) {
		ts->tv_nsec -= 1000000000L;
		ts->tv_sec++;
	}
}

static bool before(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

int audio_device_thread_call(struct audio_device_thread *t, int (*fn)(void *arg), void *arg,
			     double timeout_s, volatile sig_atomic_t *stop)
{
	pthread_mutex_lock(&t->mu);
	if (t->done != t->submitted) {
		pthread_mutex_unlock(&t->mu);
		return -EBUSY;
	}
	t->fn = fn;
	t->arg = arg;
	unsigned seq = ++t->submitted;
	pthread_cond_signal(&t->job_cv);
	struct timespec now, deadline;
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	add_ns(&deadline, (long)(timeout_s * 1e9));
	int r = -ETIMEDOUT;
	bool stopping = false;
	for (;;) {
		if (t->done == seq) {
			r = t->result;
			break;
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (stop && *stop && !stopping) {
			stopping = true;
			struct timespec grace = now;
			add_ns(&grace, STOP_GRACE_NS);
			if (before(&grace, &deadline))
				deadline = grace;
		}
		if (!before(&now, &deadline))
			break;
		add_ns(&now, STOP_POLL_NS);
		pthread_cond_timedwait(&t->done_cv, &t->mu, before(&now, &deadline) ? &now : &deadline);
	}
	pthread_mutex_unlock(&t->mu);
	return r;
}

bool audio_device_thread_destroy(struct audio_device_thread *t)
{
	if (!t)
		return true;
	pthread_mutex_lock(&t->mu);
	bool busy = t->done != t->submitted;
	t->quit = true;
	pthread_cond_signal(&t->job_cv);
	pthread_mutex_unlock(&t->mu);
	if (busy) {
		/* Stalled in the sound server: it cannot be joined; it ends with the process. */
		pthread_detach(t->thread);
		return false;
	}
	pthread_join(t->thread, NULL);
	pthread_cond_destroy(&t->job_cv);
	pthread_cond_destroy(&t->done_cv);
	pthread_mutex_destroy(&t->mu);
	free(t);
	return true;
}
