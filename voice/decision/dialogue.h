/* The conversation: a pure state machine. Events in (an utterance's recognition result, a key, a
 * silence timeout, playback finished), actions out (say these items, stop speech, listen, change
 * the speech rate, reset, exit). No I/O but debug logs, no clock, no audio: the session
 * (voice/loop/session.h) turns actions into sound and devices into events, and tests drive it
 * directly. States: enum dialogue_state, named by dialogue_state_name.
 *
 * Everything said comes from the script set: topic answers, topic "more", and prompts by name
 * (greeting, menu-item, confirm, ...). The rules are DESIGN.md's conversation rules; each is
 * described where it is implemented (dialogue.c: which rule an event calls for in which state;
 * dialogue_reply.c: what the rule says).
 *
 * One owner: whoever created it (the session, a test). Not thread-safe. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "intent.h"
#include "recognition.h"
#include "script.h"

enum dialogue_event_type {
	DIALOGUE_EVENT_START,                /* the program starts: greet */
	DIALOGUE_EVENT_UTTERANCE,            /* the recogniser's result for one utterance */
	DIALOGUE_EVENT_KEY,                  /* a keypad key ("5", "*", "#", "backspace") */
	DIALOGUE_EVENT_SILENCE,              /* listening, and nobody spoke within the window */
	DIALOGUE_EVENT_PLAYBACK_DONE,        /* everything asked to be said has been played */
	DIALOGUE_EVENT_PLAYBACK_INTERRUPTED, /* playback ended early for a reason of the sink's */
	DIALOGUE_EVENT_WAIT, /* a new set was loaded: forget, wait quietly for the next person */
};

struct dialogue_event {
	enum dialogue_event_type type;
	/* DIALOGUE_EVENT_UTTERANCE. `heard` NULL or "" means nothing was recognised ("not-heard");
	 * otherwise kind/topic_id/control/decision are the recogniser's (recognition.h). */
	const char *heard;
	enum intent_kind kind;
	const char *topic_id;
	enum control control;
	double confidence;
	enum recognition_decision decision;
	/* A confirmation's close runner-up topic: offer the two as a choice (recognition.h). */
	const char *second_topic_id;
	bool noisy; /* the room was too noisy to hear well (recognition.h) */
	/* DIALOGUE_EVENT_KEY: the key as scripts spell it ("0".."9", "*", "#", or a full keyboard's
	 * "+", "-", "/", ".", "backspace"). What a digit means depends on what was just offered
	 * (keymap.h). */
	const char *key;
};

enum dialogue_item_type {
	DIALOGUE_ITEM_ANSWER, /* entry = a topic: say its say: lines (or its clip:) */
	DIALOGUE_ITEM_MORE,   /* entry = a topic: say its more: lines (or its more-clip:) */
	DIALOGUE_ITEM_PROMPT, /* entry = a prompt; `topic` (or NULL) fills its {title} and {key} */
};

struct dialogue_item {
	enum dialogue_item_type type;
	const struct script_entry *entry;
	/* What a prompt is about (a topic, a menu or a control; or NULL), and the key it is
	 * offered on here (NULL: its own key). Fill with keymap_fill(set, line, topic, key). */
	const struct script_entry *topic;
	const char *key;
};

enum dialogue_action_type {
	/* Stop playback at once and drop what is queued. Playback stopped this way produces no
	 * PLAYBACK_DONE or PLAYBACK_INTERRUPTED event. */
	DIALOGUE_ACTION_STOP_SPEECH,
	/* Say items[0..n_items) in order; send PLAYBACK_DONE once all of it has been played. */
	DIALOGUE_ACTION_SAY,
	/* A short tone (config.listen_tone: before listening, so a person knows it is their turn). */
	DIALOGUE_ACTION_TONE,
	/* Listen for speech and keys; start the no-speech window (SILENCE when it passes), or with
	 * `same_window` go on with the one already started. */
	DIALOGUE_ACTION_LISTEN,
	/* Set the speech rate to `rate_step` steps from the default (negative: slower). */
	DIALOGUE_ACTION_RATE,
	/* Set the output level to `volume_step` steps from the default (negative: quieter). */
	DIALOGUE_ACTION_VOLUME,
	/* A new person: forget the conversation, the rate and level are back to the default. */
	DIALOGUE_ACTION_RESET,
	/* Leave the program (live, not station, after "goodbye" has been said). */
	DIALOGUE_ACTION_EXIT,
	/* Back to the language choice ("0, then 0"; config.choose_language only): the session
	 * says it, and starts the chosen language's dialogue. */
	DIALOGUE_ACTION_LANGUAGE,
};

