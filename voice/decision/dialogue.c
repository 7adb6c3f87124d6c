/* The dialogue's events: which rule applies in which state. What each rule says is in
 * dialogue_reply.c. */
#include "dialogue.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

#include "dialogue_internal.h"
#include "keymap.h"
#include "log.h"

void dialogue_config_defaults(struct dialogue_config *config)
{
	*config = (struct dialogue_config){
		.station = false,
		.silence_limit = 3,
		.menu_page_size = MENU_PAGE_MAX,
		.rate_step_min = -3,
		.rate_step_max = 3,
		.volume_step_min = -3,
		.volume_step_max = 3,
		.listen_tone = false,
		.voice_barge_in = false,
	};
}

int dialogue_create(const struct script_set *set, const struct dialogue_config *config,
		    struct dialogue **out, char *err, size_t errlen)
{
	*out = NULL;
	if (!set)
		return errf(err, errlen, -EINVAL, "no scripts loaded (load the scripts first)");
	/* Every prompt the dialogue can say is one the loader requires. */
	for (const char *const *p = script_required_prompts; *p; p++)
		if (!script_set_find_prompt(set, *p))
			return errf(err, errlen, -EINVAL,
				    "the scripts have no prompt '%s' (add 'prompt: %s' to prompts.txt)",
				    *p, *p);
	for (int c = 0; c < CONTROL_COUNT; c++)
		if (!script_set_control(set, (enum control)c))
			return errf(err, errlen, -EINVAL,
				    "the scripts have no control '%s' (add 'control: %s' to controls.txt)",
				    control_names[c], control_names[c]);

	struct dialogue *dlg = xcalloc(1, sizeof(*dlg));
	dlg->set = set;
	if (config)
		dlg->cfg = *config;
	else
		dialogue_config_defaults(&dlg->cfg);
	if (dlg->cfg.menu_page_size < 1 || dlg->cfg.menu_page_size > MENU_PAGE_MAX)
		dlg->cfg.menu_page_size = MENU_PAGE_MAX;
	if (dlg->cfg.silence_limit < 1)
		dlg->cfg.silence_limit = 1;
	if (dlg->cfg.rate_step_min > 0)
		dlg->cfg.rate_step_min = 0;
	if (dlg->cfg.rate_step_max < 0)
		dlg->cfg.rate_step_max = 0;
	if (dlg->cfg.volume_step_min > 0)
		dlg->cfg.volume_step_min = 0;
	if (dlg->cfg.volume_step_max < 0)
		dlg->cfg.volume_step_max = 0;
	dlg->state = DIALOGUE_STATE_START;
	dlg->floor = FLOOR_NONE;
	*out = dlg;
	return 0;
}

void dialogue_destroy(struct dialogue *dlg)
{
	free(dlg);
}

bool dialogue_speaking(const struct dialogue *dlg)
{
	return speaking(dlg);
}

bool dialogue_listening(const struct dialogue *dlg)
{
	return dlg->floor == FLOOR_LISTENING;
}

bool dialogue_confirming(const struct dialogue *dlg)
{
	return confirming(dlg);
}

enum dialogue_state dialogue_state(const struct dialogue *dlg)
{
	return dlg->state;
}

const char *dialogue_state_name(enum dialogue_state state)
{
	switch (state) {
	case DIALOGUE_STATE_START:
		return "start";
	case DIALOGUE_STATE_TOP:
		return "top";
	case DIALOGUE_STATE_MENU:
		return "menu";
	case DIALOGUE_STATE_ANSWERED:
		return "answered";
	case DIALOGUE_STATE_CONFIRM_TOPIC:
		return "confirm-topic";
	case DIALOGUE_STATE_CONFIRM_GOODBYE:
		return "confirm-goodbye";
	case DIALOGUE_STATE_IDLE:
		return "idle";
	}
	return "?";
}

static const char *floor_name(enum floor f)
{
	switch (f) {
	case FLOOR_NONE:
		return "none";
	case FLOOR_LISTENING:
		return "listening";
	case FLOOR_SPEAKING:
		return "speaking";
	case FLOOR_SPEAKING_THEN_RESET:
		return "speaking-then-reset";
	case FLOOR_SPEAKING_THEN_EXIT:
		return "speaking-then-exit";
	}
	return "?";
}

