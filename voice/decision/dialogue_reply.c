/* What each of the dialogue's rules says, and where it leaves the conversation (the state, the
 * floor, what "repeat", "back" and "slower" will use). */
#include "dialogue_internal.h"

#include <string.h>

#include "keymap.h"
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

static void list_add_item(struct say_list *l, const struct dialogue_item *item)
{
	if (!item->entry || l->n >= SAY_MAX)
		return;
	l->items[l->n++] = *item;
}

static void list_add(struct say_list *l, enum dialogue_item_type type,
		     const struct script_entry *entry, const struct script_entry *topic)
{
	list_add_item(l, &(struct dialogue_item){ .type = type, .entry = entry, .topic = topic });
}

/* Prompt `name` about `topic` (a topic, menu or control), offered on `key` (NULL: its own);
 * `keys_only`: its NAME-push-to-talk wording where the scripts have one (it asks for keys, not
 * speech). */
static void list_prompt_wording(struct dialogue *dlg, struct say_list *l, const char *name,
				const struct script_entry *topic, const char *key, bool keys_only)
{
	const struct script_entry *e = NULL;
	if (keys_only) {
		char variant[64]; /* the dialogue's own prompt names are short */
		snprintf(variant, sizeof(variant), "%s" DIALOGUE_PUSH_TO_TALK_SUFFIX, name);
		e = script_set_find_prompt(dlg->set, variant);
	}
	if (!e)
		e = script_set_find_prompt(dlg->set, name);
	list_add_item(l, &(struct dialogue_item){
				 .type = DIALOGUE_ITEM_PROMPT, .entry = e, .topic = topic, .key = key });
}

static void list_prompt_key(struct dialogue *dlg, struct say_list *l, const char *name,
			    const struct script_entry *topic, const char *key)
{
	list_prompt_wording(dlg, l, name, topic, key, dlg->cfg.push_to_talk);
}

static void list_prompt(struct dialogue *dlg, struct say_list *l, const char *name,
			const struct script_entry *topic)
{
	list_prompt_key(dlg, l, name, topic, NULL);
}

static void list_append(struct say_list *l, const struct say_list *more)
{
	for (size_t i = 0; i < more->n; i++)
		list_add_item(l, &more->items[i]);
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
	dlg->room_heard = false;
}

void reply_listen_on(struct dialogue *dlg)
{
	struct dialogue_action *a = reply_emit(dlg, DIALOGUE_ACTION_LISTEN);
	if (a)
		a->same_window = true;
	dlg->floor = FLOOR_LISTENING;
	dlg->room_heard = true;
}

