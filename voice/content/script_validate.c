/* The checks across files, once every script is read: controls complete and in enum order,
 * topics with a title and an answer, see: and list references that exist, lists without loops;
 * then the key map's (keymap_validate.c). */
#include "script_private.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "keymap.h"
#include "log.h"

struct name_ref {
	const char *name;
	size_t index;
};

static int cmp_name_ref(const void *a, const void *b)
{
	const struct name_ref *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	return c ? c : (x->index > y->index) - (x->index < y->index);
}

size_t *script_sort_names(const void *arr, size_t n, size_t size, size_t name_offset)
{
	struct name_ref *refs = xcalloc(n ? n : 1, sizeof(*refs));
	for (size_t i = 0; i < n; i++)
		refs[i] = (struct name_ref){
			*(const char *const *)((const char *)arr + i * size + name_offset), i
		};
	if (n)
		qsort(refs, n, sizeof(*refs), cmp_name_ref);
	size_t *order = xcalloc(n ? n : 1, sizeof(*order));
	for (size_t i = 0; i < n; i++)
		order[i] = refs[i].index;
	free(refs);
	return order;
}

void script_check_duplicates(struct diag *d, const struct script_entry *arr, size_t n)
{
	/* Each entry against the first of its id and layer, reported in file order. */
	size_t *order = SCRIPT_SORT_IDS(arr, n);
	const struct script_entry **first = xcalloc(n ? n : 1, sizeof(*first));
	for (size_t i = 0, j; i < n; i = j) {
		const struct script_entry *layer_first[2] = { NULL, NULL };
		for (j = i; j < n && strcmp(arr[order[j]].id, arr[order[i]].id) == 0; j++) {
			const struct script_entry **f = &layer_first[arr[order[j]].layer ? 1 : 0];
			if (*f)
				first[order[j]] = *f;
			else
				*f = &arr[order[j]];
		}
	}
	for (size_t i = 0; i < n; i++)
		if (first[i])
			diag_error(d, arr[i].path, arr[i].line,
				   "%s '%s' is already defined at %s:%d (rename or remove one)",
				   script_kind_name(arr[i].kind), arr[i].id, first[i]->path,
				   first[i]->line);
	free(first);
	free(order);
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

/* Depth-first search for a list that uses itself, through any chain of lists. Each list is
 * entered once a search (stamp), so a list used many times is not walked again. */
static bool list_reaches(const struct script_set *set, const struct template_node *node,
			 const char *target, int depth, unsigned *stamp, unsigned search)
{
	if (depth > 64)
		return true;
	if (node->type == TEMPLATE_LIST) {
		if (strcmp(node->text, target) == 0)
			return true;
		const struct script_list *l = script_set_find_list(set, node->text);
		if (!l || stamp[l - set->lists] == search)
			return false;
		stamp[l - set->lists] = search;
		return list_reaches(set, l->tree, target, depth + 1, stamp, search);
	}
	for (size_t i = 0; i < node->n_children; i++)
		if (list_reaches(set, node->children[i], target, depth, stamp, search))
			return true;
	return false;
}

/* Count the phrasings of list i once, after the lists it uses (template_count_cache). Returns
 * its height: 1 plus the height of the deepest list it uses (each list's in height[]). */
static int cache_list_count(struct script_set *set, size_t i, int *height, int depth);

/* The height of the deepest list the tree uses (0: none). */
static int cache_list_refs(struct script_set *set, const struct template_node *node, int *height,
			   int depth)
{
	if (node->type == TEMPLATE_LIST) {
		const struct script_list *l = script_set_find_list(set, node->text);
		return l ? cache_list_count(set, (size_t)(l - set->lists), height, depth + 1) : 0;
	}
	int h = 0;
	for (size_t i = 0; i < node->n_children; i++) {
		int c = cache_list_refs(set, node->children[i], height, depth);
		h = c > h ? c : h;
	}
	return h;
}

static int cache_list_count(struct script_set *set, size_t i, int *height, int depth)
{
	if (height[i] || depth > TEMPLATE_MAX_LIST_DEPTH + 1)
		return height[i] ? height[i] : depth;
	height[i] = 1 + cache_list_refs(set, set->lists[i].tree, height, depth);
	template_count_cache(set->lists[i].tree, script_set_list_lookup, set);
	return height[i];
}

/* Phrasings are counted (never listed) against SCRIPT_MAX_PHRASINGS_PER_TEMPLATE and
 * SCRIPT_MAX_PHRASINGS, with the line of the template past the bound. */
static void check_phrasings(struct script_set *set, struct diag *d)
{
	int *height = xcalloc(set->n_lists ? set->n_lists : 1, sizeof(*height));
	for (size_t i = 0; i < set->n_lists; i++)
		cache_list_count(set, i, height, 0);
	double total = 0;
	bool reported = false;
	struct script_entry *groups[] = { set->topics, set->controls };
	size_t counts[] = { set->n_topics, set->n_controls };
	for (size_t g = 0; g < 2; g++)
		for (size_t i = 0; i < counts[g]; i++)
			for (size_t a = 0; a < groups[g][i].n_asks; a++) {
				struct script_ask *ask = &groups[g][i].asks[a];
				double path, c = template_count_cache(ask->tree,
								      script_set_list_lookup, set);
				if (cache_list_refs(set, ask->tree, height, 0) > TEMPLATE_MAX_LIST_DEPTH)
					diag_error(d, ask->path, ask->line,
						   "lists are nested more than %d deep here (use fewer lists within lists)",
						   TEMPLATE_MAX_LIST_DEPTH);
				else if ((path = template_path_length(ask->tree, script_set_list_lookup,
									 set)) > TEMPLATE_MAX_PATH)
					diag_error(d, ask->path, ask->line,
						   "a phrasing of this template goes through %.0f words, brackets and lists, more than %d (write it simpler: fewer brackets, fewer lists within lists)",
						   path, TEMPLATE_MAX_PATH);
				else if (c > SCRIPT_MAX_PHRASINGS_PER_TEMPLATE)
					diag_error(d, ask->path, ask->line,
						   "this template makes %.0f phrasings, more than %.0f (split it or use fewer optional words)",
						   c, SCRIPT_MAX_PHRASINGS_PER_TEMPLATE);
				total += c;
				if (total > SCRIPT_MAX_PHRASINGS && !reported) {
					reported = true;
					diag_error(d, ask->path, ask->line,
						   "the templates make more than %.0f phrasings in all by this one (use fewer lists and optional words)",
						   SCRIPT_MAX_PHRASINGS);
				}
			}
	free(height);
}

/* Whether a topic has this id, by bisection of `order` (SCRIPT_SORT_IDS of the topics). */
static bool topic_exists(const struct script_set *set, const size_t *order, const char *id)
{
	size_t lo = 0, hi = set->n_topics;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(set->topics[order[mid]].id, id);
		if (c == 0)
			return true;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return false;
}

static int cmp_list(const void *a, const void *b)
{
	return strcmp(((const struct script_list *)a)->name, ((const struct script_list *)b)->name);
}

void script_set_validate(struct script_set *set, struct diag *d, const char *dir, unsigned flags)
{
	bool keypad_only = flags & SCRIPT_LOAD_KEYPAD_ONLY;
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
				   "unknown control '%s' (controls are repeat, slower, faster, more, back, help, stop, yes, no, goodbye, louder, quieter, start-again, language)",
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
		if (e->n_asks == 0 && !keypad_only)
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
	/* Topics. */
	if (set->n_topics == 0)
		diag_error(d, dir, 0, "no topics found (add a file with a 'topic: ID' block)");
	size_t *by_id = SCRIPT_SORT_IDS(set->topics, set->n_topics);
	for (size_t i = 0; i < set->n_topics; i++) {
		struct script_entry *e = &set->topics[i];
		if (!e->title)
			diag_error(d, e->path, e->line,
				   "topic '%s' has no title (add 'title: ...', said in menus)", e->id);
		if (!e->n_say && !e->clip)
			diag_error(d, e->path, e->line,
				   "topic '%s' has an empty answer (add 'say:' lines)", e->id);
		if (!e->n_asks && !keypad_only)
			diag_warning(d, e->path, e->line,
				     "topic '%s' has no ask: lines, so it can only be reached by key",
				     e->id);
		for (size_t s = 0; s < e->n_see; s++) {
			if (strcmp(e->see[s], e->id) == 0)
				diag_error(d, e->path, e->see_line,
					   "topic '%s' lists itself in see: (remove it)", e->id);
			else if (!topic_exists(set, by_id, e->see[s]))
				diag_error(d, e->path, e->see_line,
					   "see: names unknown topic '%s' (check the spelling of the topic id)",
					   e->see[s]);
		}
	}

	free(by_id);

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

	/* Lists: defined once, every reference defined, no list that uses itself. Then sorted by
	 * name, so each reference is a bsearch. */
	size_t *by_name = SCRIPT_SORT_LISTS(set->lists, set->n_lists);
	for (size_t i = 1; i < set->n_lists; i++) {
		const struct script_list *l = &set->lists[by_name[i]];
		for (size_t j = i; j-- > 0 && strcmp(set->lists[by_name[j]].name, l->name) == 0;)
			if (set->lists[by_name[j]].layer == l->layer) {
				diag_error(d, l->path, l->line,
					   "list '%s' is already defined at %s:%d (rename or remove one)",
					   l->name, set->lists[by_name[j]].path, set->lists[by_name[j]].line);
				break;
			}
	}
	free(by_name);
	if (set->n_lists)
		qsort(set->lists, set->n_lists, sizeof(*set->lists), cmp_list);
	set->lists_sorted = true;
	size_t errors_before = d->n_errors;
	unsigned *stamp = xcalloc(set->n_lists ? set->n_lists : 1, sizeof(*stamp));
	for (size_t i = 0; i < set->n_lists; i++) {
		const struct script_list *l = &set->lists[i];
		check_list_refs(d, set, l->tree, l->path, l->line);
		if (list_reaches(set, l->tree, l->name, 0, stamp, (unsigned)i + 1))
			diag_error(d, l->path, l->line,
				   "list '%s' uses itself, directly or through other lists (remove the loop)",
				   l->name);
	}
	free(stamp);
	struct script_entry *groups[] = { set->topics, set->controls };
	size_t counts[] = { set->n_topics, set->n_controls };
	for (size_t g = 0; g < 2; g++)
		for (size_t i = 0; i < counts[g]; i++)
			for (size_t a = 0; a < groups[g][i].n_asks; a++)
				check_list_refs(d, set, groups[g][i].asks[a].tree, groups[g][i].asks[a].path,
						groups[g][i].asks[a].line);
	if (d->n_errors == errors_before)
		check_phrasings(set, d);

	if (controls_ok)
		keymap_validate(set, d);
}
