/* The key map's checks: every key pressable on a phone keypad and unique where it is offered,
 * every placeholder naming something, and no key number written into a prompt. */
#include "keymap.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

static const char *const keyboard_keys[] = { "+", "-", "/", ".", "backspace", NULL };

static bool one_digit(const char *key, char lo, char hi)
{
	return key && key[0] >= lo && key[0] <= hi && key[1] == '\0';
}

static bool everywhere_key(const char *key)
{
	return strcmp(key, "*") == 0 || strcmp(key, "#") == 0 || strcmp(key, "0") == 0;
}

/* Where a control's key is offered: in a question (yes, no), everywhere (*, #, 0), or as a digit
 * of the help menu (the language control's 0 too). Keys clash only within one. */
static int key_space(const struct script_entry *c)
{
	if (c->control == CONTROL_YES || c->control == CONTROL_NO)
		return 0;
	return c->control != CONTROL_LANGUAGE && everywhere_key(c->key) ? 1 : 2;
}

static void check_controls(const struct script_set *set, struct diag *d)
{
	for (size_t i = 0; i < set->n_controls; i++) {
		const struct script_entry *c = &set->controls[i];
		bool answer = c->control == CONTROL_YES || c->control == CONTROL_NO;
		bool language = c->control == CONTROL_LANGUAGE;
		if (!c->key) {
			diag_error(d, c->path, c->line,
				   "control '%s' has no key (add 'key: ...': *, # or 0 for everywhere, 1-8 for its place in the help menu)",
				   c->id);
		} else if (language && !one_digit(c->key, '0', '8')) {
			diag_error(d, c->path, c->key_line,
				   "key '%s' of control 'language' is not a digit from 0 to 8 (its place in the help menu: 'key: 0' is \"0, then 0\")",
				   c->key);
		} else if (!language && (answer ? !one_digit(c->key, '1', '8')
					  : !(everywhere_key(c->key) || one_digit(c->key, '1', '8')))) {
			diag_error(d, c->path, c->key_line,
				   answer ? "key '%s' of control '%s' is not a digit from 1 to 8 (a question is answered with a digit)"
					  : "key '%s' of control '%s' is not on a phone keypad's menus (use *, # or 0 for everywhere, 1-8 for its place in the help menu; 9 is the main menu's everywhere key; a full keyboard's '+', '-', '/', '.' or 'backspace' goes in 'keyboard:')",
				   c->key, c->id);
		}
		if (c->keyboard) {
			bool ok = false;
			for (const char *const *k = keyboard_keys; *k; k++)
				ok |= strcmp(*k, c->keyboard) == 0;
			if (!ok)
				diag_error(d, c->path, c->keyboard_line,
					   "keyboard key '%s' of control '%s' is not one of +, -, /, . or backspace",
					   c->keyboard, c->id);
		}
		/* Two controls on one key where both are offered at once. */
		for (size_t j = 0; j < i; j++) {
			const struct script_entry *o = &set->controls[j];
			if (c->key && o->key && strcmp(c->key, o->key) == 0 &&
			    key_space(c) == key_space(o))
				diag_error(d, c->path, c->key_line,
					   "key '%s' of control '%s' is already used by control '%s' (%s:%d)",
					   c->key, c->id, o->id, o->path, o->key_line);
			if (c->keyboard && o->keyboard && strcmp(c->keyboard, o->keyboard) == 0)
				diag_error(d, c->path, c->keyboard_line,
					   "keyboard key '%s' of control '%s' is already used by control '%s' (%s:%d)",
					   c->keyboard, c->id, o->id, o->path, o->keyboard_line);
		}
	}
	const struct script_entry *help = script_set_control(set, CONTROL_HELP);
	if (help && help->key && !everywhere_key(help->key))
		diag_error(d, help->path, help->key_line,
			   "control 'help' is on key '%s'; it must be on *, # or 0 (help is how the other controls are reached)",
			   help->key);
}

/* The first entry on each digit of a menu, so a key used twice is named with the first. */
struct menu_keys {
	const struct script_entry *on[10];
};

static void take_key(struct diag *d, struct menu_keys *mk, const struct script_entry *e,
		     const char *menu_name)
{
	int k = e->key[0] - '0';
	const struct script_entry *o = mk->on[k];
	if (o)
		diag_error(d, e->path, e->key_line,
			   "key %s of %s '%s' is already used by %s '%s' in %s (%s:%d)", e->key,
			   e->kind == SCRIPT_MENU ? "menu" : "topic", e->id,
			   o->kind == SCRIPT_MENU ? "menu" : "topic", o->id, menu_name, o->path,
			   o->key_line);
	else
		mk->on[k] = e;
}

