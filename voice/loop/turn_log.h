/* The JSON turn log (private to voice/loop/): one object per line for each event the person
 * caused (or the start), and what was said back. The session fills a struct turn_log as the turn
 * goes and writes it once nothing can change it any more. */
#pragma once

#include <stdbool.h>
#include <stdio.h>

#include "keypad.h"

/* Items named in one turn's "said", and the room for each name ("topic:ID", "prompt:NAME"). */
#define TURN_SAID_MAX 48
#define TURN_SAID_LEN 96

struct turn_log {
	bool open;
	int number;
	const char *event; /* "start", "speech", "key", "silence" */
	bool has_speech;
	double speech_start_s, speech_end_s;
	double endpoint_s;
	bool has_heard;
	char heard[512];
	char intent[128];
	bool has_intent;
	double confidence;
	const char *decision;
	bool noisy; /* heard in a room too noisy to hear well (recognition.noisy) */
	char key[KEYPAD_KEY_MAX];
	bool has_key;
	char said[TURN_SAID_MAX][TURN_SAID_LEN];
	size_t n_said;
	bool has_compute;
	double compute_ms;
	bool has_decode;
	double decode_ms; /* of compute_ms, the recogniser's share */
	bool has_speculative;
	double speculative_ms; /* wall time of the speculative decode whose result was used */
	int speculated;        /* speculative decodes run since the turn before */
	bool interrupted;
	/* The reply was cut off by a lost or stalled sound device: what it was to say is logged as
	 * "cut_off", not as "said". */
	bool cut_off;
	bool reset;
	const char *language; /* the code of the language the reply was in (two or more), or NULL */
};

/* Close `t` (if open) and write it as one line to f (NULL: nothing written); the words heard
 * ("heard") only when `words`, else ids, decisions and timings only. Returns true when it was
 * open and counts as a turn: a silence nothing was said to (a station waiting all day) does
 * not, and is not written. */
bool turn_log_write(struct turn_log *t, FILE *f, bool words);
