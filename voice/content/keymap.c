/* The phone key map over a loaded set: menus, the help menu, keys said as words, placeholders. */
#include "keymap.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "strbuf.h"

static bool is_digit_key(const char *key, char lo, char hi)
{
	return key && key[0] >= lo && key[0] <= hi && key[1] == '\0';
}

static bool is_everywhere_key(const char *key)
{
	return key && (strcmp(key, "*") == 0 || strcmp(key, "#") == 0 || strcmp(key, "0") == 0);
}

/* A control on a digit of the help menu (yes and no use their digits only in a question; the
 * language control's digit, 0 too, only when there is a choice of languages). */
static bool in_help_menu(const struct script_entry *c)
{
	if (c->control == CONTROL_LANGUAGE)
		return is_digit_key(c->key, '0', '9');
	return c->control != CONTROL_YES && c->control != CONTROL_NO &&
	       is_digit_key(c->key, '1', '9');
}

/* In the help menu always (the language control is offered by the dialogue, when it applies). */
static bool in_help_menu_always(const struct script_entry *c)
{
	return c->control != CONTROL_LANGUAGE && in_help_menu(c);
}

static const struct script_entry *find_menu(const struct script_set *set, const char *id)
{
	for (size_t i = 0; id && i < set->n_menus; i++)
		if (strcmp(set->menus[i].id, id) == 0)
			return &set->menus[i];
	return NULL;
}

static bool on_menu(const struct script_entry *e, const struct script_entry *menu)
{
	if (e->kind == SCRIPT_MENU)
		return menu == NULL;
	if (!menu)
		return e->in_menu == NULL;
	return e->in_menu && strcmp(e->in_menu, menu->id) == 0;
}

/* Insert `e` into items[0..n) by key (keys are one digit once validated). */
static size_t insert_by_key(const struct script_entry **items, size_t n,
			    const struct script_entry *e)
{
	if (n >= KEYMAP_MENU_MAX || !e->key)
		return n;
	size_t at = n;
	while (at > 0 && strcmp(items[at - 1]->key, e->key) > 0) {
		items[at] = items[at - 1];
		at--;
	}
	items[at] = e;
	return n + 1;
}

size_t keymap_menu_items(const struct script_set *set, const struct script_entry *menu,
			 const struct script_entry **items)
{
	size_t n = 0;
	if (!menu)
		for (size_t i = 0; i < set->n_menus; i++)
			n = insert_by_key(items, n, &set->menus[i]);
	for (size_t i = 0; i < set->n_topics; i++)
		if (on_menu(&set->topics[i], menu))
			n = insert_by_key(items, n, &set->topics[i]);
	return n;
}

const struct script_entry *keymap_menu_find(const struct script_set *set,
					    const struct script_entry *menu, const char *key)
{
	const struct script_entry *items[KEYMAP_MENU_MAX];
	size_t n = keymap_menu_items(set, menu, items);
	for (size_t i = 0; key && i < n; i++)
		if (strcmp(items[i]->key, key) == 0)
			return items[i];
	return NULL;
}

size_t keymap_help_items(const struct script_set *set, const struct script_entry **items)
{
	size_t n = 0;
	for (size_t i = 0; i < set->n_controls; i++)
		if (in_help_menu_always(&set->controls[i]))
			n = insert_by_key(items, n, &set->controls[i]);
	return n;
}

const struct script_entry *keymap_help_find(const struct script_set *set, const char *key)
{
	for (size_t i = 0; key && i < set->n_controls; i++)
		if (in_help_menu_always(&set->controls[i]) && strcmp(set->controls[i].key, key) == 0)
			return &set->controls[i];
	return NULL;
}

const struct script_entry *keymap_language_control(const struct script_set *set)
{
	const struct script_entry *c = script_set_control(set, CONTROL_LANGUAGE);
	return c && in_help_menu(c) ? c : NULL;
}

enum control keymap_everywhere_control(const struct script_set *set, const char *key)
{
	for (size_t i = 0; key && i < set->n_controls; i++) {
		const struct script_entry *c = &set->controls[i];
		/* The language control's 0 is the help menu's digit, not help's 0. */
		bool everywhere = c->control != CONTROL_LANGUAGE && is_everywhere_key(c->key);
		if ((everywhere && strcmp(c->key, key) == 0) ||
		    (c->keyboard && strcmp(c->keyboard, key) == 0))
			return c->control;
	}
	return CONTROL_COUNT;
}

