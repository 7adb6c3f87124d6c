/* The live assistant's status line (docs/status.md): one line on the terminal each time the
 * conversation moves (listening, heard, a key, speaking) or a sound device is lost or back, so a
 * family worker beside a parent sees that it listens, what it decided and that the microphone
 * works. The words heard are shown only when asked (--log-words), as in the turn log.
 *
 * The session fills a struct status_event and calls status_emit; status_format makes the line
 * alone, so it is tested without a terminal. One owner: the command that created it (the live
 * assistant, never the station: a public screen must not show the last visitor's topic). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum status_kind {
	STATUS_LISTENING,   /* the assistant waits for the person to speak */
	STATUS_HEARD,       /* an utterance decoded: intent, decision, words */
	STATUS_KEY,         /* a key pressed: key */
	STATUS_SPEAKING,    /* a reply begins: said[0..n_said) */
	STATUS_DEVICE_LOST, /* device failed: detail says how */
	STATUS_DEVICE_BACK, /* the devices answer again after a loss */
};

struct status_event {
	enum status_kind kind;
	const char *intent;   /* HEARD: a topic id or "control:NAME"; NULL: nothing understood */
	const char *decision; /* HEARD: "answer", "confirm" or "reject" */
	const char *words;    /* HEARD: the words heard (shown only with `words`), or NULL */
	const char *key;      /* KEY */
	/* SPEAKING: the names of the items said ("topic:ID", "prompt:NAME"), n_said of them */
	const char *const *said;
	size_t n_said;
	const char *device;   /* DEVICE_*: "microphone" or "speaker" ("sound devices": unknown) */
	const char *detail;   /* DEVICE_LOST: the error, or NULL */
};

/* Format the line for `ev` into buf (no newline; cut to buflen). The words heard are in it only
 * when `words`. Returns buf. */
const char *status_format(const struct status_event *ev, bool words, char *buf, size_t buflen);

struct status;

/* A status line writer to `out` (borrowed: stdout on a terminal), with the words heard when
 * `words` (--log-words). Returns the writer, owned by the caller: status_destroy. */
struct status *status_create(FILE *out, bool words);
void status_destroy(struct status *st);

/* Write the line for `ev` with the time of day ("17:06:40 listening"), unless it is the line
 * written last (listening again after a reprompt says nothing new). `st` may be NULL: nothing
 * is written. */
void status_emit(struct status *st, const struct status_event *ev);
