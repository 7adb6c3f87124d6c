/* What each of the dialogue's rules says, and where it leaves the conversation (the state, the
 * floor, what "repeat", "back" and "slower" will use). */
#include "dialogue_internal.h"

#include <string.h>

#include "log.h"

/* One more action in the answer to this event (NULL: no room, which cannot happen). */
struct dialogue_action *reply_emit(struct dialogue *dlg, enum dialogue_action_type type)
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
void reply_say(struct dialogue *dlg, const struct say_list *l, bool remember)
{
	if (l->n == 0)
		return;
	struct dialogue_action *a = reply_emit(dlg, DIALOGUE_ACTION_SAY);
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

void reply_prompt(struct dialogue *dlg, const char *name, const struct script_entry *topic,
		  bool remember)
{
	struct say_list l = { .n = 0 };
	list_prompt(dlg, &l, name, topic);
	reply_say(dlg, &l, remember);
}

/* Give the person the floor (after the tone, when configured). */
void reply_listen(struct dialogue *dlg)
{
	if (dlg->cfg.listen_tone)
		reply_emit(dlg, DIALOGUE_ACTION_TONE);
	reply_emit(dlg, DIALOGUE_ACTION_LISTEN);
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

/* A new person: forget the conversation (the greeting that follows sets the state). */
void reply_forget(struct dialogue *dlg)
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

void reply_greet(struct dialogue *dlg, enum dialogue_state state)
{
	reply_prompt(dlg, "greeting", NULL, true);
	dlg->state = state;
}

void reply_wait(struct dialogue *dlg)
{
	reply_emit(dlg, DIALOGUE_ACTION_RESET);
	reply_forget(dlg);
	dlg->state = DIALOGUE_STATE_IDLE;
	reply_listen(dlg);
}

/* A topic's answer, then what the person can do next (more, again, another question). */
void reply_answer(struct dialogue *dlg, const struct script_entry *topic, bool push)
{
	struct say_list l = { .n = 0 };
	list_add(&l, DIALOGUE_ITEM_ANSWER, topic, NULL);
	list_prompt(dlg, &l, "after-answer", NULL);
	reply_say(dlg, &l, true);
	dlg->last_answer = l;
	dlg->topic = topic;
	dlg->state = DIALOGUE_STATE_ANSWERED;
	dlg->misses = 0;
	if (push)
		history_push(dlg, topic, 0);
}

/* The topic's more: lines (or "there is no more"), then its related topics with their keys. */
void reply_more(struct dialogue *dlg, const struct script_entry *topic)
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
	reply_say(dlg, &l, true);
	dlg->state = DIALOGUE_STATE_ANSWERED;
	dlg->misses = 0;
}

/* One menu page: at most menu_page_size topics with their keys, then "more follow" or "that is
 * all". `help` puts the help prompt first. */
void reply_menu(struct dialogue *dlg, size_t start, bool help, bool push)
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
	reply_say(dlg, &l, true);
	dlg->menu_next = end;
	dlg->state = DIALOGUE_STATE_MENU;
	dlg->misses = 0;
	if (push)
		history_push(dlg, NULL, start);
}

/* Ask back about `topic`, or with NULL whether they want to stop (a goodbye not heard for sure:
 * ending someone's visit by mistake costs far more than asking). */
void reply_confirm_ask(struct dialogue *dlg, const struct script_entry *topic)
{
	if (!confirming(dlg))
		dlg->state_before_confirm = dlg->state;
	dlg->state = topic ? DIALOGUE_STATE_CONFIRM_TOPIC : DIALOGUE_STATE_CONFIRM_GOODBYE;
	dlg->confirm_topic = topic;
	reply_prompt(dlg, topic ? "confirm" : "confirm-goodbye", topic, true);
}

void reply_confirm_leave(struct dialogue *dlg)
{
	if (confirming(dlg))
		dlg->state = dlg->state_before_confirm;
	dlg->confirm_topic = NULL;
}

/* Not heard or not understood: the kind prompt, then re-prompts that get more specific the
 * more often it happens in a row. */
void reply_miss(struct dialogue *dlg, const char *prompt)
{
	struct say_list l = { .n = 0 };
	dlg->misses++;
	list_prompt(dlg, &l, prompt, NULL);
	if (dlg->misses == 2)
		list_prompt(dlg, &l, "reprompt-1", NULL);
	else if (dlg->misses >= 3)
		list_prompt(dlg, &l, "reprompt-2", NULL);
	reply_say(dlg, &l, false);
}

/* "slower"/"faster": change the rate and say the last answer again at the new rate; at the
 * bound, say so and change nothing. */
void reply_rate(struct dialogue *dlg, int direction)
{
	int step = dlg->rate_step + direction;
	if (step < dlg->cfg.rate_step_min || step > dlg->cfg.rate_step_max) {
		reply_prompt(dlg, direction < 0 ? "slowest" : "fastest", NULL, false);
		return;
	}
	dlg->rate_step = step;
	struct dialogue_action *a = reply_emit(dlg, DIALOGUE_ACTION_RATE);
	if (a)
		a->rate_step = step;
	/* While asking "did you ask about ...?", the question is what to say again. */
	struct say_list again = dlg->last_answer.n && !confirming(dlg)
					? dlg->last_answer
					: dlg->last;
	struct say_list l = { .n = 0 };
	list_prompt(dlg, &l, direction < 0 ? "slower" : "faster", NULL);
	list_append(&l, &again);
	reply_say(dlg, &l, false);
	if (again.n)
		dlg->last = again;
}

/* "back": the previous answer or menu page, or "there is nothing to go back to". */
void reply_back(struct dialogue *dlg)
{
	if (dlg->n_history < 2) {
		reply_prompt(dlg, "back-nothing", NULL, false);
		return;
	}
	dlg->n_history--;
	const struct view *v = &dlg->history[dlg->n_history - 1];
	if (v->topic)
		reply_answer(dlg, v->topic, false);
	else
		reply_menu(dlg, v->menu_start, false, false);
}

void reply_goodbye(struct dialogue *dlg)
{
	reply_prompt(dlg, "goodbye", NULL, false);
	dlg->floor = dlg->cfg.station ? FLOOR_SPEAKING_THEN_RESET : FLOOR_SPEAKING_THEN_EXIT;
}

/* "Yes" (by voice or key) to the question asked back: the topic's answer, or the goodbye. */
void reply_confirmed(struct dialogue *dlg)
{
	const struct script_entry *t = dlg->confirm_topic;
	reply_confirm_leave(dlg);
	if (t)
		reply_answer(dlg, t, true);
	else
		reply_goodbye(dlg);
}

