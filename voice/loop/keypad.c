#include "keypad.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "log.h"

#define QUEUE_MAX 32
#define ESC_MAX 8

struct keypad {
	struct keypad_config cfg;
	bool raw;
	struct termios saved;
	bool eof;

	/* An escape sequence being read (Num Lock off, application keypad mode). */
	char esc[ESC_MAX];
	size_t esc_len;
	bool in_esc;
	bool last_cr;

	char queue[QUEUE_MAX][KEYPAD_KEY_MAX];
	size_t q_head, q_len;
};

/* The terminal as it was, for a restore that must work where keypad_close cannot run: at exit()
 * and in the handler of a signal that ends the process (tcsetattr is async-signal-safe). One
 * terminal per process: the last keypad put in raw mode. */
static int term_fd = -1;
static struct termios term_saved;
static volatile sig_atomic_t term_changed;
static const int fatal_signals[] = { SIGQUIT, SIGABRT, SIGSEGV, SIGBUS, SIGFPE, SIGILL };
#define N_FATAL (sizeof(fatal_signals) / sizeof(fatal_signals[0]))
static struct sigaction fatal_old[N_FATAL];
static bool fatal_installed;

static void term_put_back(void)
{
	if (term_changed) {
		tcsetattr(term_fd, TCSANOW, &term_saved);
		term_changed = 0;
	}
}

/* Put the terminal back, then let the signal do what it did before (the default: end the
 * process, with a core for SIGQUIT): the handler that was there runs, or the default. */
static void on_fatal_signal(int sig)
{
	int saved_errno = errno;
	term_put_back();
	for (size_t i = 0; i < N_FATAL; i++)
		if (fatal_signals[i] == sig)
			sigaction(sig, &fatal_old[i], NULL);
	raise(sig);
	errno = saved_errno;
}

static void fatal_handlers_install(void)
{
	static bool at_exit;
	if (!at_exit)
		at_exit = atexit(term_put_back) == 0;
	if (fatal_installed)
		return;
	for (size_t i = 0; i < N_FATAL; i++) {
		struct sigaction sa;
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_fatal_signal;
		sigemptyset(&sa.sa_mask);
		sigaction(fatal_signals[i], &sa, &fatal_old[i]);
	}
	fatal_installed = true;
}

static void fatal_handlers_remove(void)
{
	if (!fatal_installed)
		return;
	for (size_t i = 0; i < N_FATAL; i++)
		sigaction(fatal_signals[i], &fatal_old[i], NULL);
	fatal_installed = false;
}

void keypad_config_defaults(struct keypad_config *config)
{
	*config = (struct keypad_config){
		.fd = 0,
		.raw = true,
		.signal_keys = true,
	};
}

int keypad_open(const struct keypad_config *config, struct keypad **out, char *err,
		size_t errlen)
{
	*out = NULL;
	struct keypad *kp = xcalloc(1, sizeof(*kp));
	if (config)
		kp->cfg = *config;
	else
		keypad_config_defaults(&kp->cfg);

	if (kp->cfg.fd >= 0 && kp->cfg.raw && isatty(kp->cfg.fd)) {
		if (tcgetattr(kp->cfg.fd, &kp->saved) != 0) {
			int e = errno;
			free(kp);
			return errf(err, errlen, -EIO,
				    "cannot read the terminal settings of the keypad: %s "
				    "(run with standard input from a terminal or a pipe)", strerror(e));
		}
		struct termios t = kp->saved;
		/* No line buffering and no echo, so each key arrives when pressed; ISIG stays on
		 * so Ctrl-C still interrupts (the program restores the terminal on its way out),
		 * unless the keyboard must not stop the program: then Ctrl-C, Ctrl-Z, Ctrl-\,
		 * Ctrl-S/Ctrl-Q and Ctrl-V are plain bytes. */
		t.c_lflag &= (tcflag_t)~(ICANON | ECHO);
		if (!kp->cfg.signal_keys) {
			t.c_lflag &= (tcflag_t)~(ISIG | IEXTEN);
			t.c_iflag &= (tcflag_t)~(IXON | IXOFF | IXANY | BRKINT);
		}
		t.c_cc[VMIN] = 1;
		t.c_cc[VTIME] = 0;
		term_fd = kp->cfg.fd;
		term_saved = kp->saved;
		fatal_handlers_install();
		term_changed = 1;
		if (tcsetattr(kp->cfg.fd, TCSANOW, &t) != 0) {
			term_changed = 0;
			fatal_handlers_remove();
			int e = errno;
			free(kp);
			return errf(err, errlen, -EIO,
				    "cannot put the terminal into raw mode for the keypad: %s "
				    "(run with standard input from a terminal or a pipe)", strerror(e));
		}
		kp->raw = true;
	}
	*out = kp;
	return 0;
}

void keypad_restore(struct keypad *kp)
{
	if (!kp || !kp->raw)
		return;
	tcsetattr(kp->cfg.fd, TCSANOW, &kp->saved);
	term_changed = 0;
	fatal_handlers_remove();
	kp->raw = false;
}

void keypad_close(struct keypad *kp)
{
	if (!kp)
		return;
	keypad_restore(kp);
	free(kp);
}

bool keypad_eof(const struct keypad *kp)
{
	return kp->eof;
}

