/* The keypad over a pipe (what standard input is under a station's service manager or a test):
 * key names, Enter as "#", backspace, Num-Lock-off escape sequences, digits at once, and the end
 * of input. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "keypad.h"

struct fixture {
	int fds[2];
	struct keypad *kp;
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	assert_non_null(fx);
	assert_int_equal(pipe(fx->fds), 0);
	struct keypad_config cfg;
	keypad_config_defaults(&cfg);
	cfg.fd = fx->fds[0];
	char err[256];
	assert_int_equal(keypad_open(&cfg, &fx->kp, err, sizeof(err)), 0);
	/* A pipe is not a terminal: nothing to put into raw mode. */
	assert_false(keypad_is_raw(fx->kp));
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	keypad_close(fx->kp);
	close(fx->fds[0]);
	if (fx->fds[1] >= 0)
		close(fx->fds[1]);
	free(fx);
	return 0;
}

static void type(struct fixture *fx, const char *s)
{
	assert_int_equal(write(fx->fds[1], s, strlen(s)), (ssize_t)strlen(s));
}

/* All keys available now, space-separated. */
static char *keys(struct fixture *fx)
{
	static char out[512];
	out[0] = '\0';
	char key[KEYPAD_KEY_MAX];
	int r;
	while ((r = keypad_read(fx->kp, key, sizeof(key))) == 1) {
		if (out[0])
			strcat(out, " ");
		strcat(out, key);
	}
	assert_int_equal(r, 0);
	return out;
}

static void test_single_keys(void **state)
{
	struct fixture *fx = *state;
	type(fx, "5*#+-/.0\x7f\b");
	assert_string_equal(keys(fx), "5 * # + - / . 0 backspace backspace");
	assert_string_equal(keys(fx), "");
}

static void test_enter_is_hash(void **state)
{
	struct fixture *fx = *state;
	type(fx, "\n\r\r\n");
	/* "\r\n" is one Enter. */
	assert_string_equal(keys(fx), "# # #");
}

/* Every digit is a key of its own, given at once: "12" is 1 then 2, also before "#" or Enter. */
static void test_digits_at_once(void **state)
{
	struct fixture *fx = *state;
	type(fx, "1");
	assert_string_equal(keys(fx), "1");
	type(fx, "1215");
	assert_string_equal(keys(fx), "1 2 1 5");
	type(fx, "1#2\n");
	assert_string_equal(keys(fx), "1 # 2 #");
}

/* Without a device (fd -1), keys come only from keypad_feed. */
static void test_feed_without_device(void **state)
{
	(void)state;
	struct keypad_config cfg;
	keypad_config_defaults(&cfg);
	cfg.fd = -1;
	struct keypad *kp;
	char err[64];
	assert_int_equal(keypad_open(&cfg, &kp, err, sizeof(err)), 0);
	keypad_feed(kp, "12", 2);
	char key[KEYPAD_KEY_MAX];
	assert_int_equal(keypad_read(kp, key, sizeof(key)), 1);
	assert_string_equal(key, "1");
	assert_int_equal(keypad_read(kp, key, sizeof(key)), 1);
	assert_string_equal(key, "2");
	assert_int_equal(keypad_read(kp, key, sizeof(key)), 0);
	assert_int_equal(keypad_fd(kp), -1);
	keypad_close(kp);
}

/* Num Lock off: the keypad sends escape sequences; application mode sends ESC O x. */
static void test_escape_sequences(void **state)
{
	struct fixture *fx = *state;
	type(fx, "\x1b[2~\x1b[B\x1b[6~\x1b[3~");
	assert_string_equal(keys(fx), "0 2 3 .");
	type(fx, "\x1bOp\x1bOy\x1bOM\x1bOj\x1bOk\x1bOm\x1bOo");
	assert_string_equal(keys(fx), "0 9 # * + - /");
	/* Num Lock off "1" (End) then "2" (down). */
	type(fx, "\x1b[F\x1b[B");
	assert_string_equal(keys(fx), "1 2");
	/* Unknown sequences (F1) are dropped; a lone Escape too. */
	type(fx, "\x1bOP\x1b[15~\x1b" "5");
	assert_string_equal(keys(fx), "5");
}

