/* The spoken content: topics, controls, prompts and word lists, loaded from the scripts/ text files.
 * The format is described in scripts/README.md. The set is read-only once loaded. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "template.h"

/* Bounds on the content (docs/limits.md): past them the loader reports an error with file and
 * line, so no command walks or holds more than this. Each is at least 10 times the largest
 * shipped or test content. Templates have theirs in template.h. */
#define SCRIPT_MAX_LINE_CHARS 2000 /* one say: or more: line */
#define SCRIPT_MAX_ANSWER_LINES 100 /* say: lines of a block, and more: lines */
#define SCRIPT_MAX_PHRASINGS_PER_TEMPLATE 1e9 /* counted, never listed */
#define SCRIPT_MAX_PHRASINGS 1e10   /* all the templates of the set together */

enum script_kind { SCRIPT_TOPIC, SCRIPT_CONTROL, SCRIPT_PROMPT, SCRIPT_MENU };

enum control {
	CONTROL_REPEAT,
	CONTROL_SLOWER,
	CONTROL_FASTER,
	CONTROL_MORE,
	CONTROL_BACK,
	CONTROL_HELP,
	CONTROL_STOP,
	CONTROL_YES,
	CONTROL_NO,
	CONTROL_GOODBYE,
	CONTROL_LOUDER,
	CONTROL_QUIETER,
	CONTROL_START_AGAIN,
	CONTROL_LANGUAGE, /* back to the language choice ("0, then 0"): offered with two or more */
	CONTROL_COUNT
};
/* "repeat", "slower", ...: the ids used in controls.txt and in logs ("control:repeat"). */
extern const char *const control_names[CONTROL_COUNT];

/* Prompt names the program needs; the loader fails when one is missing. NULL-terminated. */
extern const char *const script_required_prompts[];

struct script_ask {
	char *text; /* the template as written */
	struct template_node *tree;
	const char *path; /* points into the set's file table */
	int line;
};

struct script_entry {
	enum script_kind kind;
	char *id;
	/* The phone key as typed (keymap.h): a topic's or menu's digit in its menu; a control's
	 * "*", "#" or "0" (everywhere) or digit (its place in the help menu; yes/no: in a
	 * question). NULL if none. */
	char *key;
	char *keyboard; /* a control's extra key on a full keyboard ("+", "backspace"), or NULL */
	char *in_menu;  /* a topic's menu id; NULL: the main menu */
	char *title; /* NULL if none */
	struct script_ask *asks;
	size_t n_asks;
	char **say; /* one sentence per element */
	size_t n_say;
	int *say_lines; /* the line of each say: */
	char **more;
	size_t n_more;
	int *more_lines;
	char **see; /* topic ids */
	size_t n_see;
	char *clip;      /* absolute path of a recording to play instead of say, or NULL */
	char *more_clip; /* the same for more */
	const char *path;
	int line;       /* line of the block's first line */
	int say_line;   /* line of the first say:, or 0 */
	int more_line;  /* line of the first more:, or 0 */
	int clip_line;
	int more_clip_line;
	int key_line;
	int keyboard_line;
	int in_menu_line;
	int title_line;
	int see_line;
	int layer;            /* 0 built-in, 1 the --scripts folder */
	enum control control; /* for SCRIPT_CONTROL */
};

struct script_list {
	char *name;
	struct template_node *tree; /* a TEMPLATE_ALT */
	const char *path;
	int line;
	int layer;
};

struct script_set {
	struct script_entry *topics; /* in the order the menus offer them (keymap.h) */
	size_t n_topics;
	struct script_entry *menus; /* sub-menus of the main menu, as read */
	size_t n_menus;
	struct script_entry *controls; /* indexed by enum control once loaded */
	size_t n_controls;
	struct script_entry *prompts;
	size_t n_prompts;
	struct script_list *lists;
	size_t n_lists;
	char **files; /* every file read, owned here */
	size_t n_files;
	bool lists_sorted; /* lists in name order (once validated), so lookups are a bsearch */
};

/* Load the built-in scripts from `builtin_dir`, and, when `user_dir` is not NULL, the topics from
 * `user_dir` instead of the built-in ones (its prompts, controls and lists replace built-in ones
 * of the same name). Every problem is added to `d` as "path:line: error: ..."; warnings too.
 * Returns 0 and the set in *out, or -EINVAL (content errors) / -ENOENT (folder missing) with
 * *out NULL. The caller owns the set: script_set_destroy. */
int script_set_load(const char *builtin_dir, const char *user_dir, struct script_set **out,
		    struct diag *d);
/* script_set_load's options. */
enum script_load_flag {
	/* A language with no recogniser (keypad only): no "has no ask: lines" warnings; ask: lines
	 * are read and checked as usual but never heard. */
	SCRIPT_LOAD_KEYPAD_ONLY = 1 << 0,
};
/* script_set_load with flags (enum script_load_flag, or-ed). */
int script_set_load_flags(const char *builtin_dir, const char *user_dir, unsigned flags,
			  struct script_set **out, struct diag *d);
void script_set_destroy(struct script_set *set);

/* Parse one file's text into a fresh set (no cross-file validation); for tests and fuzzing. */
int script_set_parse_text(struct script_set *set, const char *path, const char *text,
			  struct diag *d);

/* Call fn(data, e) for every topic, menu, control and prompt of the set, in that order. */
void script_set_each_entry(const struct script_set *set,
			   void (*fn)(void *data, const struct script_entry *e), void *data);

const struct script_entry *script_set_find_topic(const struct script_set *set, const char *id);
const struct script_entry *script_set_control(const struct script_set *set, enum control c);
const struct script_entry *script_set_find_prompt(const struct script_set *set, const char *name);
const struct script_list *script_set_find_list(const struct script_set *set, const char *name);
/* template_list_lookup_fn over a set (userdata = the set). */
const struct template_node *script_set_list_lookup(void *set, const char *name);

/* Every phrasing of every ask: of `entry`, in order. Returns as template_expand. */
int script_entry_expand(const struct script_set *set, const struct script_entry *entry,
			template_phrase_fn fn, void *fn_data);
/* Number of phrasings of all of an entry's templates. */
double script_entry_count(const struct script_set *set, const struct script_entry *entry);
/* The index-th phrasing of an entry (its templates one after the other, as script_entry_expand
 * lists them) into *buf: template_phrasing_at. */
int script_entry_phrasing_at(const struct script_set *set, const struct script_entry *entry,
			     uint64_t index, char **buf, size_t *cap);
/* Call fn with at most `max` evenly spaced phrasings of an entry, built one by one without listing
 * the others: every phrasing when there are no more than max, else phrasing ceil(k * stride),
 * k = 0, 1, ..., stride = count / max (summed as a double, as the loaders always did). Returns
 * 0, fn's first non-zero value, or -ENOENT / -ELOOP as template_expand. */
int script_entry_sample(const struct script_set *set, const struct script_entry *entry,
			size_t max, template_phrase_fn fn, void *fn_data);
