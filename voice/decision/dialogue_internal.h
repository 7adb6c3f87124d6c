/* The dialogue's insides (private to voice/decision/), shared by dialogue.c (events: which rule
 * applies, the states, the names) and dialogue_reply.c (what each rule says and where it leaves
 * the conversation), as libinput's evdev-mt-touchpad.h is for its touchpad files. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "dialogue.h"

/* Room for the longest thing said at once (help + menu intro + 5 items + menu-next) twice over,
 * and for the actions of one event (stop, rate or volume, say, tone, listen, reset). */
#define SAY_MAX 24
#define ACTIONS_MAX 8
#define HISTORY_MAX 32
#define SEE_ALSO_MAX 2
/* DESIGN.md: at most 5 menu items read at once. */
#define MENU_PAGE_MAX 5

/* Who has the floor, and what follows when the assistant's speech has been played. */
enum floor {
	FLOOR_NONE,               /* neither: between an event and its answer, or after the exit */
	FLOOR_LISTENING,          /* after a LISTEN until the next utterance, key or silence */
	FLOOR_SPEAKING,           /* between a SAY and its end; then listen */
	FLOOR_SPEAKING_THEN_RESET, /* the goodbye (station) or reset prompt; then a new person */
	FLOOR_SPEAKING_THEN_EXIT, /* the goodbye (live); then leave */
};

/* What the digits choose from: what was just offered (keymap.h). */
enum offer_kind {
	OFFER_MENU,     /* the main menu (menu NULL) or a sub-menu */
	OFFER_HELP,     /* the help menu's controls */
	OFFER_SEE_ALSO, /* the related topics just offered after "more" */
	OFFER_CHOICE,   /* "did you mean X? press 1. or Y? press 2." (in see[]) */
};

struct offer {
	enum offer_kind kind;
	const struct script_entry *menu; /* OFFER_MENU */
	const struct script_entry *see[SEE_ALSO_MAX];
	size_t n_see;
};

/* Something "back" can return to: an answer, or a menu page. */
struct view {
	const struct script_entry *topic; /* an answer, or NULL for a menu page */
	enum offer_kind kind;             /* a menu page: OFFER_MENU or OFFER_HELP */
	const struct script_entry *menu;
	size_t menu_start;
};

struct say_list {
	struct dialogue_item items[SAY_MAX];
	size_t n;
};

struct dialogue {
	const struct script_set *set;
	struct dialogue_config cfg;

	enum dialogue_state state;
	enum dialogue_state state_before_confirm; /* where a confirmation returns to */
	enum floor floor;
	const struct script_entry *topic;         /* the last topic answered */
	const struct script_entry *confirm_topic; /* DIALOGUE_STATE_CONFIRM_TOPIC: asked about */
	struct offer offer;                       /* what digits choose from */
	struct offer offer_before_choice;         /* what they chose from before the choice */
	bool noisy_told;                          /* "it is noisy here" said this visit */
	bool room_heard;                          /* only the room's sound heard since listening */
	size_t menu_next;                         /* the first entry of the menu's next page */
	int silences;                             /* silences in a row */
	int misses;                               /* not heard / not understood in a row */
	int rate_step;
	int volume_step;

	struct say_list last;        /* what "repeat" says again */
	struct say_list last_answer; /* what "slower"/"faster" say again */
	struct view history[HISTORY_MAX];
	size_t n_history;

	/* The answer to one dialogue_handle call. */
	struct dialogue_action actions[ACTIONS_MAX];
	size_t n_actions;
	struct dialogue_item out_items[ACTIONS_MAX][SAY_MAX];
};

static inline bool speaking(const struct dialogue *dlg)
{
	return dlg->floor >= FLOOR_SPEAKING;
}

static inline bool confirming(const struct dialogue *dlg)
{
	return dlg->state == DIALOGUE_STATE_CONFIRM_TOPIC ||
	       dlg->state == DIALOGUE_STATE_CONFIRM_GOODBYE;
}

/* dialogue_reply.c: the answer to the event being handled, built in dlg->actions. */
struct dialogue_action *reply_emit(struct dialogue *dlg, enum dialogue_action_type type);
void reply_say(struct dialogue *dlg, const struct say_list *l, bool remember);
void reply_prompt(struct dialogue *dlg, const char *name, const struct script_entry *topic,
		  bool remember);
void reply_listen(struct dialogue *dlg);
/* Listen on after the room's own sound, in the no-speech window already started. */
void reply_listen_on(struct dialogue *dlg);
void reply_forget(struct dialogue *dlg);
void reply_greet(struct dialogue *dlg, enum dialogue_state state);
/* The person has gone: forget the conversation and wait quietly (IDLE) for the next one. */
void reply_wait(struct dialogue *dlg);
void reply_answer(struct dialogue *dlg, const struct script_entry *topic, bool push);
void reply_more(struct dialogue *dlg, const struct script_entry *topic);
/* Page `start` of a menu: kind OFFER_MENU (menu NULL: the main one) or OFFER_HELP (help's
 * sentences first). */
void reply_menu(struct dialogue *dlg, enum offer_kind kind, const struct script_entry *menu,
		size_t start, bool push);
void reply_confirm_ask(struct dialogue *dlg, const struct script_entry *topic);
/* The two topics the recogniser could not tell apart, offered on 1 and 2 (a CONFIRM_TOPIC
 * state whose offer is OFFER_CHOICE). */
void reply_choice_ask(struct dialogue *dlg, const struct script_entry *first,
		      const struct script_entry *second);
/* Whether the question asked back is a choice between two topics. */
static inline bool choosing(const struct dialogue *dlg)
{
	return dlg->state == DIALOGUE_STATE_CONFIRM_TOPIC && dlg->offer.kind == OFFER_CHOICE;
}
/* Asking back (confirming): the question again, after the prompt `before` (or NULL);
 * `keys_only`: in the wording that asks for keys, not speech, where the scripts have one. */
void reply_question_again(struct dialogue *dlg, const char *before, bool keys_only);
void reply_confirm_leave(struct dialogue *dlg);
/* `noisy`: the room was too noisy to hear (the keypad is offered instead, once a visit). */
void reply_miss(struct dialogue *dlg, const char *prompt, bool noisy);
void reply_menu_next(struct dialogue *dlg);
void reply_rate(struct dialogue *dlg, int direction);
void reply_volume(struct dialogue *dlg, int direction);
void reply_back(struct dialogue *dlg);
void reply_goodbye(struct dialogue *dlg);
void reply_confirmed(struct dialogue *dlg);