static void test_other_characters(void **state)
{
	struct fixture *fx = *state;
	type(fx, "a \t\x01Z");
	assert_string_equal(keys(fx), "a Z");
}

/* The end of input gives the keys already typed, then nothing for ever. */
static void test_end_of_input(void **state)
{
	struct fixture *fx = *state;
	type(fx, "1");
	close(fx->fds[1]);
	fx->fds[1] = -1;
	assert_false(keypad_eof(fx->kp));
	assert_string_equal(keys(fx), "1");
	assert_true(keypad_eof(fx->kp));
	assert_int_equal(keypad_fd(fx->kp), -1);
	assert_string_equal(keys(fx), "");
}

/* A terminal (a pseudo-terminal here): raw mode while open, keys without Enter, and the
 * settings exactly as they were after close. */
static void test_terminal_raw_and_restored(void **state)
{
	(void)state;
	int master = posix_openpt(O_RDWR | O_NOCTTY);
	assert_true(master >= 0);
	assert_int_equal(grantpt(master), 0);
	assert_int_equal(unlockpt(master), 0);
	int slave = open(ptsname(master), O_RDWR | O_NOCTTY);
	assert_true(slave >= 0);
	struct termios before, during, after;
	assert_int_equal(tcgetattr(slave, &before), 0);
	assert_true(before.c_lflag & ICANON);

	struct keypad_config cfg;
	keypad_config_defaults(&cfg);
	cfg.fd = slave;
	struct keypad *kp;
	char err[256];
	assert_int_equal(keypad_open(&cfg, &kp, err, sizeof(err)), 0);
	assert_true(keypad_is_raw(kp));
	assert_int_equal(tcgetattr(slave, &during), 0);
	assert_false(during.c_lflag & ICANON);
	assert_false(during.c_lflag & ECHO);
	/* Ctrl-C must still interrupt: the program restores the terminal on its way out. */
	assert_true(during.c_lflag & ISIG);

	/* A key arrives without Enter. */
	assert_int_equal(write(master, "7", 1), 1);
	char key[KEYPAD_KEY_MAX] = "";
	int got = 0;
	for (int i = 0; i < 200 && got == 0; i++) {
		got = keypad_read(kp, key, sizeof(key));
		if (got == 0)
			usleep(1000);
	}
	assert_int_equal(got, 1);
	assert_string_equal(key, "7");

	keypad_close(kp);
	assert_int_equal(tcgetattr(slave, &after), 0);
	assert_int_equal(after.c_lflag, before.c_lflag);
	assert_int_equal(after.c_iflag, before.c_iflag);
	assert_memory_equal(after.c_cc, before.c_cc, sizeof(before.c_cc));
	close(slave);
	close(master);
}

/* Raw mode can be declined: the terminal is left alone. */
static void test_terminal_not_raw_when_asked(void **state)
{
	(void)state;
	int master = posix_openpt(O_RDWR | O_NOCTTY);
	assert_true(master >= 0);
	assert_int_equal(grantpt(master), 0);
	assert_int_equal(unlockpt(master), 0);
	int slave = open(ptsname(master), O_RDWR | O_NOCTTY);
	assert_true(slave >= 0);
	struct keypad_config cfg;
	keypad_config_defaults(&cfg);
	cfg.fd = slave;
	cfg.raw = false;
	struct keypad *kp;
	char err[256];
	assert_int_equal(keypad_open(&cfg, &kp, err, sizeof(err)), 0);
	assert_false(keypad_is_raw(kp));
	struct termios t;
	assert_int_equal(tcgetattr(slave, &t), 0);
	assert_true(t.c_lflag & ICANON);
	keypad_close(kp);
	close(slave);
	close(master);
}

static void test_close_null(void **state)
{
	(void)state;
	keypad_close(NULL);
	keypad_restore(NULL);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_single_keys),
		T(test_enter_is_hash),
		T(test_digits_at_once),
		cmocka_unit_test(test_feed_without_device),
		T(test_escape_sequences),
		T(test_other_characters),
		T(test_end_of_input),
		cmocka_unit_test(test_terminal_raw_and_restored),
		cmocka_unit_test(test_terminal_not_raw_when_asked),
		cmocka_unit_test(test_close_null),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