static const char *event_name(enum dialogue_event_type type)
{
	switch (type) {
	case DIALOGUE_EVENT_START:
		return "start";
	case DIALOGUE_EVENT_UTTERANCE:
		return "utterance";
	case DIALOGUE_EVENT_KEY:
		return "key";
	case DIALOGUE_EVENT_SILENCE:
		return "silence";
	case DIALOGUE_EVENT_PLAYBACK_DONE:
		return "playback-done";
	case DIALOGUE_EVENT_PLAYBACK_INTERRUPTED:
		return "playback-interrupted";
	case DIALOGUE_EVENT_WAIT:
		return "wait";
	}
	return "?";
}

int dialogue_rate_step(const struct dialogue *dlg)
{
	return dlg->rate_step;
}

int dialogue_volume_step(const struct dialogue *dlg)
{
	return dlg->volume_step;
}

const char *dialogue_item_name(const struct dialogue_item *item, char *buf, size_t buflen)
{
	const char *id = item->entry ? item->entry->id : "?";
	switch (item->type) {
	case DIALOGUE_ITEM_ANSWER:
		snprintf(buf, buflen, "topic:%s", id);
		break;
	case DIALOGUE_ITEM_MORE:
		snprintf(buf, buflen, "more:%s", id);
		break;
	case DIALOGUE_ITEM_PROMPT:
		snprintf(buf, buflen, "prompt:%s", id);
		break;
	}
	return buf;
}

static void control(struct dialogue *dlg, enum control c)
{
	switch (c) {
	case CONTROL_REPEAT:
		/* "say that again": the last answer, menu or question; the greeting before that. */
		if (dlg->last.n)
			reply_say(dlg, &dlg->last, true);
		else
			reply_greet(dlg, dlg->state == DIALOGUE_STATE_START ? DIALOGUE_STATE_TOP
									 : dlg->state);
		break;
	case CONTROL_SLOWER:
		reply_rate(dlg, -1);
		break;
	case CONTROL_FASTER:
		reply_rate(dlg, +1);
		break;
	case CONTROL_LOUDER:
		reply_volume(dlg, +1);
		break;
	case CONTROL_QUIETER:
		reply_volume(dlg, -1);
		break;
	case CONTROL_YES: /* outside a question, "yes" goes on like "more" */
	case CONTROL_MORE:
		if (dlg->state == DIALOGUE_STATE_ANSWERED && dlg->topic)
			reply_more(dlg, dlg->topic);
		else if (dlg->state == DIALOGUE_STATE_MENU)
			reply_menu_next(dlg);
		else
			reply_menu(dlg, OFFER_MENU, NULL, 0, true);
		break;
	case CONTROL_BACK:
		reply_back(dlg);
		break;
	case CONTROL_HELP:
		reply_menu(dlg, OFFER_HELP, NULL, 0, true);
		break;
	case CONTROL_START_AGAIN:
		reply_menu(dlg, OFFER_MENU, NULL, 0, true);
		break;
	case CONTROL_NO: /* outside a question, "no" just ends what was going on */
	case CONTROL_STOP:
		reply_prompt(dlg, "stopped", NULL, false);
		break;
	case CONTROL_GOODBYE:
		reply_goodbye(dlg);
		break;
	case CONTROL_LANGUAGE:
		/* One language: asking for another is a question about what can be done. */
		if (dlg->cfg.choose_language)
			reply_emit(dlg, DIALOGUE_ACTION_LANGUAGE);
		else
			reply_menu(dlg, OFFER_HELP, NULL, 0, true);
		break;
	case CONTROL_COUNT:
		break;
	}
}

/* Controls that say the same thing again (or again at another speed or level): a question being
 * asked stays asked. */
static bool keeps_question(enum control c)
{
	return c == CONTROL_REPEAT || c == CONTROL_SLOWER || c == CONTROL_FASTER ||
	       c == CONTROL_LOUDER || c == CONTROL_QUIETER;
}

static void act_on_control(struct dialogue *dlg, enum control c)
{
	if (!keeps_question(c))
		reply_confirm_leave(dlg);
	control(dlg, c);
}

/* The topic or menu a digit chooses from what was just offered, or (9) from anywhere. */
static const struct script_entry *offered_entry(const struct dialogue *dlg, const char *key)
{
	const struct offer *o = &dlg->offer;
	const struct script_entry *e = NULL;
	if (o->kind == OFFER_MENU)
		e = keymap_menu_find(dlg->set, o->menu, key);
	else if (o->kind == OFFER_HELP)
		e = keymap_help_find(dlg->set, key);
	else if (key[0] >= '1' && key[1] == '\0' && (size_t)(key[0] - '1') < o->n_see) /* 1, 2 */
		e = o->see[key[0] - '1'];
	if (!e && strcmp(key, KEYMAP_EVERYWHERE_KEY) == 0)
		e = keymap_everywhere_topic(dlg->set);
	return e;
}

