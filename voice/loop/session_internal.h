/* The session's insides, shared by the files of voice/loop/ that run the loop (as libinput's
 * evdev-mt-touchpad.h is for its touchpad files): session.c (the loop: the dialogue's events
 * and actions, playing), microphone.c (reading the source, feeding the endpointer, keys) and
 * utterance.c (what the endpointer found: decoded, speculatively too, and handed on). Not for
 * use outside voice/loop/. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "playback.h"
#include "session.h"
#include "speculation.h"
#include "turn_log.h"

/* The loop's step: 20 ms of microphone, or 20 ms of reply, at a time. Short enough that a key
 * stops speech at once, long enough that a conversation of minutes costs little. */
#define SESSION_BLOCK_MS 20
#define SESSION_IN_BLOCK (AUDIO_RATE_HZ * SESSION_BLOCK_MS / 1000)
/* Samples read from a live source at once: more than ever arrives between two steps. */
#define SESSION_INBUF_MAX 4096
/* The most microphone input one live read takes (one second). */
#define SESSION_DRAIN_MAX AUDIO_RATE_HZ

struct session {
	struct session_config cfg;
	struct session_key *keys;
	size_t n_keys, next_key;
	const struct script_set *set;
	struct recogniser *rec;
	struct synth *synth;
	struct audio_source *src;
	struct audio_sink *sink;
	struct dialogue *dlg;
	struct endpointer *ep;

	bool started, exited, failed;
	const char *lost_device; /* which device failed last: "microphone" or "speaker" */
	bool narrowband_told; /* the sound lacks the band above 4 kHz: said once */

	/* Speculative decoding (NULL when off), and the last pause heard, waiting for the worker
	 * to be free: decoded then if it still holds. */
	struct speculation *spec;
	struct {
		int16_t *pcm;
		size_t n, cap;
		uint64_t end_sample;
		unsigned gen;
		bool pending;
	} pause;
	unsigned dialogue_gen; /* counts the events given to the dialogue */
	int speculated;        /* speculative decodes run since the last turn began */

	/* What is being said. */
	struct playback pb;
	bool notify_done;    /* tell the dialogue PLAYBACK_DONE when the queue is empty */
	bool listen_pending; /* start listening when the queue is empty */
	double in_owed;      /* microphone samples owed for reply written (simulated) */

	/* Push to talk: a key was pressed, the next listening opens the microphone (armed), and
	 * the microphone is open for one utterance (open). */
	bool ptt_armed, ptt_open;

	/* converse --turns */
	size_t next_turn;
	uint64_t appended;   /* samples given to the memory source */
	uint64_t consumed;   /* samples read from the source */
	bool source_dry;

	/* A key caught by the sink's abort check (live), handled after the write returns. */
	char caught_key[KEYPAD_KEY_MAX];
	bool has_caught_key;

	double t_created;
	double t_decision;
	bool measuring;
	struct turn_log turn, prev;
	int turn_no;
	int n_recorded;
	struct session_stats stats;

	/* The languages (a copy of the array, its contents borrowed) with a dialogue each, the one
	 * spoken now (set and dlg above are its), and the language choice: being said or waited
	 * for (choosing), or waited for quietly after a station's reset (choice_quiet: a digit
	 * chooses, other keys say it, speech the main language hears goes to its dialogue). */
	struct session_language *langs;
	struct dialogue **dlgs;
	size_t n_langs, lang;
	bool choosing, choice_quiet;
	int choice_silences;
	enum { CHOICE_NONE, CHOICE_SAY, CHOICE_QUIET } to_choice; /* after this event */

	int16_t inbuf[SESSION_INBUF_MAX];
};

/* keys.c: a sorted copy of keys[0..n) (NULL when n is 0), owned by the caller (free). */
struct session_key *session_keys_sorted(const struct session_key *keys, size_t n);

/* session.c: the loop's steps the language choice uses too. */
void session_dispatch(struct session *s, const struct dialogue_event *ev);
void session_turn_begin(struct session *s, const char *event);
void session_stop_playback(struct session *s);
void session_start_listening(struct session *s);

/* language_choice.c. The languages of config (or `set` alone, heard) with a dialogue each,
 * speaking config.language. Returns 0 or -EINVAL with err. */
int session_languages_init(struct session *s, const struct script_set *set, char *err,
			   size_t errlen);
/* Free the dialogues and the copy of the languages. */
void session_languages_done(struct session *s);
/* A dialogue for each of langs[0..n) (*out owned by the caller, n long). */
int session_dialogues_create(const struct session *s, const struct session_language *langs,
			     size_t n, struct dialogue ***out, char *err, size_t errlen);
/* Serve langs[0..n): with new dialogues `dlgs` (taken) from config.language, waiting; or, with
 * NULL, the same sets in their dialogues where they were (only the voices and lexicons new). */
void session_languages_set(struct session *s, const struct session_language *langs, size_t n,
			   struct dialogue **dlgs);
/* The choice is offered (two or more languages, none fixed). */
bool session_choice_on(const struct session *s);
/* Speak language i from now on (its set, dialogue and voice). */
void session_language_use(struct session *s, size_t i);
/* Begin the choice: say it, or (quiet) wait for the next person in the main language. */
void session_choice_begin(struct session *s, bool quiet);
/* A key, a silence, or the choice said to its end, while choosing. */
void session_choice_key(struct session *s, const char *key);
void session_choice_silence(struct session *s);
void session_choice_said(struct session *s);
/* Who is listening for the person: the dialogue, or the choice. */
bool session_listening(const struct session *s);

/* session.c. A key pressed. */
void session_on_key(struct session *s, const char *key);
/* Write turn t to the log and the counts (if it counts as a turn). */
void session_turn_write(struct session *s, struct turn_log *t);
/* The language spoken now has a recogniser, and no choice of language is being said. */
bool session_hearing(const struct session *s);
/* Speech now is nobody's question: push to talk before a key, or nothing hears it. */
bool session_microphone_closed(const struct session *s);

/* utterance.c: what the microphone side found. */
void session_on_utterance(struct session *s, const struct endpointer_event *ev);
void session_on_silence(struct session *s, const struct endpointer_event *ev);
void session_on_pause(struct session *s, const struct endpointer_event *ev);
/* Start decoding a pause that came while the worker was busy, once it is free. */
void session_speculation_poll(struct session *s);

/* microphone.c. Save an utterance as the next WAV file of cfg.record_dir. */
void session_record_utterance(struct session *s, const struct endpointer_event *ev);
/* Read up to `want` samples (simulated: exactly `want`, silence after the end)
 * and act on them. */
int session_read_input(struct session *s, size_t want, char *err, size_t errlen);
/* Handle the keys due now: caught by the sink, scheduled (simulated), or the keypad's. */
void session_check_keys(struct session *s);
/* Listen for one block. Returns 1 when the (simulated) input has ended. */
int session_listen_block(struct session *s, char *err, size_t errlen);
