#include "dialogue.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

/* Room for the longest thing said at once (help + menu intro + 5 items + menu-next) twice over,
 * and for the actions of one event (stop, rate, say, tone, listen, reset). */
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

/* Something "back" can return to. */
struct view {
	const struct script_entry *topic; /* an answer, or NULL for a menu page */
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
	size_t menu_next;                         /* the first topic of the next menu page */
	int silences;                             /* silences in a row */
	int misses;                               /* not heard / not understood in a row */
	int rate_step;

	struct say_list last;        /* what "repeat" says again */
	struct say_list last_answer; /* what "slower"/"faster" say again */
	struct view history[HISTORY_MAX];
	size_t n_history;

	/* The answer to one dialogue_handle call. */
	struct dialogue_action actions[ACTIONS_MAX];
	size_t n_actions;
	struct dialogue_item out_items[ACTIONS_MAX][SAY_MAX];
};

void dialogue_config_defaults(struct dialogue_config *config)
{
	*config = (struct dialogue_config){
		.station = false,
		.silence_limit = 3,
		.menu_page_size = MENU_PAGE_MAX,
		.rate_step_min = -3,
		.rate_step_max = 3,
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
	dlg->state = DIALOGUE_STATE_START;
	dlg->floor = FLOOR_NONE;
	*out = dlg;
	return 0;
}

void dialogue_destroy(struct dialogue *dlg)
{
	free(dlg);
}

static bool speaking(const struct dialogue *dlg)
{
	return dlg->floor >= FLOOR_SPEAKING;
}

static bool confirming(const struct dialogue *dlg)
{
	return dlg->state == DIALOGUE_STATE_CONFIRM_TOPIC ||
	       dlg->state == DIALOGUE_STATE_CONFIRM_GOODBYE;
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
	}
	return "?";
}