static bool control_has_key(const struct dialogue *dlg, enum control c, const char *key)
{
	const struct script_entry *e = script_set_control(dlg->set, c);
	return e && e->key && strcmp(e->key, key) == 0;
}

static void handle_key(struct dialogue *dlg, const char *key)
{
	if (!key || !*key)
		return;
	/* A choice: 1 and 2 are the two topics offered (before 2 could mean "no"). */
	const struct script_entry *chosen = choosing(dlg) ? offered_entry(dlg, key) : NULL;
	if (chosen && chosen->kind == SCRIPT_TOPIC) {
		reply_confirm_leave(dlg);
		reply_answer(dlg, chosen, true);
		return;
	}
	if (confirming(dlg)) {
		/* The yes/no keys count only while asking (they are topic keys otherwise). */
		if (control_has_key(dlg, CONTROL_YES, key)) {
			reply_confirmed(dlg);
			return;
		}
		if (control_has_key(dlg, CONTROL_NO, key)) {
			reply_confirm_leave(dlg);
			reply_prompt(dlg, "confirm-no", NULL, false);
			return;
		}
	}
	/* The help menu's 0 (or whichever digit) is the language control, not help again. */
	const struct script_entry *language = keymap_language_control(dlg->set);
	if (dlg->cfg.choose_language && dlg->offer.kind == OFFER_HELP && language &&
	    strcmp(language->key, key) == 0) {
		act_on_control(dlg, CONTROL_LANGUAGE);
		return;
	}
	enum control c = keymap_everywhere_control(dlg->set, key);
	if (c != CONTROL_COUNT) {
		act_on_control(dlg, c);
		return;
	}
	/* A key is certain: a topic answers at once, with no "did you ask about". */
	const struct script_entry *e = offered_entry(dlg, key);
	if (e && e->kind == SCRIPT_CONTROL) {
		act_on_control(dlg, e->control);
	} else if (e && e->kind == SCRIPT_MENU) {
		reply_confirm_leave(dlg);
		reply_menu(dlg, OFFER_MENU, e, 0, true);
	} else if (e) {
		reply_confirm_leave(dlg);
		reply_answer(dlg, e, true);
	} else {
		reply_prompt(dlg, "unknown-key", NULL, false);
	}
}

/* Whether `word` is one of the words of `heard`. */
static bool heard_word(const char *heard, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = strstr(heard, word); p; p = strstr(p + 1, word))
		if ((p == heard || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' '))
			return true;
	return false;
}

/* The topic a spoken answer to a choice picks: "the first" (or a yes), "the second", or one of
 * the two by its name; NULL for anything else ("neither" is a no). */
static const struct script_entry *chosen_by_voice(const struct dialogue *dlg,
						  const struct dialogue_event *ev, bool heard)
{
	const struct offer *o = &dlg->offer;
	if (!heard || o->n_see < 2)
		return NULL;
	if (heard_word(ev->heard, "first"))
		return o->see[0];
	if (heard_word(ev->heard, "second"))
		return o->see[1];
	if (ev->kind == INTENT_CONTROL && ev->control == CONTROL_YES)
		return o->see[0];
	for (size_t i = 0; ev->kind == INTENT_TOPIC && i < o->n_see; i++)
		if (ev->topic_id && strcmp(ev->topic_id, o->see[i]->id) == 0)
			return o->see[i];
	return NULL;
}