static void history_push(struct dialogue *dlg, struct view v)
{
	if (dlg->n_history > 0) {
		const struct view *top = &dlg->history[dlg->n_history - 1];
		if (top->topic == v.topic &&
		    (v.topic || (top->kind == v.kind && top->menu == v.menu &&
				 top->menu_start == v.menu_start)))
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
	dlg->offer = (struct offer){ .kind = OFFER_MENU };
	dlg->noisy_told = false;
	dlg->menu_next = 0;
	dlg->silences = 0;
	dlg->misses = 0;
	dlg->rate_step = 0;
	dlg->volume_step = 0;
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
	/* The digits go on choosing from the topic's menu, as a phone menu does after an item. */
	dlg->offer = (struct offer){ .kind = OFFER_MENU, .menu = keymap_topic_menu(dlg->set, topic) };
	if (push)
		history_push(dlg, (struct view){ .topic = topic });
}

/* The keys of a two-way offer (related topics, a choice): digits choose from what was just
 * offered. */
static const char *const choice_keys[SEE_ALSO_MAX] = { "1", "2" };

/* The topic's more: lines (or "there is no more"), then its related topics with their keys. */
void reply_more(struct dialogue *dlg, const struct script_entry *topic)
{
	struct say_list l = { .n = 0 };
	if (topic->n_more > 0 || topic->more_clip)
		list_add(&l, DIALOGUE_ITEM_MORE, topic, NULL);
	else
		list_prompt(dlg, &l, "no-more", NULL);
	/* Related topics are offered on 1, 2: digits choose from what was just offered. */
	struct offer see_also = { .kind = OFFER_SEE_ALSO };
	for (size_t i = 0; i < topic->n_see && see_also.n_see < SEE_ALSO_MAX; i++) {
		const struct script_entry *see = script_set_find_topic(dlg->set, topic->see[i]);
		if (!see)
			continue;
		list_prompt_key(dlg, &l, "see-also", see, choice_keys[see_also.n_see]);
		see_also.see[see_also.n_see++] = see;
	}
	if (see_also.n_see)
		dlg->offer = see_also;
	reply_say(dlg, &l, true);
	/* "slower" says again what was just said: the more part, not the answer before it. */
	if (topic->n_more > 0 || topic->more_clip)
		dlg->last_answer = l;
	dlg->state = DIALOGUE_STATE_ANSWERED;
	dlg->misses = 0;
}

/* A menu's entries at most: the help menu's digits, 9, and the language control. */
#define MENU_ENTRIES_MAX (KEYMAP_MENU_MAX + 1)

/* The entries of a menu in key order; the help menu ends with the topic on the everywhere key,
 * then (with a choice of languages) the language control. */
static size_t menu_entries(const struct dialogue *dlg, enum offer_kind kind,
			   const struct script_entry *menu, const struct script_entry **items)
{
	if (kind != OFFER_HELP)
		return keymap_menu_items(dlg->set, menu, items);
	size_t n = keymap_help_items(dlg->set, items);
	const struct script_entry *everywhere = keymap_everywhere_topic(dlg->set);
	if (everywhere && n < KEYMAP_MENU_MAX)
		items[n++] = everywhere;
	const struct script_entry *language = keymap_language_control(dlg->set);
	if (dlg->cfg.choose_language && language)
		items[n++] = language;
	return n;
}

/* One menu page: at most menu_page_size entries with their keys, then how to hear more or what
 * else to do. The help menu has help's sentences first. */
void reply_menu(struct dialogue *dlg, enum offer_kind kind, const struct script_entry *menu,
		size_t start, bool push)
{
	const struct script_entry *items[MENU_ENTRIES_MAX];
	size_t n = menu_entries(dlg, kind, menu, items);
	struct say_list l = { .n = 0 };
	if (start >= n)
		start = 0;
	if (start == 0) {
		if (kind == OFFER_HELP) {
			list_prompt(dlg, &l, "help", NULL);
			list_prompt(dlg, &l, "help-menu-intro", NULL);
		} else {
			list_prompt(dlg, &l, menu ? "submenu-intro" : "menu-intro", menu);
		}
	}
	size_t end = start + (size_t)dlg->cfg.menu_page_size;
	if (end > n)
		end = n;
	for (size_t i = start; i < end; i++)
		list_prompt(dlg, &l, items[i]->kind == SCRIPT_CONTROL ? "help-item" : "menu-item",
			    items[i]);
	if (end < n)
		list_prompt(dlg, &l, "menu-next", NULL);
	else
		list_prompt(dlg, &l, kind == OFFER_MENU && !menu ? "menu-end" : "submenu-end", NULL);
	reply_say(dlg, &l, true);
	dlg->offer = (struct offer){ .kind = kind, .menu = menu };
	dlg->menu_next = end;
	dlg->state = DIALOGUE_STATE_MENU;
	dlg->misses = 0;
	if (push)
		history_push(dlg, (struct view){ .kind = kind, .menu = menu, .menu_start = start });
}

/* "more" (hash) on a menu: its next page; after the last page of a sub-menu or help, the main
 * menu; after the main menu's last, its first page again. */
void reply_menu_next(struct dialogue *dlg)
{
	const struct script_entry *items[MENU_ENTRIES_MAX];
	size_t n = menu_entries(dlg, dlg->offer.kind, dlg->offer.menu, items);
	if (dlg->offer.kind != OFFER_SEE_ALSO && dlg->menu_next < n)
		reply_menu(dlg, dlg->offer.kind, dlg->offer.menu, dlg->menu_next, true);
	else
		reply_menu(dlg, OFFER_MENU, NULL, 0, true);
}

/* Ask back about `topic`, or with NULL whether they want to stop (a goodbye not heard for sure:
 * ending someone's visit by mistake costs far more than asking). */
void reply_confirm_ask(struct dialogue *dlg, const struct script_entry *topic)
{
	if (choosing(dlg))
		dlg->offer = dlg->offer_before_choice;
	if (!confirming(dlg))
		dlg->state_before_confirm = dlg->state;
	dlg->state = topic ? DIALOGUE_STATE_CONFIRM_TOPIC : DIALOGUE_STATE_CONFIRM_GOODBYE;
	dlg->confirm_topic = topic;
	reply_prompt(dlg, topic ? "confirm" : "confirm-goodbye", topic, true);
}

void reply_choice_ask(struct dialogue *dlg, const struct script_entry *first,
		      const struct script_entry *second)
{
	if (!choosing(dlg))
		dlg->offer_before_choice = dlg->offer;
	if (!confirming(dlg))
		dlg->state_before_confirm = dlg->state;
	dlg->state = DIALOGUE_STATE_CONFIRM_TOPIC;
	dlg->confirm_topic = first;
	dlg->offer = (struct offer){ .kind = OFFER_CHOICE, .see = { first, second }, .n_see = 2 };
	reply_question_again(dlg, NULL, false);
}

void reply_question_again(struct dialogue *dlg, const char *before, bool keys_only)
{
	struct say_list question = { .n = 0 }, l = { .n = 0 };
	keys_only |= dlg->cfg.push_to_talk;
	if (choosing(dlg)) {
		list_prompt_wording(dlg, &question, "choice", dlg->offer.see[0], choice_keys[0],
				    keys_only);
		list_prompt_wording(dlg, &question, "choice-or", dlg->offer.see[1], choice_keys[1],
				    keys_only);
	} else {
		bool topic = dlg->state == DIALOGUE_STATE_CONFIRM_TOPIC;
		list_prompt_wording(dlg, &question, topic ? "confirm" : "confirm-goodbye",
				    dlg->confirm_topic, NULL, keys_only);
	}
	if (before)
		list_prompt(dlg, &l, before, NULL);
	list_append(&l, &question);
	reply_say(dlg, &l, false);
	dlg->last = question; /* "repeat" says the question, not the "sorry" before it */
}

void reply_confirm_leave(struct dialogue *dlg)
{
	if (choosing(dlg))
		dlg->offer = dlg->offer_before_choice;
	if (confirming(dlg))
		dlg->state = dlg->state_before_confirm;
	dlg->confirm_topic = NULL;
}

/* Not heard or not understood: the kind prompt, then re-prompts that get more specific the
 * more often it happens in a row. In a room too noisy to hear, the first time says so and
 * offers the keypad instead; after that no re-prompt asks for speech again. */
void reply_miss(struct dialogue *dlg, const char *prompt, bool noisy)
{
	struct say_list l = { .n = 0 };
	dlg->misses++;
	/* Not heard, rather than "I'm not sure I can help with that" (which asks for speech). */
	list_prompt(dlg, &l, noisy ? "not-heard" : prompt, NULL);
	if (noisy && !dlg->noisy_told)
		list_prompt(dlg, &l, "noisy", NULL);
	else if (!noisy && dlg->misses == 2)
		list_prompt(dlg, &l, "reprompt-1", NULL);
	else if (!noisy && dlg->misses >= 3)
		list_prompt(dlg, &l, "reprompt-2", NULL);
	dlg->noisy_told |= noisy;
	reply_say(dlg, &l, false);
}

/* Say `prompt`, then the last answer again (at the new rate or level); while asking "did you
 * ask about ...?", the question. */
static void say_again_after(struct dialogue *dlg, const char *prompt)
{
	struct say_list again = dlg->last_answer.n && !confirming(dlg) ? dlg->last_answer
								       : dlg->last;
	struct say_list l = { .n = 0 };
	list_prompt(dlg, &l, prompt, NULL);
	list_append(&l, &again);
	reply_say(dlg, &l, false);
	if (again.n)
		dlg->last = again;
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
	say_again_after(dlg, direction < 0 ? "slower" : "faster");
}

/* "louder"/"quieter": the same for the output level. */
void reply_volume(struct dialogue *dlg, int direction)
{
	int step = dlg->volume_step + direction;
	if (step < dlg->cfg.volume_step_min || step > dlg->cfg.volume_step_max) {
		reply_prompt(dlg, direction < 0 ? "quietest" : "loudest", NULL, false);
		return;
	}
	dlg->volume_step = step;
	struct dialogue_action *a = reply_emit(dlg, DIALOGUE_ACTION_VOLUME);
	if (a)
		a->volume_step = step;
	say_again_after(dlg, direction < 0 ? "quieter" : "louder");
}

/* Where "back" goes from the first view of a conversation: a topic's menu (the one it is chosen
 * from, asked by voice or by 9 from the greeting), the main menu from a sub-menu; false from the
 * main menu, which nothing comes before. */
static bool view_before_first(const struct dialogue *dlg, const struct view *first,
			      struct view *before)
{
	if (first->topic)
		*before = (struct view){ .kind = OFFER_MENU,
					 .menu = keymap_topic_menu(dlg->set, first->topic) };
	else if (first->kind == OFFER_MENU && first->menu)
		*before = (struct view){ .kind = OFFER_MENU };
	else
		return false;
	return true;
}

/* "back": the previous answer or menu page; from the first, the menu it was chosen from; from
 * the main menu first, "there is nothing to go back to". The help menu is a way to reach "back"
 * (0, then 6), not a place: back from it skips it. */
void reply_back(struct dialogue *dlg)
{
	while (dlg->n_history > 0 && !dlg->history[dlg->n_history - 1].topic &&
	       dlg->history[dlg->n_history - 1].kind == OFFER_HELP)
		dlg->n_history--;
	struct view before;
	if (dlg->n_history == 1 && view_before_first(dlg, &dlg->history[0], &before)) {
		dlg->history[0] = before;
	} else if (dlg->n_history < 2) {
		reply_prompt(dlg, "back-nothing", NULL, false);
		return;
	} else {
		dlg->n_history--;
	}
	const struct view *v = &dlg->history[dlg->n_history - 1];
	if (v->topic)
		reply_answer(dlg, v->topic, false);
	else
		reply_menu(dlg, v->kind, v->menu, v->menu_start, false);
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

