/* The checks across files, once every script is read: controls complete and in enum order, keys
 * that can be pressed and are used once, topics with a title and an answer, see: and list
 * references that exist, lists without loops. */
#include "script_private.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

/* Keys a control may use: what a numeric keypad or a phone handset can send. */
static const char *const control_keys[] = {
	"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "#", "+", "-", "/", ".", "backspace",
	NULL,
};

void script_check_duplicates(struct diag *d, const struct script_entry *arr, size_t n)
{
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < i; j++)
			if (arr[i].layer == arr[j].layer && strcmp(arr[i].id, arr[j].id) == 0) {
				diag_error(d, arr[i].path, arr[i].line,
					   "%s '%s' is already defined at %s:%d (rename or remove one)",
					   script_kind_name(arr[i].kind), arr[i].id, arr[j].path,
					   arr[j].line);
				break;
			}
}

static void check_list_refs(struct diag *d, const struct script_set *set,
			    const struct template_node *node, const char *path, int line)
{
	if (node->type == TEMPLATE_LIST && !script_set_find_list(set, node->text))
		diag_error(d, path, line, "undefined list <%s> (define it with 'list %s: a | b')",
			   node->text, node->text);
	for (size_t i = 0; i < node->n_children; i++)
		check_list_refs(d, set, node->children[i], path, line);
}

/* Depth-first search for a list that uses itself, through any chain of lists. */
static bool list_reaches(const struct script_set *set, const struct template_node *node,
			 const char *target, int depth)
{
	if (depth > 64)
		return true;
	if (node->type == TEMPLATE_LIST) {
		if (strcmp(node->text, target) == 0)
			return true;
		const struct script_list *l = script_set_find_list(set, node->text);
		return l && list_reaches(set, l->tree, target, depth + 1);
	}
	for (size_t i = 0; i < node->n_children; i++)
		if (list_reaches(set, node->children[i], target, depth))
			return true;
	return false;
}

static bool key_is_number(const char *key, long *out)
{
	char *end;
	if (!isdigit((unsigned char)key[0]))
		return false;
	long v = strtol(key, &end, 10);
	*out = v;
	return *end == '\0';
}

static int cmp_topic_key(const void *a, const void *b)
{
	const struct script_entry *x = a, *y = b;
	long kx = x->key ? atol(x->key) : 1000, ky = y->key ? atol(y->key) : 1000;
	return (kx > ky) - (kx < ky);
}