static void handle_utterance(struct dialogue *dlg, const struct dialogue_event *ev)
{
	if (!ev->heard || !*ev->heard) {
		reply_miss(dlg, "not-heard", ev->noisy);
		return;
	}
	bool sure = ev->decision == DECISION_ANSWER;
	bool unsure = ev->decision == DECISION_CONFIRM;
	const struct script_entry *chosen = choosing(dlg)
		? chosen_by_voice(dlg, ev, sure || unsure) : NULL;
	if (chosen) {
		reply_confirm_leave(dlg);
		reply_answer(dlg, chosen, true);
		return;
	}
	if (confirming(dlg) && ev->kind == INTENT_CONTROL && (sure || unsure)) {
		if (ev->control == CONTROL_YES) {
			reply_confirmed(dlg);
			return;
		}
		if (ev->control == CONTROL_NO) {
			reply_confirm_leave(dlg);
			reply_prompt(dlg, "confirm-no", NULL, false);
			return;
		}
	}
	/* Anything else replaces the question: a new question, a control, or not understood. */
	if (ev->kind == INTENT_TOPIC && (sure || unsure)) {
		const struct script_entry *t = script_set_find_topic(dlg->set, ev->topic_id);
		const struct script_entry *t2 = unsure && ev->second_topic_id
			? script_set_find_topic(dlg->set, ev->second_topic_id) : NULL;
		if (!t) {
			reply_confirm_leave(dlg);
			reply_miss(dlg, "not-sure", false);
		} else if (sure) {
			reply_confirm_leave(dlg);
			reply_answer(dlg, t, true);
		} else if (t2 && t2 != t) {
			/* Two topics it cannot tell apart: a choice, never an answer. */
			reply_choice_ask(dlg, t, t2);
		} else {
			/* Never answer the wrong question confidently: ask back first. */
			reply_confirm_ask(dlg, t);
		}
		return;
	}
	/* A control is cheap to get wrong except "goodbye", which would end the visit: that one
	 * needs a sure decision, else they are asked whether they want to stop. */
	if (ev->kind == INTENT_CONTROL && ev->control == CONTROL_GOODBYE && unsure) {
		reply_confirm_ask(dlg, NULL);
		return;
	}
	if (ev->kind == INTENT_CONTROL && ev->control < CONTROL_COUNT && (sure || unsure)) {
		act_on_control(dlg, ev->control);
		return;
	}
	if (confirming(dlg) && ev->noisy) {
		/* Words it could not make out in a room too noisy to hear: the room, or a "yes" lost
		 * in it. The question stands, so a key pressed now still means what it offered; asked
		 * again for a key, not for speech it cannot hear. */
		reply_question_again(dlg, "not-heard", true);
		return;
	}
	reply_confirm_leave(dlg);
	reply_miss(dlg, "not-sure", ev->noisy);
}

static void handle_silence(struct dialogue *dlg)
{
	if (dlg->state == DIALOGUE_STATE_IDLE) {
		/* Reset: wait quietly for the next person. */
		reply_listen(dlg);
		return;
	}
	dlg->silences++;
	if (dlg->silences >= dlg->cfg.silence_limit) {
		/* The person has gone: thank them, then get ready for the next one. */
		reply_prompt(dlg, "reset", NULL, false);
		dlg->floor = FLOOR_SPEAKING_THEN_RESET;
		return;
	}
	if (confirming(dlg)) {
		reply_question_again(dlg, NULL, false);
		return;
	}
	if (dlg->room_heard && !dlg->noisy_told) {
		/* Only the room was heard: perhaps a parent it could not hear. */
		dlg->noisy_told = true;
		reply_prompt(dlg, "noisy", NULL, false);
		return;
	}
	reply_prompt(dlg, dlg->silences == 1 ? "reprompt-1" : "reprompt-2", NULL, false);
}

static void handle_playback_end(struct dialogue *dlg)
{
	enum floor f = dlg->floor;
	if (!speaking(dlg))
		return;
	dlg->floor = FLOOR_NONE;
	switch (f) {
	case FLOOR_SPEAKING_THEN_RESET:
		reply_wait(dlg);
		break;
	case FLOOR_SPEAKING_THEN_EXIT:
		reply_emit(dlg, DIALOGUE_ACTION_EXIT);
		break;
	case FLOOR_SPEAKING:
		reply_listen(dlg);
		break;
	case FLOOR_NONE:
	case FLOOR_LISTENING:
		break;
	}
}

/* An utterance the dialogue can act on (not "not heard", not rejected). */
static bool understood(const struct dialogue_event *ev)
{
	return ev->heard && *ev->heard && ev->kind != INTENT_NONE &&
	       ev->decision != DECISION_REJECT;
}

/* No words in a room too noisy to hear well, while listening: the room's own sound, not a
 * turn. With push to talk someone pressed the key to speak: that is a turn. */
static bool room_sound(const struct dialogue *dlg, const struct dialogue_event *ev)
{
	return (!ev->heard || !*ev->heard) && ev->noisy && dlg->floor == FLOOR_LISTENING &&
	       !dlg->cfg.push_to_talk;
}

