/* Endpointing: where an utterance starts and ends in a running 16 kHz microphone stream.
 * Pure logic (no I/O, no clock: time is the count of samples fed).
 *
 * Frame energy (dB, after a 120 Hz high-pass so DC offset, hum and rumble do not count, averaged
 * over 30 ms) against an adaptive noise floor: the floor follows quiet frames down quickly
 * and rises at most floor_rise_db_s towards the quietest frame of the last 1.5 s (minimum
 * statistics), so a steady noise (a fan, a hum) becomes the floor within seconds and
 * only louder sound counts as speech. Speech starts after a few frames above floor + start
 * threshold; ~300 ms of pre-roll before it is kept; it ends after a trailing-silence window below
 * floor + end threshold; a maximum utterance length cuts endless sound (a television must not
 * hold the microphone open forever), and a no-speech timeout reports silence. The utterance
 * handed over keeps only the first kept_silence_ms of that window: the recogniser needs a little
 * quiet after the last word, not all of it. With pause_events, a pause of kept_silence_ms in
 * speech is reported with the utterance as it will be if the quiet lasts, so a caller can start
 * decoding it while the rest of the window runs (speculative decoding).
 *
 * One owner: whoever created it (the loop, a test). Not thread-safe. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct endpointer_config {
	int rate_hz;               /* 16000 (AUDIO_RATE_HZ); other rates work, in samples */
	int frame_ms;              /* analysis frame, 10 */
	int preroll_ms;            /* kept before the detected start, 300 */
	int start_ms;              /* this long above the start threshold starts speech, 60 */
	int trailing_silence_ms;   /* quiet this long ends the utterance, 700 (at most 700) */
	/* Of that quiet, the utterance's samples keep this much, 200: measured on the recognition
	 * benchmark, 200 ms hears as well as 700 and costs less to decode. */
	int kept_silence_ms;
	/* Report ENDPOINTER_SPEECH_PAUSE (false). */
	bool pause_events;
	int max_utterance_ms;      /* an utterance is cut at this length, 10000 */
	int no_speech_timeout_ms;  /* listening this long without speech: timeout, 8000; 0 never */
	double start_db;           /* energy above the noise floor that counts as speech, 12 */
	double end_db;             /* below floor + this is quiet (hysteresis), 8 */
	/* Also quiet: this far below the loudest frame of the utterance so far, 15 (0: off). Other
	 * voices (a television, people talking) keep the floor-relative test from ever seeing
	 * quiet; the person asking is the nearest voice and much louder than them. */
	double end_below_peak_db;
	double min_speech_db;      /* absolute level (dBFS) below which nothing is speech, -55 */
	double floor_rise_db_s;    /* how fast the floor rises towards louder sound, 20 dB/s */
	int floor_window_ms;       /* the floor follows the quietest frame of this window, 1500 */
	int min_speech_ms;         /* an utterance shorter than this (a click) is dropped, 150 */
};

/* Fill `config` with the defaults above. */
void endpointer_config_defaults(struct endpointer_config *config);

enum endpointer_event_type {
	ENDPOINTER_NONE,         /* nothing yet: every sample was consumed */
	ENDPOINTER_SPEECH_START, /* speech began (start_sample) */
	ENDPOINTER_UTTERANCE,    /* an utterance is ready: samples/n, positions below */
	ENDPOINTER_TIMEOUT,      /* listened no_speech_timeout_ms without speech */
	/* pause_events: kept_silence_ms of quiet after speech (and shorter than the trailing
	 * window). samples/n, start/end/first_sample are what UTTERANCE will hold if the quiet lasts
	 * to the endpoint; UTTERANCE then has the same end_sample. Speech may come back instead: then
	 * a later PAUSE or UTTERANCE has a later end_sample. At most one per pause. */
	ENDPOINTER_SPEECH_PAUSE,
};

/* Positions are sample counts since endpointer_create (seconds = position / rate_hz). */
struct endpointer_event {
	enum endpointer_event_type type;
	uint64_t start_sample;    /* first speech frame (SPEECH_START, UTTERANCE, SPEECH_PAUSE) */
	uint64_t end_sample;      /* end of the last speech frame (UTTERANCE, SPEECH_PAUSE) */
	uint64_t endpoint_sample; /* where the decision was taken (every event) */
	uint64_t first_sample;    /* first sample of `samples`: start_sample minus the pre-roll */
	/* UTTERANCE, SPEECH_PAUSE: pre-roll + speech + kept_silence_ms of the quiet after it (all
	 * of a cut utterance). Owned by the endpointer, valid until the next feed, listen, pause or
	 * destroy. */
	const int16_t *samples;
	size_t n;
	bool cut;                 /* UTTERANCE ended by max_utterance_ms, not by silence */
	double noise_floor_db;    /* the floor when the event happened (for logs/tuning) */
};

struct endpointer;

/* Create one; it starts listening at once. Returns 0 or -EINVAL with err (bad config). *out is
 * owned by the caller: endpointer_destroy. */
int endpointer_create(const struct endpointer_config *config, struct endpointer **out, char *err,
		      size_t errlen);
void endpointer_destroy(struct endpointer *ep);

/* Feed samples. Processes frames until one produces an event, and returns how many samples it
 * consumed (call again with the rest); *ev says what happened (ENDPOINTER_NONE when all n were
 * consumed without an event). After UTTERANCE or TIMEOUT the endpointer stops listening (the
 * noise floor and pre-roll still follow what is fed) until endpointer_listen. */
size_t endpointer_feed(struct endpointer *ep, const int16_t *samples, size_t n,
		       struct endpointer_event *ev);

/* Start listening now: a new utterance may begin, and the no-speech timeout counts from here.
 * Any utterance in progress is dropped. */
void endpointer_listen(struct endpointer *ep);
/* Listen again after an utterance, the no-speech timeout still counting from the last
 * endpointer_listen (the utterance was only the room's own sound, not someone's turn). */
void endpointer_listen_on(struct endpointer *ep);
/* Stop listening (e.g. while the assistant speaks); an utterance in progress is dropped. */
void endpointer_pause(struct endpointer *ep);
bool endpointer_listening(const struct endpointer *ep);
/* True between SPEECH_START and the utterance's end. */
bool endpointer_in_speech(const struct endpointer *ep);
/* In speech: the end of the last loud frame so far (the end_sample an utterance ending now
 * would have); 0 otherwise. */
uint64_t endpointer_speech_end(const struct endpointer *ep);
/* Samples fed so far, and the current noise floor in dBFS. */
uint64_t endpointer_position(const struct endpointer *ep);
double endpointer_noise_floor_db(const struct endpointer *ep);