int keypad_fd(const struct keypad *kp)
{
	return kp->eof ? -1 : kp->cfg.fd;
}

bool keypad_is_raw(const struct keypad *kp)
{
	return kp->raw;
}

static void push(struct keypad *kp, const char *key)
{
	if (kp->q_len == QUEUE_MAX)
		return; /* a person cannot press 32 keys between two reads: drop the excess */
	size_t at = (kp->q_head + kp->q_len) % QUEUE_MAX;
	snprintf(kp->queue[at], KEYPAD_KEY_MAX, "%s", key);
	kp->q_len++;
}

/* The key a Num-Lock-off keypad or an application-mode keypad sends as an escape sequence
 * ("[2~" for 0, "Op" for 0 ...), or NULL for sequences that are not keypad keys (arrows on a
 * laptop are the keypad's 2/4/6/8: a person at a station may well press them). */
static const char *esc_key(const char *seq)
{
	static const struct {
		const char *seq, *key;
	} map[] = {
		{ "[2~", "0" }, { "[F", "1" },  { "[4~", "1" }, { "[8~", "1" }, { "[B", "2" },
		{ "[6~", "3" }, { "[D", "4" },  { "[E", "5" },  { "[G", "5" },  { "[C", "6" },
		{ "[H", "7" },  { "[1~", "7" }, { "[7~", "7" }, { "[A", "8" },  { "[5~", "9" },
		{ "[3~", "." }, { "Op", "0" },  { "Oq", "1" },  { "Or", "2" },  { "Os", "3" },
		{ "Ot", "4" },  { "Ou", "5" },  { "Ov", "6" },  { "Ow", "7" },  { "Ox", "8" },
		{ "Oy", "9" },  { "OM", "#" },  { "Oj", "*" },  { "Ok", "+" },  { "Om", "-" },
		{ "On", "." },  { "Oo", "/" },  { "OF", "1" },  { "OH", "7" },  { "OA", "8" },
		{ "OB", "2" },  { "OC", "6" },  { "OD", "4" },  { "OE", "5" },
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(map[i].seq, seq) == 0)
			return map[i].key;
	return NULL;
}

static void byte(struct keypad *kp, unsigned char c);

static void esc_byte(struct keypad *kp, unsigned char c)
{
	if (kp->esc_len == 0) {
		if (c == '[' || c == 'O') {
			kp->esc[kp->esc_len++] = (char)c;
			return;
		}
		/* A lone Escape: drop it and read this byte as usual. */
		kp->in_esc = false;
		byte(kp, c);
		return;
	}
	if (kp->esc_len < ESC_MAX - 1)
		kp->esc[kp->esc_len++] = (char)c;
	bool final = kp->esc[0] == 'O' ? true : (c >= 0x40 && c <= 0x7e);
	if (!final && kp->esc_len < ESC_MAX - 1)
		return;
	kp->esc[kp->esc_len] = '\0';
	kp->in_esc = false;
	kp->esc_len = 0;
	const char *key = esc_key(kp->esc);
	if (key)
		push(kp, key);
}

static void byte(struct keypad *kp, unsigned char c)
{
	bool was_cr = kp->last_cr;
	kp->last_cr = false;
	if (kp->in_esc) {
		esc_byte(kp, c);
		return;
	}
	switch (c) {
	case 0x1b:
		kp->in_esc = true;
		kp->esc_len = 0;
		return;
	case '\r':
		kp->last_cr = true;
		push(kp, "#");
		return;
	case '\n':
		if (!was_cr) /* "\r\n" is one Enter */
			push(kp, "#");
		return;
	case 0x7f:
	case 0x08:
		push(kp, "backspace");
		return;
	default:
		break;
	}
	if (c > ' ' && c < 0x7f) {
		char key[2] = { (char)c, '\0' };
		push(kp, key);
	}
	/* Spaces, other control characters and UTF-8 bytes are not keys. */
}

void keypad_feed(struct keypad *kp, const char *bytes, size_t n)
{
	for (size_t i = 0; i < n; i++)
		byte(kp, (unsigned char)bytes[i]);
}

static int read_input(struct keypad *kp)
{
	if (kp->cfg.fd < 0 || kp->eof)
		return 0;
	for (int rounds = 0; rounds < 8; rounds++) {
		struct pollfd p = { .fd = kp->cfg.fd, .events = POLLIN };
		int r = poll(&p, 1, 0);
		if (r < 0)
			return errno == EINTR ? 0 : -errno;
		if (r == 0)
			return 0;
		char buf[256];
		ssize_t got = read(kp->cfg.fd, buf, sizeof(buf));
		if (got < 0) {
			if (errno == EINTR || errno == EAGAIN)
				return 0;
			return -errno;
		}
		if (got == 0) {
			kp->eof = true;
			kp->in_esc = false;
			return 0;
		}
		keypad_feed(kp, buf, (size_t)got);
	}
	return 0;
}

int keypad_read(struct keypad *kp, char *key, size_t keylen)
{
	int r = read_input(kp);
	if (kp->q_len > 0) {
		snprintf(key, keylen, "%s", kp->queue[kp->q_head]);
		kp->q_head = (kp->q_head + 1) % QUEUE_MAX;
		kp->q_len--;
		return 1;
	}
	return r < 0 ? r : 0;
}