/* A key, or an utterance acted upon, while speaking: stop at once, then act. */
static void interrupt(struct dialogue *dlg)
{
	if (speaking(dlg))
		reply_emit(dlg, DIALOGUE_ACTION_STOP_SPEECH);
	/* Someone is there after all: no reset or exit after the goodbye or reset prompt. */
	dlg->floor = FLOOR_NONE;
	dlg->silences = 0;
	if (dlg->state == DIALOGUE_STATE_IDLE || dlg->state == DIALOGUE_STATE_START)
		dlg->state = DIALOGUE_STATE_TOP;
}

/* Words while waiting for the next person: someone is there ("hello"); greet them, unless they
 * asked a question for sure. A television or a slammed door (nothing understood) is not
 * someone to talk to: keep listening quietly. */
static void handle_idle_utterance(struct dialogue *dlg, const struct dialogue_event *ev)
{
	if (!understood(ev)) {
		reply_listen(dlg);
		return;
	}
	interrupt(dlg);
	if (ev->kind == INTENT_TOPIC && ev->decision == DECISION_ANSWER &&
	    script_set_find_topic(dlg->set, ev->topic_id))
		handle_utterance(dlg, ev);
	else
		reply_greet(dlg, DIALOGUE_STATE_TOP);
}

size_t dialogue_handle(struct dialogue *dlg, const struct dialogue_event *event,
		       const struct dialogue_action **actions)
{
	enum dialogue_state state_was = dlg->state;
	enum floor floor_was = dlg->floor;
	dlg->n_actions = 0;
	switch (event->type) {
	case DIALOGUE_EVENT_START:
		if (speaking(dlg))
			reply_emit(dlg, DIALOGUE_ACTION_STOP_SPEECH);
		dlg->floor = FLOOR_NONE;
		reply_forget(dlg);
		reply_greet(dlg, DIALOGUE_STATE_TOP);
		break;
	case DIALOGUE_EVENT_UTTERANCE:
		if (speaking(dlg)) {
			/* The microphone runs while we speak; act only on a sure intent, and only
			 * when asked to (the loudspeaker may be what it hears). */
			if (!dlg->cfg.voice_barge_in || event->decision != DECISION_ANSWER ||
			    event->kind == INTENT_NONE || !event->heard || !*event->heard)
				break;
		}
		if (dlg->state == DIALOGUE_STATE_IDLE && !speaking(dlg)) {
			handle_idle_utterance(dlg, event);
			break;
		}
		if (room_sound(dlg, event)) {
			/* A kitchen's clatter is cut as an utterance every few seconds: answering each
			 * would talk over the parent and drop the question asked. */
			reply_listen_on(dlg);
			break;
		}
		if (!understood(event)) {
			/* Not heard or not understood does not prove someone is there (a television
			 * would keep the station from ever resetting): the silence count stays. */
			int silences = dlg->silences;
			interrupt(dlg);
			dlg->silences = silences;
		} else {
			interrupt(dlg);
		}
		handle_utterance(dlg, event);
		break;
	case DIALOGUE_EVENT_KEY:
		if (dlg->state == DIALOGUE_STATE_IDLE && event->key &&
		    !keymap_menu_find(dlg->set, NULL, event->key)) {
			/* The next person (a key, a handset lifted): greet them now, not the empty
			 * room at the reset. A digit of the main menu is a choice already. */
			interrupt(dlg);
			reply_greet(dlg, DIALOGUE_STATE_TOP);
			break;
		}
		interrupt(dlg);
		handle_key(dlg, event->key);
		break;
	case DIALOGUE_EVENT_SILENCE:
		if (dlg->floor != FLOOR_LISTENING)
			break;
		dlg->floor = FLOOR_NONE;
		handle_silence(dlg);
		break;
	case DIALOGUE_EVENT_PLAYBACK_DONE:
	case DIALOGUE_EVENT_PLAYBACK_INTERRUPTED:
		handle_playback_end(dlg);
		break;
	case DIALOGUE_EVENT_WAIT:
		if (speaking(dlg))
			reply_emit(dlg, DIALOGUE_ACTION_STOP_SPEECH);
		dlg->floor = FLOOR_NONE;
		reply_wait(dlg);
		break;
	}
	if (dlg->state != state_was || dlg->floor != floor_was)
		log_debug("dialogue: %s: %s, %s -> %s, %s", event_name(event->type),
			  dialogue_state_name(state_was), floor_name(floor_was),
			  dialogue_state_name(dlg->state), floor_name(dlg->floor));
	*actions = dlg->actions;
	return dlg->n_actions;
}
