/* libFuzzer target: bytes from the keypad (voice/loop/keypad.c). Fed through keypad_feed: 0xff
 * reads every key there is, any other byte is typed. Then the same bytes come through a pipe to
 * keypad_read until the end of input. Every key must be what keypad.h promises: 1 to
 * KEYPAD_KEY_MAX - 1 printable ASCII characters; and after the end of input nothing is left. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "keypad.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_key(const char *key)
{
	size_t n = strlen(key);
	if (n == 0 || n >= KEYPAD_KEY_MAX)
		abort();
	for (const char *p = key; *p; p++)
		if (*p <= ' ' || *p >= 0x7f)
			abort();
}

/* Read every key there is; returns how many. */
static int drain(struct keypad *kp)
{
	char key[KEYPAD_KEY_MAX];
	int n = 0, r;
	while ((r = keypad_read(kp, key, sizeof key)) == 1) {
		check_key(key);
		n++;
	}
	if (r < 0)
		abort();
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct keypad_config cfg;
	keypad_config_defaults(&cfg);
	cfg.fd = -1;
	char err[256];
	struct keypad *kp;
	if (keypad_open(&cfg, &kp, err, sizeof err) != 0)
		abort();
	for (size_t i = 0; i < size; i++) {
		if (data[i] == 0xff)
			drain(kp);
		else
			keypad_feed(kp, (const char *)&data[i], 1);
	}
	drain(kp);
	char key[KEYPAD_KEY_MAX];
	if (keypad_read(kp, key, sizeof key) != 0)
		abort(); /* every key was given by the drain */
	keypad_close(kp);

	/* The same bytes through a pipe, as standard input from a file or a pipe is read. */
	int fds[2];
	if (size > 60000 || pipe(fds) != 0)
		return 0;
	if (write(fds[1], data, size) != (ssize_t)size)
		abort();
	close(fds[1]);
	cfg.fd = fds[0];
	if (keypad_open(&cfg, &kp, err, sizeof err) != 0)
		abort();
	for (int rounds = 0; !keypad_eof(kp) && rounds < 10000; rounds++)
		drain(kp);
	if (!keypad_eof(kp) || keypad_fd(kp) != -1)
		abort();
	drain(kp);
	if (keypad_read(kp, key, sizeof key) != 0)
		abort(); /* at the end of input, every key was given */
	keypad_close(kp);
	close(fds[0]);
	return 0;
}