struct dialogue_action {
	enum dialogue_action_type type;
	const struct dialogue_item *items; /* SAY */
	size_t n_items;
	int rate_step;   /* RATE */
	int volume_step; /* VOLUME */
	bool same_window; /* LISTEN */
};

struct dialogue_config {
	bool station;       /* goodbye resets for the next person instead of exiting */
	int silence_limit;  /* silences in a row before the reset prompt and the greeting (3) */
	int menu_page_size; /* menu items read at once (5, at most 5) */
	int rate_step_min;  /* slowest step (negative); "slowest" is said below it */
	int rate_step_max;  /* fastest step; "fastest" is said above it */
	int volume_step_min; /* quietest step (negative); "quietest" is said below it */
	int volume_step_max; /* loudest step; "loudest" is said above it */
	bool listen_tone;   /* a TONE before each LISTEN */
	/* Act on a confident utterance that arrives while speaking (the microphone keeps running).
	 * Off by default: without echo cancellation the microphone hears the loudspeaker. */
	bool voice_barge_in;
	/* Push to talk (the session's): where the scripts have a prompt NAME-push-to-talk, it is
	 * said instead of NAME (a prompt that asks for speech the microphone will not hear; also
	 * the question asked back, asked again in a room too noisy to hear). */
	bool push_to_talk;
	/* More than one language is installed and none was fixed (--language): the help menu
	 * offers the language control, and 0 there means it (DIALOGUE_ACTION_LANGUAGE). */
	bool choose_language;
};

#define DIALOGUE_PUSH_TO_TALK_SUFFIX "-push-to-talk"

/* Defaults: not a station, 3 silences, 5 items a page, rate steps -3..+3, volume steps -3..+3,
 * no tone, no barge-in, no push to talk, no language choice. */
void dialogue_config_defaults(struct dialogue_config *config);

struct dialogue;

/* Create a dialogue over `set` (which must outlive it). Returns 0, or -EINVAL with "what is
 * wrong (what to do)" in err when the set lacks a prompt or control the dialogue needs. *out is
 * owned by the caller: dialogue_destroy. */
int dialogue_create(const struct script_set *set, const struct dialogue_config *config,
		    struct dialogue **out, char *err, size_t errlen);
void dialogue_destroy(struct dialogue *dlg);

/* Handle one event. Returns the number of actions and points *actions at them, to be carried out
 * in order; they (and their items) stay valid until the next call. Never fails: an event that
 * makes no sense in the current state gives no action or a kind prompt. */
size_t dialogue_handle(struct dialogue *dlg, const struct dialogue_event *event,
		       const struct dialogue_action **actions);

/* Where the conversation is. Who has the floor is apart (dialogue_speaking, _listening): both
 * change at every event, whatever the state. */
enum dialogue_state {
	DIALOGUE_STATE_START,           /* nothing said yet */
	DIALOGUE_STATE_TOP,             /* greeted; no topic chosen */
	DIALOGUE_STATE_MENU,            /* a menu page was read (the main menu, a sub-menu, help) */
	DIALOGUE_STATE_ANSWERED,        /* a topic was answered: more / again / another question */
	DIALOGUE_STATE_CONFIRM_TOPIC,   /* "did you ask about X?", or "did you mean X or Y?" */
	DIALOGUE_STATE_CONFIRM_GOODBYE, /* "do you want to stop?" (a goodbye not heard for sure) */
	DIALOGUE_STATE_IDLE,            /* reset: waiting quietly for the next person, who is
					 * greeted at their first key or words */
};

enum dialogue_state dialogue_state(const struct dialogue *dlg);
/* The state's name for logs: "start", "top", "menu", "answered", "confirm-topic",
 * "confirm-goodbye", "idle". */
const char *dialogue_state_name(enum dialogue_state state);

/* True between a SAY and its PLAYBACK_DONE (and not after STOP_SPEECH). */
bool dialogue_speaking(const struct dialogue *dlg);
/* True after a LISTEN until the next utterance, key or silence. */
bool dialogue_listening(const struct dialogue *dlg);
/* True while asking "did you ask about ...?" or "do you want to stop?" (a CONFIRM state; for
 * recogniser_set_expect). */
bool dialogue_confirming(const struct dialogue *dlg);
/* The current rate step (0 = default). */
int dialogue_rate_step(const struct dialogue *dlg);
/* The current volume step (0 = default). */
int dialogue_volume_step(const struct dialogue *dlg);

/* The log name of an item: "topic:ID" (answer), "more:ID" (a topic's more) or "prompt:NAME";
 * into buf, returns buf. */
const char *dialogue_item_name(const struct dialogue_item *item, char *buf, size_t buflen);
