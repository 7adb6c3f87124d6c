/* PortAudio's own messages. Its ALSA host API reports every failed call (a device that cannot be
 * opened, a sound server that died) as "Expression '...' failed in 'src/hostapi/alsa/...', line:
 * N" through PaUtil_DebugPrint, which writes to stdio's stderr; Debian's libportaudio.so.2 does
 * not export PaUtil_SetDebugPrintFunction to redirect it. So while the filter is installed, the
 * process's stderr is a stream that drops exactly those lines and passes everything else on to
 * the stream it replaced. It works for every thread (PortAudio's callback thread prints too), and
 * no file descriptor changes. */
#include "audio_internal.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#define NOISE_START "Expression '"
#define NOISE_MARK "' failed in '"
/* A held line longer than this is not PortAudio's: it is passed on. */
#define HOLD_MAX 1024

enum hold_state {
	LINE_START, /* at the start of a line, or holding what may be PortAudio's */
	LINE_PASS,  /* the rest of this line goes out */
	LINE_DROP,  /* the rest of this line is PortAudio's */
};

struct filter {
	/* Writers on several threads: the stream's own lock is glibc's, invisible to
	 * ThreadSanitizer and not taken by the _unlocked calls, so the line state has its own. */
	pthread_mutex_t lock;
	FILE *out; /* the stream it replaced */
	enum hold_state state;
	char held[HOLD_MAX];
	size_t n_held;
};

/* stderr is the process's, so the filter is too: one owner, the audio system (installed by
 * audio_system_create, removed by audio_system_destroy). */
static FILE *filtered, *replaced;

static void release(struct filter *f)
{
	fwrite(f->held, 1, f->n_held, f->out);
	f->n_held = 0;
}

/* One byte of a line being held: decide as soon as the line shows what it is. */
static void hold(struct filter *f, char c)
{
	f->held[f->n_held++] = c;
	size_t start = sizeof(NOISE_START) - 1;
	size_t cmp = f->n_held < start ? f->n_held : start;
	if (memcmp(f->held, NOISE_START, cmp) != 0) {
		release(f);
		f->state = c == '\n' ? LINE_START : LINE_PASS;
		return;
	}
	if (f->n_held > start && c == '\'' &&
	    memmem(f->held, f->n_held, NOISE_MARK, sizeof(NOISE_MARK) - 1)) {
		f->n_held = 0;
		f->state = LINE_DROP;
		return;
	}
	if (c == '\n' || f->n_held == sizeof(f->held)) {
		release(f);
		f->state = c == '\n' ? LINE_START : LINE_PASS;
	}
}

static ssize_t filter_write(void *cookie, const char *buf, size_t size)
{
	struct filter *f = cookie;
	pthread_mutex_lock(&f->lock);
	size_t i = 0;
	while (i < size) {
		if (f->state == LINE_START) {
			hold(f, buf[i++]);
			continue;
		}
		const char *nl = memchr(buf + i, '\n', size - i);
		size_t k = nl ? (size_t)(nl - (buf + i)) + 1 : size - i;
		if (f->state == LINE_PASS)
			fwrite(buf + i, 1, k, f->out);
		if (nl)
			f->state = LINE_START;
		i += k;
	}
	fflush(f->out);
	pthread_mutex_unlock(&f->lock);
	return (ssize_t)size;
}

static int filter_close(void *cookie)
{
	struct filter *f = cookie;
	release(f);
	fflush(f->out);
	pthread_mutex_destroy(&f->lock);
	free(f);
	return 0;
}

int audio_stderr_filter_install(void)
{
	if (filtered)
		return 0;
	struct filter *f = calloc(1, sizeof(*f));
	if (!f)
		return -ENOMEM;
	pthread_mutex_init(&f->lock, NULL);
	f->out = stderr;
	cookie_io_functions_t io = { .write = filter_write, .close = filter_close };
	FILE *s = fopencookie(f, "w", io);
	if (!s) {
		int e = errno;
		pthread_mutex_destroy(&f->lock);
		free(f);
		return -e;
	}
	/* Whole lines reach filter_write, as unbuffered stderr's writers expect them out. */
	setvbuf(s, NULL, _IOLBF, BUFSIZ);
	fflush(stderr);
	replaced = stderr;
	filtered = s;
	stderr = s;
	return 0;
}

void audio_stderr_filter_remove(void)
{
	if (!filtered)
		return;
	stderr = replaced;
	fclose(filtered);
	filtered = NULL;
	replaced = NULL;
}
