/* libFuzzer target: bytes from the keypad (voice/loop/keypad.c). The first byte sets the wait
 * for a longer key (x10 ms), the second which long keys are in use. Then, fed through
 * keypad_feed: 0xff T lets T x16 ms pass and reads every key due, 0xfe turns the wait off or on,
 * any other byte is typed. Then the same bytes come through a pipe to keypad_read until the end
 * of input. Every key must be what keypad.h promises: 1 to KEYPAD_KEY_MAX - 1 printable ASCII
 * characters; keypad_timeout_ms within the wait; and after the end of input nothing is left. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "keypad.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const long_key_sets[][5] = {
	{ NULL },
	{ "10", "11", "12", NULL },
	{ "10", "100", "1000", NULL },
	{ "99", "123456789012345", "1234567890123456", "1", NULL },
};

static void check_key(const char *key)
{
	size_t n = strlen(key);
	if (n == 0 || n >= KEYPAD_KEY_MAX)
		abort();
	for (const char *p = key; *p; p++)
		if (*p <= ' ' || *p >= 0x7f)
			abort();
}

/* Read every key due at now; returns how many. */
static int drain(struct keypad *kp, long now, int wait_ms)
{
	char key[KEYPAD_KEY_MAX];
	int n = 0, r;
	int t = keypad_timeout_ms(kp, now);
	if (t < -1 || t > wait_ms)
		abort();
	while ((r = keypad_read(kp, now, key, sizeof key)) == 1) {
		check_key(key);
		n++;
	}
	if (r < 0)
		abort();
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	struct keypad_config cfg;
	keypad_config_defaults(&cfg);
	cfg.fd = -1;
	cfg.wait_ms = data[0] * 10;
	cfg.long_keys = long_key_sets[data[1] % 4];
	data += 2, size -= 2;
	char err[256];
	struct keypad *kp;
	if (keypad_open(&cfg, &kp, err, sizeof err) != 0)
		abort();
	long now = 0;
	bool wait = true;
	for (size_t i = 0; i < size; i++) {
		if (data[i] == 0xff && i + 1 < size) {
			now += data[++i] * 16L;
			drain(kp, now, cfg.wait_ms);
		} else if (data[i] == 0xfe) {
			keypad_set_wait(kp, wait = !wait);
		} else {
			keypad_feed(kp, (const char *)&data[i], 1, now);
		}
	}
	drain(kp, now + cfg.wait_ms, cfg.wait_ms);
	if (keypad_timeout_ms(kp, now + cfg.wait_ms) != -1)
		abort(); /* nothing waits once the wait is over */
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
	now = 0;
	for (int rounds = 0; !keypad_eof(kp) && rounds < 10000; rounds++)
		drain(kp, now++, cfg.wait_ms);
	if (!keypad_eof(kp) || keypad_fd(kp) != -1)
		abort();
	drain(kp, now, cfg.wait_ms);
	char key[KEYPAD_KEY_MAX];
	if (keypad_read(kp, now + cfg.wait_ms + 1, key, sizeof key) != 0)
		abort(); /* at the end of input, waiting digits were given */
	keypad_close(kp);
	close(fds[0]);
	return 0;
}