const struct script_entry *keymap_everywhere_topic(const struct script_set *set)
{
	const struct script_entry *e = keymap_menu_find(set, NULL, KEYMAP_EVERYWHERE_KEY);
	return e && e->kind == SCRIPT_TOPIC ? e : NULL;
}

const struct script_entry *keymap_topic_menu(const struct script_set *set,
					     const struct script_entry *topic)
{
	return topic ? find_menu(set, topic->in_menu) : NULL;
}

const char *keymap_key_word(const char *key)
{
	if (!key)
		return "";
	if (strcmp(key, "*") == 0)
		return "star";
	if (strcmp(key, "#") == 0)
		return "hash";
	return key;
}

const char *keymap_key_place(const char *key)
{
	if (!key)
		return "";
	if (strcmp(key, "*") == 0)
		return "at the bottom left";
	if (strcmp(key, "#") == 0)
		return "at the bottom right";
	if (strcmp(key, "0") == 0)
		return "at the bottom, in the middle";
	return "";
}

static const struct script_entry *help_control(const struct script_set *set)
{
	const struct script_entry *help = script_set_control(set, CONTROL_HELP);
	return help && is_everywhere_key(help->key) ? help : NULL;
}

const char *keymap_path(const struct script_set *set, const struct script_entry *entry, char *buf,
			size_t buflen)
{
	buf[0] = '\0';
	if (!entry || !entry->key)
		return buf;
	const char *key = keymap_key_word(entry->key);
	const struct script_entry *menu = NULL;
	if (entry->kind == SCRIPT_TOPIC)
		menu = keymap_topic_menu(set, entry);
	else if (entry->kind == SCRIPT_CONTROL && in_help_menu(entry))
		menu = help_control(set);
	if (menu)
		snprintf(buf, buflen, "%s, then %s", keymap_key_word(menu->key), key);
	else
		snprintf(buf, buflen, "%s", key);
	return buf;
}

const struct script_entry *keymap_find_entry(const struct script_set *set, const char *id)
{
	for (size_t i = 0; i < set->n_controls; i++)
		if (strcmp(set->controls[i].id, id) == 0)
			return &set->controls[i];
	const struct script_entry *t = script_set_find_topic(set, id);
	return t ? t : find_menu(set, id);
}

/* The value of the placeholder name[0..n) ("title", "key:help", "topics"), or NULL when it names
 * nothing. */
static const char *placeholder(const struct script_set *set, const char *name, size_t n,
			       const struct script_entry *about, const char *key, char *buf,
			       size_t buflen)
{
	if (n == 5 && strncmp(name, "title", 5) == 0)
		return about && about->title ? about->title : "";
	if (n == 3 && strncmp(name, "key", 3) == 0)
		return keymap_key_word(key ? key : about ? about->key : NULL);
	if (!set)
		return NULL;
	if (n == 6 && strncmp(name, "topics", 6) == 0) {
		snprintf(buf, buflen, "%zu", set->n_topics);
		return buf;
	}
	const char *colon = memchr(name, ':', n);
	if (!colon)
		return NULL;
	char id[128];
	size_t id_len = n - (size_t)(colon + 1 - name);
	if (id_len == 0 || id_len >= sizeof(id))
		return NULL;
	memcpy(id, colon + 1, id_len);
	id[id_len] = '\0';
	const struct script_entry *e = keymap_find_entry(set, id);
	if (!e)
		return NULL;
	size_t field = (size_t)(colon - name);
	if (field == 5 && strncmp(name, "title", 5) == 0)
		return e->title ? e->title : "";
	if (field == 3 && strncmp(name, "key", 3) == 0)
		return keymap_path(set, e, buf, buflen);
	if (field == 5 && strncmp(name, "where", 5) == 0)
		return keymap_key_place(e->key);
	return NULL;
}

char *keymap_fill(const struct script_set *set, const char *text, const struct script_entry *about,
		  const char *key)
{
	struct strbuf out = strbuf_new();
	for (const char *p = text; *p;) {
		const char *close = *p == '{' ? strchr(p + 1, '}') : NULL;
		char buf[64];
		const char *value = close ? placeholder(set, p + 1, (size_t)(close - p - 1), about,
							key, buf, sizeof(buf))
					  : NULL;
		if (value) {
			strbuf_addn(&out, value, strlen(value));
			p = close + 1;
		} else {
			strbuf_addn(&out, p, 1);
			p++;
		}
	}
	return out.s;
}