int dialogue_rate_step(const struct dialogue *dlg)
{
	return dlg->rate_step;
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

/* --- building the answer to one event --- */

static struct dialogue_action *emit(struct dialogue *dlg, enum dialogue_action_type type)
{
	if (dlg->n_actions >= ACTIONS_MAX) {
		/* Cannot happen: no event produces more than a handful of actions. */
		log_error("dialogue: too many actions for one event");
		return NULL;
	}
	struct dialogue_action *a = &dlg->actions[dlg->n_actions++];
	*a = (struct dialogue_action){ .type = type };
	return a;
}

static void list_add(struct say_list *l, enum dialogue_item_type type,
		     const struct script_entry *entry, const struct script_entry *topic)
{
	if (!entry || l->n >= SAY_MAX)
		return;
	l->items[l->n++] = (struct dialogue_item){ .type = type, .entry = entry, .topic = topic };
}

static void list_prompt(struct dialogue *dlg, struct say_list *l, const char *name,
			const struct script_entry *topic)
{
	list_add(l, DIALOGUE_ITEM_PROMPT, script_set_find_prompt(dlg->set, name), topic);
}

static void list_append(struct say_list *l, const struct say_list *more)
{
	for (size_t i = 0; i < more->n; i++)
		list_add(l, more->items[i].type, more->items[i].entry, more->items[i].topic);
}

/* Say `l`. `remember`: "repeat" will say it again (answers, menus, help, questions), as opposed
 * to short reactions ("OK.", "I didn't catch that") that are not worth repeating. */
static void say(struct dialogue *dlg, const struct say_list *l, bool remember)
{
	if (l->n == 0)
		return;
	struct dialogue_action *a = emit(dlg, DIALOGUE_ACTION_SAY);
	if (!a)
		return;
	struct dialogue_item *items = dlg->out_items[a - dlg->actions];
	memcpy(items, l->items, l->n * sizeof(*items));
	a->items = items;
	a->n_items = l->n;
	dlg->floor = FLOOR_SPEAKING;
	if (remember)
		dlg->last = *l;
}

static void say_prompt(struct dialogue *dlg, const char *name, const struct script_entry *topic,
		       bool remember)
{
	struct say_list l = { .n = 0 };
	list_prompt(dlg, &l, name, topic);
	say(dlg, &l, remember);
}

static void listen(struct dialogue *dlg)
{
	if (dlg->cfg.listen_tone)
		emit(dlg, DIALOGUE_ACTION_TONE);
	emit(dlg, DIALOGUE_ACTION_LISTEN);
	dlg->floor = FLOOR_LISTENING;
}

static void history_push(struct dialogue *dlg, const struct script_entry *topic, size_t menu_start)
{
	struct view v = { .topic = topic, .menu_start = menu_start };
	if (dlg->n_history > 0) {
		const struct view *top = &dlg->history[dlg->n_history - 1];
		if (top->topic == v.topic && (topic || top->menu_start == v.menu_start))
			return; /* the same view again ("repeat", "slower"): not a step to go back over */
	}
	if (dlg->n_history == HISTORY_MAX) {
		memmove(dlg->history, dlg->history + 1, (HISTORY_MAX - 1) * sizeof(dlg->history[0]));
		dlg->n_history--;
	}
	dlg->history[dlg->n_history++] = v;
}

static void forget_conversation(struct dialogue *dlg)
{
	dlg->topic = NULL;
	dlg->confirm_topic = NULL;
	dlg->menu_next = 0;
	dlg->silences = 0;
	dlg->misses = 0;
	dlg->rate_step = 0;
	dlg->last.n = 0;
	dlg->last_answer.n = 0;
	dlg->n_history = 0;
}

/* --- the rules --- */

static void greet(struct dialogue *dlg, enum dialogue_state state)
{
	say_prompt(dlg, "greeting", NULL, true);
	dlg->state = state;
}

/* A topic's answer, then what the person can do next (more, again, another question). */
static void answer(struct dialogue *dlg, const struct script_entry *topic, bool push)
{
	struct say_list l = { .n = 0 };
	list_add(&l, DIALOGUE_ITEM_ANSWER, topic, NULL);
	list_prompt(dlg, &l, "after-answer", NULL);
	say(dlg, &l, true);
	dlg->last_answer = l;
	dlg->topic = topic;
	dlg->state = DIALOGUE_STATE_ANSWERED;
	dlg->misses = 0;
	if (push)
		history_push(dlg, topic, 0);
}

/* The topic's more: lines (or "there is no more"), then its related topics with their keys. */
static void more(struct dialogue *dlg, const struct script_entry *topic)
{
	struct say_list l = { .n = 0 };
	if (topic->n_more > 0 || topic->more_clip)
		list_add(&l, DIALOGUE_ITEM_MORE, topic, NULL);
	else
		list_prompt(dlg, &l, "no-more", NULL);
	size_t offered = 0;
	for (size_t i = 0; i < topic->n_see && offered < SEE_ALSO_MAX; i++) {
		const struct script_entry *see = script_set_find_topic(dlg->set, topic->see[i]);
		if (!see)
			continue;
		list_prompt(dlg, &l, "see-also", see);
		offered++;
	}
	say(dlg, &l, true);
	dlg->state = DIALOGUE_STATE_ANSWERED;
	dlg->misses = 0;
}

/* One menu page: at most menu_page_size topics with their keys, then "more follow" or "that is
 * all". `help` puts the help prompt first. */
static void menu_page(struct dialogue *dlg, size_t start, bool help, bool push)
{
	struct say_list l = { .n = 0 };
	size_t n = dlg->set->n_topics;
	if (start >= n)
		start = 0;
	if (help)
		list_prompt(dlg, &l, "help", NULL);
	if (start == 0)
		list_prompt(dlg, &l, "menu-intro", NULL);
	size_t end = start + (size_t)dlg->cfg.menu_page_size;
	if (end > n)
		end = n;
	for (size_t i = start; i < end; i++)
		list_prompt(dlg, &l, "menu-item", &dlg->set->topics[i]);
	list_prompt(dlg, &l, end < n ? "menu-next" : "menu-end", NULL);
	say(dlg, &l, true);
	dlg->menu_next = end;
	dlg->state = DIALOGUE_STATE_MENU;
	dlg->misses = 0;
	if (push)
		history_push(dlg, NULL, start);
}

/* Ask back about `topic`, or with NULL whether they want to stop (a goodbye not heard for sure:
 * ending someone's visit by mistake costs far more than asking). */
static void ask_confirm(struct dialogue *dlg, const struct script_entry *topic)
{
	if (!confirming(dlg))
		dlg->state_before_confirm = dlg->state;
	dlg->state = topic ? DIALOGUE_STATE_CONFIRM_TOPIC : DIALOGUE_STATE_CONFIRM_GOODBYE;
	dlg->confirm_topic = topic;
	say_prompt(dlg, topic ? "confirm" : "confirm-goodbye", topic, true);
}

static void leave_confirm(struct dialogue *dlg)
{
	if (confirming(dlg))
		dlg->state = dlg->state_before_confirm;
	dlg->confirm_topic = NULL;
}

/* Not heard or not understood: the kind prompt, then re-prompts that get more specific the
 * more often it happens in a row. */
static void miss(struct dialogue *dlg, const char *prompt)
{
	struct say_list l = { .n = 0 };
	dlg->misses++;
	list_prompt(dlg, &l, prompt, NULL);
	if (dlg->misses == 2)
		list_prompt(dlg, &l, "reprompt-1", NULL);
	else if (dlg->misses >= 3)
		list_prompt(dlg, &l, "reprompt-2", NULL);
	say(dlg, &l, false);
}

/* "slower"/"faster": change the rate and say the last answer again at the new rate; at the
 * bound, say so and change nothing. */
static void change_rate(struct dialogue *dlg, int direction)
{
	int step = dlg->rate_step + direction;
	if (step < dlg->cfg.rate_step_min || step > dlg->cfg.rate_step_max) {
		say_prompt(dlg, direction < 0 ? "slowest" : "fastest", NULL, false);
		return;
	}
	dlg->rate_step = step;
	struct dialogue_action *a = emit(dlg, DIALOGUE_ACTION_RATE);
	if (a)
		a->rate_step = step;
	/* While asking "did you ask about ...?", the question is what to say again. */
	struct say_list again = dlg->last_answer.n && !confirming(dlg)
					? dlg->last_answer
					: dlg->last;
	struct say_list l = { .n = 0 };
	list_prompt(dlg, &l, direction < 0 ? "slower" : "faster", NULL);
	list_append(&l, &again);
	say(dlg, &l, false);
	if (again.n)
		dlg->last = again;
}

/* "back": the previous answer or menu page, or "there is nothing to go back to". */
static void back(struct dialogue *dlg)
{
	if (dlg->n_history < 2) {
		say_prompt(dlg, "back-nothing", NULL, false);
		return;
	}
	dlg->n_history--;
	const struct view *v = &dlg->history[dlg->n_history - 1];
	if (v->topic)
		answer(dlg, v->topic, false);
	else
		menu_page(dlg, v->menu_start, false, false);
}

static void goodbye(struct dialogue *dlg)
{
	say_prompt(dlg, "goodbye", NULL, false);
	dlg->floor = dlg->cfg.station ? FLOOR_SPEAKING_THEN_RESET : FLOOR_SPEAKING_THEN_EXIT;
}

/* "Yes" (by voice or key) to the question asked back: the topic's answer, or the goodbye. */
static void confirmed(struct dialogue *dlg)
{
	const struct script_entry *t = dlg->confirm_topic;
	leave_confirm(dlg);
	if (t)
		answer(dlg, t, true);
	else
		goodbye(dlg);
}

static void control(struct dialogue *dlg, enum control c)
{
	switch (c) {
	case CONTROL_REPEAT:
		/* "say that again": the last answer, menu or question; the greeting before that. */
		if (dlg->last.n)
			say(dlg, &dlg->last, true);
		else
			greet(dlg, dlg->state == DIALOGUE_STATE_START ? DIALOGUE_STATE_TOP : dlg->state);
		break;
	case CONTROL_SLOWER:
		change_rate(dlg, -1);
		break;
	case CONTROL_FASTER:
		change_rate(dlg, +1);
		break;
	case CONTROL_YES: /* outside a question, "yes" goes on like "more" */
	case CONTROL_MORE:
		if (dlg->state == DIALOGUE_STATE_ANSWERED && dlg->topic)
			more(dlg, dlg->topic);
		else if (dlg->state == DIALOGUE_STATE_MENU)
			menu_page(dlg, dlg->menu_next, false, true);
		else
			menu_page(dlg, 0, false, true);
		break;
	case CONTROL_BACK:
		back(dlg);
		break;
	case CONTROL_HELP:
		menu_page(dlg, 0, true, true);
		break;
	case CONTROL_NO: /* outside a question, "no" just ends what was going on */
	case CONTROL_STOP:
		say_prompt(dlg, "stopped", NULL, false);
		break;
	case CONTROL_GOODBYE:
		goodbye(dlg);
		break;
	case CONTROL_COUNT:
		break;
	}
}

/* Controls that say the same thing again (or again at another speed): a question being asked
 * stays asked. */
static bool keeps_question(enum control c)
{
	return c == CONTROL_REPEAT || c == CONTROL_SLOWER || c == CONTROL_FASTER;
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
	if (confirming(dlg)) {
		/* The yes/no keys count only while asking (they are topic keys otherwise). */
		if (control_has_key(dlg, CONTROL_YES, key)) {
			confirmed(dlg);
			return;
		}
		if (control_has_key(dlg, CONTROL_NO, key)) {
			leave_confirm(dlg);
			say_prompt(dlg, "confirm-no", NULL, false);
			return;
		}
	}
	/* A key is certain: a topic key answers at once, with no "did you ask about". */
	const struct script_entry *t = script_set_find_topic_by_key(dlg->set, key);
	if (t) {
		leave_confirm(dlg);
		answer(dlg, t, true);
		return;
	}
	for (int c = 0; c < CONTROL_COUNT; c++) {
		if (control_has_key(dlg, (enum control)c, key)) {
			if (!keeps_question((enum control)c))
				leave_confirm(dlg);
			control(dlg, (enum control)c);
			return;
		}
	}
	say_prompt(dlg, "unknown-key", NULL, false);
}

static void handle_utterance(struct dialogue *dlg, const struct dialogue_event *ev)
{
	if (!ev->heard || !*ev->heard) {
		miss(dlg, "not-heard");
		return;
	}
	bool sure = ev->decision == DECISION_ANSWER;
	bool unsure = ev->decision == DECISION_CONFIRM;
	if (confirming(dlg) && ev->kind == INTENT_CONTROL && (sure || unsure)) {
		if (ev->control == CONTROL_YES) {
			confirmed(dlg);
			return;
		}
		if (ev->control == CONTROL_NO) {
			leave_confirm(dlg);
			say_prompt(dlg, "confirm-no", NULL, false);
			return;
		}
	}
	/* Anything else replaces the question: a new question, a control, or not understood. */
	if (ev->kind == INTENT_TOPIC && (sure || unsure)) {
		const struct script_entry *t = script_set_find_topic(dlg->set, ev->topic_id);
		if (!t) {
			leave_confirm(dlg);
			miss(dlg, "not-sure");
		} else if (sure) {
			leave_confirm(dlg);
			answer(dlg, t, true);
		} else {
			/* Never answer the wrong question confidently: ask back first. */
			ask_confirm(dlg, t);
		}
		return;
	}
	/* A control is cheap to get wrong except "goodbye", which would end the visit: that one
	 * needs a sure decision, else they are asked whether they want to stop. */
	if (ev->kind == INTENT_CONTROL && ev->control == CONTROL_GOODBYE && unsure) {
		ask_confirm(dlg, NULL);
		return;
	}
	if (ev->kind == INTENT_CONTROL && ev->control < CONTROL_COUNT && (sure || unsure)) {
		if (!keeps_question(ev->control))
			leave_confirm(dlg);
		control(dlg, ev->control);
		return;
	}
	leave_confirm(dlg);
	miss(dlg, "not-sure");
}

static void handle_silence(struct dialogue *dlg)
{
	if (dlg->state == DIALOGUE_STATE_IDLE) {
		/* Reset and greeted already: wait quietly for the next person. */
		listen(dlg);
		return;
	}
	dlg->silences++;
	if (dlg->silences >= dlg->cfg.silence_limit) {
		/* The person has gone: thank them, then get ready for the next one. */
		say_prompt(dlg, "reset", NULL, false);
		dlg->floor = FLOOR_SPEAKING_THEN_RESET;
		return;
	}
	if (confirming(dlg)) {
		say_prompt(dlg,
			   dlg->state == DIALOGUE_STATE_CONFIRM_TOPIC ? "confirm" : "confirm-goodbye",
			   dlg->confirm_topic, true);
		return;
	}
	say_prompt(dlg, dlg->silences == 1 ? "reprompt-1" : "reprompt-2", NULL, false);
}

static void handle_playback_end(struct dialogue *dlg)
{
	enum floor f = dlg->floor;
	if (!speaking(dlg))
		return;
	dlg->floor = FLOOR_NONE;
	switch (f) {
	case FLOOR_SPEAKING_THEN_RESET:
		emit(dlg, DIALOGUE_ACTION_RESET);
		forget_conversation(dlg);
		greet(dlg, DIALOGUE_STATE_IDLE);
		break;
	case FLOOR_SPEAKING_THEN_EXIT:
		emit(dlg, DIALOGUE_ACTION_EXIT);
		break;
	case FLOOR_SPEAKING:
		listen(dlg);
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

/* A key, or an utterance acted upon, while speaking: stop at once, then act. */
static void interrupt(struct dialogue *dlg)
{
	if (speaking(dlg))
		emit(dlg, DIALOGUE_ACTION_STOP_SPEECH);
	/* Someone is there after all: no reset or exit after the goodbye or reset prompt. */
	dlg->floor = FLOOR_NONE;
	dlg->silences = 0;
	if (dlg->state == DIALOGUE_STATE_IDLE || dlg->state == DIALOGUE_STATE_START)
		dlg->state = DIALOGUE_STATE_TOP;
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
			emit(dlg, DIALOGUE_ACTION_STOP_SPEECH);
		dlg->floor = FLOOR_NONE;
		forget_conversation(dlg);
		greet(dlg, DIALOGUE_STATE_TOP);
		break;
	case DIALOGUE_EVENT_UTTERANCE:
		if (speaking(dlg)) {
			/* The microphone runs while we speak; act only on a sure intent, and only
			 * when asked to (the loudspeaker may be what it hears). */
			if (!dlg->cfg.voice_barge_in || event->decision != DECISION_ANSWER ||
			    event->kind == INTENT_NONE || !event->heard || !*event->heard)
				break;
		}
		if (!understood(event)) {
			if (dlg->state == DIALOGUE_STATE_IDLE && !speaking(dlg)) {
				/* Waiting for the next person: a television or a slammed door is not
				 * someone to talk to. Keep listening quietly. */
				listen(dlg);
				break;
			}
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
	}
	if (dlg->state != state_was || dlg->floor != floor_was)
		log_debug("dialogue: %s: %s, %s -> %s, %s", event_name(event->type),
			  dialogue_state_name(state_was), floor_name(floor_was),
			  dialogue_state_name(dlg->state), floor_name(dlg->floor));
	*actions = dlg->actions;
	return dlg->n_actions;
}
