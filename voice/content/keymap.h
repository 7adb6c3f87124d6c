/* The phone key map, made from the scripts (docs/keypad.md): a handset has 0-9, * and # only.
 *
 * - Keys that mean the same everywhere: the controls whose key is *, # or 0 (say that again, more,
 *   help), and the digit KEYMAP_EVERYWHERE_KEY, the main menu's topic on 9 ("who can help me").
 * - Digits choose from what was just offered: a menu's entries (topics and, on the main menu,
 *   sub-menus), the help menu's controls, or yes (1) and no (2) while a question is asked.
 * - A menu offers at most 9 keys; a sub-menu and the help menu at most 8 (9 is everywhere's).
 * - A full keyboard's extra keys (+, -, /, ., backspace) are `keyboard:` keys of controls.
 *
 * Prompts name keys and titles through placeholders ({key:help}, {title:camhs}), so moving a
 * topic keeps every prompt true. Read-only over a loaded set. */
#pragma once

#include <stddef.h>

#include "diag.h"
#include "script.h"

#define KEYMAP_MENU_MAX 9           /* digits 1-9 */
#define KEYMAP_EVERYWHERE_KEY "9"   /* the main menu's 9 is one key from anywhere */

/* The entries a menu offers, in key order: topics and menus of `menu` (NULL: the main menu),
 * into items (room for KEYMAP_MENU_MAX). Returns how many. */
size_t keymap_menu_items(const struct script_set *set, const struct script_entry *menu,
			 const struct script_entry **items);
/* The entry on `key` in `menu` (NULL: the main menu), or NULL. */
const struct script_entry *keymap_menu_find(const struct script_set *set,
					    const struct script_entry *menu, const char *key);
/* The controls the help menu always offers (a digit key; not yes, no or language), in key
 * order, into items (room for KEYMAP_MENU_MAX). Returns how many. */
size_t keymap_help_items(const struct script_set *set, const struct script_entry **items);
/* The control the help menu has on `key`, or NULL. */
const struct script_entry *keymap_help_find(const struct script_set *set, const char *key);
/* The language control when it has a digit of the help menu (its "key: 0" is "0, then 0"), or
 * NULL. Not among keymap_help_items: the dialogue offers it only when there is a choice of
 * languages. */
const struct script_entry *keymap_language_control(const struct script_set *set);
/* The control that `key` means everywhere (*, #, 0 or a keyboard key), or CONTROL_COUNT. */
enum control keymap_everywhere_control(const struct script_set *set, const char *key);
/* The topic on KEYMAP_EVERYWHERE_KEY of the main menu, or NULL. */
const struct script_entry *keymap_everywhere_topic(const struct script_set *set);
/* The menu a topic is in (NULL: the main menu, or not found). */
const struct script_entry *keymap_topic_menu(const struct script_set *set,
					     const struct script_entry *topic);
/* A key as said: "*" is "star", "#" "hash", digits as written. */
const char *keymap_key_word(const char *key);
/* Where a key is on a phone keypad, for a parent who cannot read its labels: "at the bottom
 * left" for *, "at the bottom right" for #, "at the bottom, in the middle" for 0; "" for a digit. */
const char *keymap_key_place(const char *key);
/* How to reach `entry` (a topic, a menu or a control) as said: "4", "2, then 3" (from the list of
 * topics), "star", "0, then 3" (through help). Into buf; returns buf ("" when it has no key). */
const char *keymap_path(const struct script_set *set, const struct script_entry *entry, char *buf,
			size_t buflen);
/* The topic, control or menu `id` names, or NULL (a control's name first, then a topic's, then a
 * menu's). */
const struct script_entry *keymap_find_entry(const struct script_set *set, const char *id);

/* A prompt line with its placeholders filled: {title} and {key} from `about` (a topic, menu or
 * control, may be NULL) and `key` (the key it is offered on here; NULL: its own key),
 * {title:ID} and {key:ID} (keymap_path) from the entry ID names, {where:ID} where its key is
 * (keymap_key_place), {topics} the number of topics.
 * Returns a new string. */
char *keymap_fill(const struct script_set *set, const char *text, const struct script_entry *about,
		  const char *key);

/* The checks of the key map, into d with file and line: menus and keys complete, unique and
 * pressable; placeholders naming something that exists; a warning on a key number written
 * into a prompt ("press 4"). Then sorts the topics by menu and key. */
void keymap_validate(struct script_set *set, struct diag *d);
