/* The keypad: keys from standard input (a USB numeric keypad is a keyboard). A terminal is put
 * into raw mode (no echo, no line buffering; Ctrl-C still interrupts unless signal_keys is off)
 * and restored by keypad_close, at exit, and on a fatal or quit signal; a pipe or file is read
 * as plain characters.
 *
 * Keys come out spelt as the scripts spell them: "0".."9", "*", "#", "+", "-", "/", ".",
 * "backspace". Enter is "#". A numeric keypad with Num Lock off (escape sequences) gives the same
 * keys. Other printable characters come out as themselves (the dialogue says "no topic on that
 * key"); control characters are dropped. Every key is one press: a phone keypad's keys are single
 * characters (docs/keypad.md), so a key is given as soon as its bytes have come.
 *
 * One owner: the session. Not thread-safe. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#define KEYPAD_KEY_MAX 16 /* longest key name, with its NUL */

struct keypad_config {
	int fd;        /* where keys come from (0: standard input); -1: no device, keypad_feed only */
	bool raw;      /* raw mode when fd is a terminal */
	/* Ctrl-C, Ctrl-Z and Ctrl-\ send their signals (true). Off for a station: its keyboard is
	 * a visitor's, and those keys (and Ctrl-S, Ctrl-V) are then plain bytes, dropped. */
	bool signal_keys;
};

/* Defaults: standard input, raw mode with signal keys. */
void keypad_config_defaults(struct keypad_config *config);

struct keypad;

/* Open the keypad (raw mode when config->raw and the fd is a terminal). Returns 0, or -EIO with
 * "what is wrong (what to do)" in err when the terminal cannot be set up. *out is owned by the
 * caller: keypad_close (which restores the terminal). */
int keypad_open(const struct keypad_config *config, struct keypad **out, char *err,
		size_t errlen);
/* Restore the terminal (if it was changed) and free. Accepts NULL. */
void keypad_close(struct keypad *kp);
/* Restore the terminal now without freeing (idempotent; keypad_close does it too). */
void keypad_restore(struct keypad *kp);

/* Feed raw input bytes (what keypad_read does with what it reads). */
void keypad_feed(struct keypad *kp, const char *bytes, size_t n);

/* Read whatever input is waiting, without blocking, then give the next complete key, if any,
 * into key (KEYPAD_KEY_MAX bytes). Returns 1 (a key), 0 (none yet), or a negative errno on a read
 * error. At end of input, the keys already read are given and then 0 is returned for ever (see
 * keypad_eof). */
int keypad_read(struct keypad *kp, char *key, size_t keylen);

/* True once the input has ended (a pipe closed, /dev/null). */
bool keypad_eof(const struct keypad *kp);
/* The file descriptor to poll (-1 when none or at end of input). */
int keypad_fd(const struct keypad *kp);
/* True when raw mode is on (the terminal was changed). */
bool keypad_is_raw(const struct keypad *kp);