void script_set_validate(struct script_set *set, struct diag *d, const char *dir)
{
	/* Controls: known names, all present, put in enum order. */
	struct script_entry *ordered = xcalloc(CONTROL_COUNT, sizeof(*ordered));
	bool have[CONTROL_COUNT] = { false };
	bool controls_ok = true;
	for (size_t i = 0; i < set->n_controls; i++) {
		struct script_entry *e = &set->controls[i];
		int c = -1;
		for (int k = 0; k < CONTROL_COUNT; k++)
			if (strcmp(e->id, control_names[k]) == 0)
				c = k;
		if (c < 0) {
			diag_error(d, e->path, e->line,
				   "unknown control '%s' (controls are repeat, slower, faster, more, back, help, stop, yes, no, goodbye)",
				   e->id);
			controls_ok = false;
			continue;
		}
		if (have[c]) {
			controls_ok = false; /* reported by check_duplicates */
			continue;
		}
		have[c] = true;
		e->control = (enum control)c;
		if (!e->key)
			diag_error(d, e->path, e->line, "control '%s' has no key (add 'key: ...')",
				   e->id);
		else {
			bool ok = false;
			for (const char *const *k = control_keys; *k; k++)
				ok |= strcmp(*k, e->key) == 0;
			if (!ok)
				diag_error(d, e->path, e->key_line,
					   "key '%s' cannot be pressed (use 0-9, *, #, +, -, /, . or backspace)",
					   e->key);
		}
		if (e->n_asks == 0)
			diag_warning(d, e->path, e->line,
				     "control '%s' has no ask: lines, so it can only be used by key", e->id);
	}
	for (int k = 0; k < CONTROL_COUNT; k++)
		if (!have[k]) {
			diag_error(d, dir, 0, "control '%s' is not defined (add a 'control: %s' block)",
				   control_names[k], control_names[k]);
			controls_ok = false;
		}
	if (controls_ok && set->n_controls == CONTROL_COUNT) {
		for (size_t i = 0; i < set->n_controls; i++)
			ordered[set->controls[i].control] = set->controls[i];
		free(set->controls);
		set->controls = ordered;
	} else {
		free(ordered);
	}
	for (size_t i = 0; controls_ok && i < CONTROL_COUNT; i++)
		for (size_t j = 0; j < i; j++)
			if (set->controls[i].key && set->controls[j].key &&
			    strcmp(set->controls[i].key, set->controls[j].key) == 0)
				diag_error(d, set->controls[i].path, set->controls[i].key_line,
					   "key '%s' of control '%s' is already used by control '%s' (%s:%d)",
					   set->controls[i].key, set->controls[i].id, set->controls[j].id,
					   set->controls[j].path, set->controls[j].key_line);

	/* Topics. */
	if (set->n_topics == 0)
		diag_error(d, dir, 0, "no topics found (add a file with a 'topic: ID' block)");
	for (size_t i = 0; i < set->n_topics; i++) {
		struct script_entry *e = &set->topics[i];
		long key;
		if (!e->key)
			diag_error(d, e->path, e->line, "topic '%s' has no key (add 'key: N')", e->id);
		else if (!key_is_number(e->key, &key) || key < 1 || key > 99)
			diag_error(d, e->path, e->key_line,
				   "key '%s' of topic '%s' is not a number from 1 to 99", e->key, e->id);
		else {
			for (size_t j = 0; j < i; j++)
				if (set->topics[j].key && strcmp(set->topics[j].key, e->key) == 0)
					diag_error(d, e->path, e->key_line,
						   "key %s of topic '%s' is already used by topic '%s' (%s:%d)",
						   e->key, e->id, set->topics[j].id, set->topics[j].path,
						   set->topics[j].key_line);
			for (size_t c = 0; controls_ok && c < CONTROL_COUNT; c++)
				if (c != CONTROL_YES && c != CONTROL_NO && set->controls[c].key &&
				    strcmp(set->controls[c].key, e->key) == 0)
					diag_error(d, e->path, e->key_line,
						   "key %s of topic '%s' is already used by control '%s' (%s:%d)",
						   e->key, e->id, set->controls[c].id,
						   set->controls[c].path, set->controls[c].key_line);
		}
		if (!e->title)
			diag_error(d, e->path, e->line,
				   "topic '%s' has no title (add 'title: ...', said in menus)", e->id);
		if (!e->n_say && !e->clip)
			diag_error(d, e->path, e->line,
				   "topic '%s' has an empty answer (add 'say:' lines)", e->id);
		if (!e->n_asks)
			diag_warning(d, e->path, e->line,
				     "topic '%s' has no ask: lines, so it can only be reached by key",
				     e->id);
		for (size_t s = 0; s < e->n_see; s++) {
			if (strcmp(e->see[s], e->id) == 0)
				diag_error(d, e->path, e->see_line,
					   "topic '%s' lists itself in see: (remove it)", e->id);
			else if (!script_set_find_topic(set, e->see[s]))
				diag_error(d, e->path, e->see_line,
					   "see: names unknown topic '%s' (check the spelling of the topic id)",
					   e->see[s]);
		}
	}

	/* Prompts. */
	for (size_t i = 0; i < set->n_prompts; i++) {
		const struct script_entry *e = &set->prompts[i];
		if (!e->n_say && !e->clip)
			diag_error(d, e->path, e->line, "prompt '%s' says nothing (add 'say:' lines)",
				   e->id);
	}
	for (const char *const *p = script_required_prompts; *p; p++)
		if (!script_set_find_prompt(set, *p))
			diag_error(d, dir, 0, "prompt '%s' is not defined (add a 'prompt: %s' block)",
				   *p, *p);

	/* Lists: every reference defined, no list that uses itself. */
	for (size_t i = 0; i < set->n_lists; i++) {
		const struct script_list *l = &set->lists[i];
		for (size_t j = 0; j < i; j++)
			if (set->lists[j].layer == l->layer && strcmp(set->lists[j].name, l->name) == 0)
				diag_error(d, l->path, l->line,
					   "list '%s' is already defined at %s:%d (rename or remove one)",
					   l->name, set->lists[j].path, set->lists[j].line);
		check_list_refs(d, set, l->tree, l->path, l->line);
		if (list_reaches(set, l->tree, l->name, 0))
			diag_error(d, l->path, l->line,
				   "list '%s' uses itself, directly or through other lists (remove the loop)",
				   l->name);
	}
	struct script_entry *groups[] = { set->topics, set->controls };
	size_t counts[] = { set->n_topics, set->n_controls };
	for (size_t g = 0; g < 2; g++)
		for (size_t i = 0; i < counts[g]; i++)
			for (size_t a = 0; a < groups[g][i].n_asks; a++)
				check_list_refs(d, set, groups[g][i].asks[a].tree, groups[g][i].asks[a].path,
						groups[g][i].asks[a].line);

	if (set->n_topics) /* qsort takes no NULL array, even empty */
		qsort(set->topics, set->n_topics, sizeof(*set->topics), cmp_topic_key);
}