static void check_menus(const struct script_set *set, struct diag *d)
{
	struct menu_keys main_keys = { { NULL } };
	struct menu_keys *sub = xcalloc(set->n_menus ? set->n_menus : 1, sizeof(*sub));
	for (size_t i = 0; i < set->n_menus; i++) {
		const struct script_entry *m = &set->menus[i];
		if (!m->key)
			diag_error(d, m->path, m->line,
				   "menu '%s' has no key (add 'key: N', 1-8: its place in the list of topics)",
				   m->id);
		else if (!one_digit(m->key, '1', '8'))
			diag_error(d, m->path, m->key_line,
				   "key '%s' of menu '%s' is not a digit from 1 to 8", m->key, m->id);
		else
			take_key(d, &main_keys, m, "the main menu");
		if (!m->title)
			diag_error(d, m->path, m->line,
				   "menu '%s' has no title (add 'title: ...', said in the list of topics)",
				   m->id);
	}
	for (size_t i = 0; i < set->n_topics; i++) {
		const struct script_entry *t = &set->topics[i];
		size_t m = set->n_menus;
		if (t->in_menu) {
			for (m = 0; m < set->n_menus && strcmp(set->menus[m].id, t->in_menu); m++)
				;
			if (m == set->n_menus) {
				diag_error(d, t->path, t->in_menu_line,
					   "in-menu: names unknown menu '%s' (add a 'menu: %s' block, or check the spelling)",
					   t->in_menu, t->in_menu);
				continue;
			}
		}
		bool main_menu = m == set->n_menus;
		if (!t->key) {
			diag_error(d, t->path, t->line, "topic '%s' has no key (add 'key: N', 1-%d)",
				   t->id, main_menu ? 9 : 8);
		} else if (!one_digit(t->key, '1', main_menu ? '9' : '8')) {
			diag_error(d, t->path, t->key_line,
				   main_menu ? "key '%s' of topic '%s' is not a digit from 1 to 9 (a phone keypad offers one digit a menu: put topics into menus, see scripts/README.md)"
					     : "key '%s' of topic '%s' is not a digit from 1 to 8 (9 is the main menu's everywhere key)",
				   t->key, t->id);
		} else {
			take_key(d, main_menu ? &main_keys : &sub[m], t,
				 main_menu ? "the main menu" : set->menus[m].id);
		}
	}
	for (size_t i = 0; i < set->n_menus; i++) {
		bool any = false;
		for (int k = 0; k < 10; k++)
			any |= sub[i].on[k] != NULL;
		if (!any)
			diag_error(d, set->menus[i].path, set->menus[i].line,
				   "menu '%s' has no topics (add 'in-menu: %s' to a topic, or remove the menu)",
				   set->menus[i].id, set->menus[i].id);
	}
	if (set->n_topics && !main_keys.on[9])
		diag_warning(d, set->n_topics ? set->topics[0].path : "", 0,
			     "no topic on key 9 of the main menu: a handset's 9 ('who can help me', one key from anywhere) says there is nothing on it (add a topic with key: 9)");
	free(sub);
}

static bool word_is_key(const char *w, size_t n)
{
	static const char *const words[] = { "star", "hash",  "zero", "one",  "two",  "three",
					     "four", "five",  "six",  "seven", "eight", "nine",
					     NULL };
	if (n > 0 && (isdigit((unsigned char)w[0]) || w[0] == '*' || w[0] == '#'))
		return true;
	for (const char *const *k = words; *k; k++)
		if (strlen(*k) == n && strncasecmp(*k, w, n) == 0)
			return true;
	return false;
}

/* Placeholders that name nothing are errors; "press 4" written in is a warning. */
static void check_line(const struct script_set *set, struct diag *d,
		       const struct script_entry *e, const char *text, int line)
{
	for (const char *p = strchr(text, '{'); p; p = strchr(p + 1, '{')) {
		const char *close = strchr(p, '}');
		if (!close)
			break;
		char *filled = NULL, *one = xstrndup(p, (size_t)(close - p + 1));
		filled = keymap_fill(set, one, NULL, NULL);
		if (strcmp(filled, one) == 0)
			diag_error(d, e->path, line,
				   "%s names nothing (use {title}, {key}, {topics}, or {key:ID}, {title:ID} and {where:ID} with the id of a control, topic or menu)",
				   one);
		free(filled);
		free(one);
	}
	for (const char *p = text; (p = strcasestr(p, "press ")); p += 6) {
		if (p != text && isalpha((unsigned char)p[-1]))
			continue;
		const char *w = p + 6;
		size_t n = strcspn(w, " ,.;:!?");
		if (word_is_key(w, n))
			diag_warning(d, e->path, line,
				     "%s '%s' says 'press %.*s' with the key written in (write {key:ID}, e.g. {key:help}, so it stays true when keys change)",
				     e->kind == SCRIPT_PROMPT ? "prompt" : "topic", e->id, (int)n, w);
	}
}

static int cmp_topic_place(const void *a, const void *b, void *set_arg)
{
	const struct script_set *set = set_arg;
	const struct script_entry *x = a, *y = b;
	const struct script_entry *mx = keymap_topic_menu(set, x), *my = keymap_topic_menu(set, y);
	/* The menu's digit, then the topic's in it (0 on the main menu): digits as numbers, so a
	 * topic's '1' in menu 1 does not weigh more than the main menu's next key. */
	int kx = ((mx ? mx->key[0] : x->key[0]) - '0') * 16 + (mx ? x->key[0] - '0' : 0);
	int ky = ((my ? my->key[0] : y->key[0]) - '0') * 16 + (my ? y->key[0] - '0' : 0);
	return (kx > ky) - (kx < ky);
}

void keymap_validate(struct script_set *set, struct diag *d)
{
	size_t errors = d->n_errors;
	check_controls(set, d);
	check_menus(set, d);
	for (size_t i = 0; i < set->n_prompts; i++)
		for (size_t s = 0; s < set->prompts[i].n_say; s++)
			check_line(set, d, &set->prompts[i], set->prompts[i].say[s],
				   set->prompts[i].say_lines[s]);
	for (size_t i = 0; i < set->n_topics; i++) {
		const struct script_entry *t = &set->topics[i];
		for (size_t s = 0; s < t->n_say; s++)
			check_line(set, d, t, t->say[s], t->say_lines[s]);
		for (size_t s = 0; s < t->n_more; s++)
			check_line(set, d, t, t->more[s], t->more_lines[s]);
	}
	/* Menus and topics in the order they are offered: the main menu's keys, each sub-menu's
	 * topics in place of the menu. */
	if (d->n_errors == errors && set->n_topics)
		qsort_r(set->topics, set->n_topics, sizeof(*set->topics), cmp_topic_place, set);
}
