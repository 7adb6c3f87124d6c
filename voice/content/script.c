/* Reading scripts/: each file parsed into topics, controls, prompts and lists, the built-in and
 * --scripts layers merged, and the lookups. The checks across files are in script_validate.c. */
#include "script.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clip_path.h"
#include "languages.h"
#include "log.h"
#include "script_private.h"
#include "textfile.h"

const char *const control_names[CONTROL_COUNT] = {
	[CONTROL_REPEAT] = "repeat", [CONTROL_SLOWER] = "slower", [CONTROL_FASTER] = "faster",
	[CONTROL_MORE] = "more",     [CONTROL_BACK] = "back",     [CONTROL_HELP] = "help",
	[CONTROL_STOP] = "stop",     [CONTROL_YES] = "yes",       [CONTROL_NO] = "no",
	[CONTROL_GOODBYE] = "goodbye", [CONTROL_LOUDER] = "louder", [CONTROL_QUIETER] = "quieter",
	[CONTROL_START_AGAIN] = "start-again", [CONTROL_LANGUAGE] = "language",
};

const char *const script_required_prompts[] = {
	"greeting", "menu-intro", "menu-item", "menu-next", "menu-end", "help", "not-heard",
	"not-sure", "confirm", "confirm-goodbye", "confirm-no", "after-answer", "no-more",
	"see-also", "reprompt-1", "reprompt-2", "reset", "goodbye", "slower", "faster", "slowest",
	"fastest", "stopped", "back-nothing", "unknown-key", "submenu-end",
	"help-menu-intro", "help-item", "louder", "quieter", "loudest", "quietest", "choice",
	"choice-or", "noisy", NULL,
};

struct loader {
	struct script_set *set;
	struct diag *d;
	int layer;
	const char *builtin_dir; /* clips may also come from here (clip_path.h) */
};

static void entry_free(struct script_entry *e)
{
	free(e->id);
	free(e->key);
	free(e->keyboard);
	free(e->in_menu);
	free(e->title);
	for (size_t i = 0; i < e->n_asks; i++) {
		free(e->asks[i].text);
		template_node_destroy(e->asks[i].tree);
	}
	free(e->asks);
	for (size_t i = 0; i < e->n_say; i++)
		free(e->say[i]);
	free(e->say);
	free(e->say_lines);
	free(e->more_lines);
	for (size_t i = 0; i < e->n_more; i++)
		free(e->more[i]);
	free(e->more);
	for (size_t i = 0; i < e->n_see; i++)
		free(e->see[i]);
	free(e->see);
	free(e->clip);
	free(e->more_clip);
}

static void list_free(struct script_list *l)
{
	free(l->name);
	template_node_destroy(l->tree);
}

void script_set_destroy(struct script_set *set)
{
	if (!set)
		return;
	for (size_t i = 0; i < set->n_topics; i++)
		entry_free(&set->topics[i]);
	for (size_t i = 0; i < set->n_controls; i++)
		entry_free(&set->controls[i]);
	for (size_t i = 0; i < set->n_prompts; i++)
		entry_free(&set->prompts[i]);
	for (size_t i = 0; i < set->n_menus; i++)
		entry_free(&set->menus[i]);
	for (size_t i = 0; i < set->n_lists; i++)
		list_free(&set->lists[i]);
	free(set->topics);
	free(set->controls);
	free(set->prompts);
	free(set->menus);
	free(set->lists);
	for (size_t i = 0; i < set->n_files; i++)
		free(set->files[i]);
	free(set->files);
	free(set);
}

const char *script_kind_name(enum script_kind k)
{
	return k == SCRIPT_TOPIC     ? "topic"
	       : k == SCRIPT_CONTROL ? "control"
	       : k == SCRIPT_MENU    ? "menu"
				     : "prompt";
}

static bool valid_id(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '-'))
			return false;
	return true;
}

static void push_string(char ***arr, size_t *n, const char *s)
{
	*arr = xreallocarray(*arr, *n + 1, sizeof(**arr));
	(*arr)[(*n)++] = xstrdup(s);
}

static const char *intern_file(struct script_set *set, const char *path)
{
	set->files = xreallocarray(set->files, set->n_files + 1, sizeof(*set->files));
	return set->files[set->n_files++] = xstrdup(path);
}

static struct script_entry *new_entry(struct loader *ld, enum script_kind kind)
{
	struct script_set *s = ld->set;
	struct script_entry **arr;
	size_t *n;
	switch (kind) {
	case SCRIPT_TOPIC:
		arr = &s->topics, n = &s->n_topics;
		break;
	case SCRIPT_CONTROL:
		arr = &s->controls, n = &s->n_controls;
		break;
	case SCRIPT_MENU:
		arr = &s->menus, n = &s->n_menus;
		break;
	default:
		arr = &s->prompts, n = &s->n_prompts;
		break;
	}
	*arr = xreallocarray(*arr, *n + 1, sizeof(**arr));
	struct script_entry *e = &(*arr)[*n];
	memset(e, 0, sizeof(*e));
	e->layer = ld->layer;
	(*n)++;
	e->kind = kind;
	e->control = CONTROL_COUNT;
	return e;
}

static void add_list(struct loader *ld, const char *path, int line, const char *name,
		     const char *value)
{
	struct diag *d = ld->d;
	if (!valid_id(name)) {
		diag_error(d, path, line,
			   "bad list name '%s' (use lower-case letters, digits and '-')", name);
		return;
	}
	char msg[256];
	struct template_node *tree;
	if (!*value) {
		diag_error(d, path, line, "list '%s' is empty (write 'list %s: a | b')", name, name);
		return;
	}
	if (template_parse(value, &tree, msg, sizeof(msg)) < 0) {
		diag_error(d, path, line, "%s", msg);
		return;
	}
	/* A list is a set of alternatives even when written as one item. */
	if (!(tree->type == TEMPLATE_SEQ && tree->n_children == 1 &&
	      tree->children[0]->type == TEMPLATE_ALT)) {
		struct template_node *alt = xcalloc(1, sizeof(*alt));
		alt->type = TEMPLATE_ALT;
		alt->children = xmalloc(sizeof(*alt->children));
		alt->children[0] = tree;
		alt->n_children = 1;
		tree = alt;
	} else {
		struct template_node *alt = tree->children[0];
		tree->n_children = 0;
		template_node_destroy(tree);
		tree = alt;
	}
	struct script_set *s = ld->set;
	s->lists = xreallocarray(s->lists, s->n_lists + 1, sizeof(*s->lists));
	s->lists[s->n_lists++] = (struct script_list){ xstrdup(name), tree, path, line, ld->layer };
}

static void set_once(struct diag *d, const char *path, int line, char **slot, int *slot_line,
		     const char *field, const char *value, const struct script_entry *e)
{
	if (*slot) {
		diag_error(d, path, line, "second '%s:' in %s '%s' (the first is on line %d)", field,
			   script_kind_name(e->kind), e->id, *slot_line);
		return;
	}
	*slot = xstrdup(value);
	*slot_line = line;
}

/* A say: or more: line within SCRIPT_MAX_LINE_CHARS, and no more than SCRIPT_MAX_ANSWER_LINES of
 * them (reported once; the rest are not kept). False when the line is not kept. */
static bool check_answer_line(struct diag *d, const char *path, int line, const char *field,
			      const char *value, size_t n_before, const struct script_entry *e)
{
	size_t len = strlen(value);
	if (n_before >= SCRIPT_MAX_ANSWER_LINES) {
		if (n_before == SCRIPT_MAX_ANSWER_LINES)
			diag_error(d, path, line,
				   "%s '%s' has more than %d %s: lines (move the rest to more: or to another topic)",
				   script_kind_name(e->kind), e->id, SCRIPT_MAX_ANSWER_LINES, field);
		return n_before == SCRIPT_MAX_ANSWER_LINES;
	}
	if (len > SCRIPT_MAX_LINE_CHARS) {
		diag_error(d, path, line,
			   "this %s: line has %zu characters, more than %d (split it into several %s: lines)",
			   field, len, SCRIPT_MAX_LINE_CHARS, field);
		return false;
	}
	return true;
}

static void parse_field(struct loader *ld, const char *path, const struct textfile_line *l,
			struct script_entry *e)
{
	struct diag *d = ld->d;
	const char *f = l->field, *v = l->value;
	int line = l->number;
	bool topic = e->kind == SCRIPT_TOPIC, control = e->kind == SCRIPT_CONTROL,
	     prompt = e->kind == SCRIPT_PROMPT, menu = e->kind == SCRIPT_MENU;
	bool allowed = true;

	if (!*v) {
		diag_error(d, path, line, "empty '%s:' (write something after the colon or remove the line)",
			   f);
		return;
	}
	if (strcmp(f, "key") == 0) {
		allowed = !prompt;
		if (allowed)
			set_once(d, path, line, &e->key, &e->key_line, f, v, e);
	} else if (strcmp(f, "keyboard") == 0) {
		allowed = control;
		if (allowed)
			set_once(d, path, line, &e->keyboard, &e->keyboard_line, f, v, e);
	} else if (strcmp(f, "in-menu") == 0) {
		allowed = topic;
		if (allowed)
			set_once(d, path, line, &e->in_menu, &e->in_menu_line, f, v, e);
	} else if (strcmp(f, "title") == 0) {
		allowed = !prompt;
		if (allowed)
			set_once(d, path, line, &e->title, &e->title_line, f, v, e);
	} else if (strcmp(f, "ask") == 0) {
		allowed = !prompt && !menu;
		if (allowed) {
			char msg[256];
			struct template_node *tree;
			if (template_parse(v, &tree, msg, sizeof(msg)) < 0) {
				diag_error(d, path, line, "%s", msg);
				return;
			}
			e->asks = xreallocarray(e->asks, e->n_asks + 1, sizeof(*e->asks));
			e->asks[e->n_asks++] = (struct script_ask){ xstrdup(v), tree, path, line };
		}
	} else if (strcmp(f, "say") == 0) {
		allowed = topic || prompt;
		if (allowed && check_answer_line(d, path, line, f, v, e->n_say, e)) {
			if (!e->n_say)
				e->say_line = line;
			e->say_lines = xreallocarray(e->say_lines, e->n_say + 1, sizeof(int));
			e->say_lines[e->n_say] = line;
			push_string(&e->say, &e->n_say, v);
		}
	} else if (strcmp(f, "more") == 0) {
		allowed = topic;
		if (allowed && check_answer_line(d, path, line, f, v, e->n_more, e)) {
			if (!e->n_more)
				e->more_line = line;
			e->more_lines = xreallocarray(e->more_lines, e->n_more + 1, sizeof(int));
			e->more_lines[e->n_more] = line;
			push_string(&e->more, &e->n_more, v);
		}
	} else if (strcmp(f, "see") == 0) {
		allowed = topic;
		if (allowed) {
			if (!e->n_see)
				e->see_line = line;
			char *copy = xstrdup(v);
			for (char *tok = strtok(copy, ", \t"); tok; tok = strtok(NULL, ", \t"))
				push_string(&e->see, &e->n_see, tok);
			free(copy);
		}
	} else if (strcmp(f, "clip") == 0 || strcmp(f, "more-clip") == 0) {
		bool more = f[0] == 'm';
		allowed = more ? topic : topic || prompt;
		if (allowed) {
			char *abs, msg[PATH_MAX + 256];
			if (clip_path_resolve(path, v, ld->builtin_dir, &abs, msg, sizeof(msg)) < 0)
				diag_error(d, path, line, "%s", msg);
			else
				set_once(d, path, line, more ? &e->more_clip : &e->clip,
					 more ? &e->more_clip_line : &e->clip_line, f, abs, e);
			free(abs);
		}
	} else {
		diag_error(d, path, line,
			   "unknown field '%s' (expected topic, control, prompt, menu, list NAME, key, keyboard, in-menu, title, ask, say, more, see, clip or more-clip)",
			   f);
		return;
	}
	if (!allowed)
		diag_error(d, path, line, "'%s:' is not used in a %s (remove it)", f,
			   script_kind_name(e->kind));
}

static int parse_text(struct loader *ld_in, const char *path, const char *text)
{
	struct loader ld = *ld_in;
	struct script_set *set = ld.set;
	struct diag *d = ld.d;
	char *copy = xstrdup(text);
	const char *p = intern_file(set, path);
	size_t before = d->n_errors;
	struct textfile_line *lines;
	size_t n = textfile_lines(copy, p, d, &lines);
	struct script_entry *e = NULL;
	for (size_t i = 0; i < n; i++) {
		const struct textfile_line *l = &lines[i];
		if (!l->field) {
			diag_error(d, p, l->number,
				   "line has no 'field:' (write it as 'say: ...'; a sentence goes on a say: line)");
			continue;
		}
		if (strncmp(l->field, "list ", 5) == 0 || strcmp(l->field, "list") == 0) {
			const char *name = l->field + 4;
			while (*name == ' ')
				name++;
			add_list(&ld, p, l->number, name, l->value);
			continue;
		}
		enum script_kind kind;
		if (strcmp(l->field, "topic") == 0)
			kind = SCRIPT_TOPIC;
		else if (strcmp(l->field, "control") == 0)
			kind = SCRIPT_CONTROL;
		else if (strcmp(l->field, "prompt") == 0)
			kind = SCRIPT_PROMPT;
		else if (strcmp(l->field, "menu") == 0)
			kind = SCRIPT_MENU;
		else {
			if (!e)
				diag_error(d, p, l->number,
					   "'%s:' comes before any block (start with 'topic: ID', 'menu: ID', 'control: NAME' or 'prompt: NAME')",
					   l->field);
			else
				parse_field(&ld, p, l, e);
			continue;
		}
		if (!valid_id(l->value)) {
			diag_error(d, p, l->number,
				   "bad %s id '%s' (use lower-case letters, digits and '-')",
				   script_kind_name(kind), l->value);
		}
		e = new_entry(&ld, kind);
		e->id = xstrdup(l->value);
		e->path = p;
		e->line = l->number;
	}
	free(lines);
	free(copy);
	return d->n_errors > before ? -EINVAL : 0;
}

int script_set_parse_text(struct script_set *set, const char *path, const char *text,
			  struct diag *d)
{
	struct loader ld = { .set = set, .d = d, .layer = 0 };
	return parse_text(&ld, path, text);
}

static int load_dir(struct loader *ld, const char *dir)
{
	char **files;
	int n = textfile_list_dir(dir, &files);
	if (n < 0) {
		diag_error(ld->d, dir, 0, "cannot read the scripts folder: %s (check the path)",
			   strerror(-n));
		return -ENOENT;
	}
	if (n == 0)
		diag_error(ld->d, dir, 0, "no *.txt script files in this folder");
	for (int i = 0; i < n; i++) {
		char *text;
		if (strcmp(strrchr(files[i], '/') + 1, LANGUAGES_FILE) == 0)
			continue; /* read by languages.c */
		int r = textfile_read(files[i], &text);
		if (r < 0) {
			diag_error(ld->d, files[i], 0, "cannot read: %s", textfile_read_error(r));
			continue;
		}
		parse_text(ld, files[i], text);
		free(text);
	}
	textfile_free_list(files, (size_t)n);
	return 0;
}

/* Drop the entries that k[] does not keep, freeing them and k. */
static void compact_entries(struct script_entry *arr, size_t *n, bool *k)
{
	size_t out = 0, total = *n;
	for (size_t i = 0; i < total; i++) {
		if (k[i])
			arr[out++] = arr[i];
		else
			entry_free(&arr[i]);
	}
	free(k);
	*n = out;
}

/* The user's topics only. */
static bool *keep_user_topics(const struct script_entry *arr, size_t n)
{
	bool *k = xcalloc(n ? n : 1, sizeof(*k));
	for (size_t i = 0; i < n; i++)
		k[i] = arr[i].layer == 1;
	return k;
}

/* A built-in entry is replaced by a user entry with the same id: found among the entries sorted
 * by id, so that many entries are compared in n log n, not n^2. */
static bool *keep_not_overridden(const struct script_entry *arr, size_t n)
{
	bool *k = xcalloc(n ? n : 1, sizeof(*k));
	size_t *order = SCRIPT_SORT_IDS(arr, n);
	for (size_t i = 0, j; i < n; i = j) {
		bool user = false;
		for (j = i; j < n && strcmp(arr[order[j]].id, arr[order[i]].id) == 0; j++)
			user |= arr[order[j]].layer == 1;
		for (size_t m = i; m < j; m++)
			k[order[m]] = !user || arr[order[m]].layer == 1;
	}
	free(order);
	return k;
}



static int cmp_list_name(const void *key, const void *elem)
{
	return strcmp(key, ((const struct script_list *)elem)->name);
}

const struct script_list *script_set_find_list(const struct script_set *set, const char *name)
{
	if (set->lists_sorted)
		return set->n_lists ? bsearch(name, set->lists, set->n_lists, sizeof(*set->lists),
					      cmp_list_name)
				    : NULL;
	for (size_t i = 0; i < set->n_lists; i++)
		if (strcmp(set->lists[i].name, name) == 0)
			return &set->lists[i];
	return NULL;
}

const struct template_node *script_set_list_lookup(void *set, const char *name)
{
	const struct script_list *l = script_set_find_list(set, name);
	return l ? l->tree : NULL;
}

static void compact_lists(struct script_set *set)
{
	size_t out = 0;
	bool *overridden_at = xcalloc(set->n_lists ? set->n_lists : 1, sizeof(*overridden_at));
	size_t *order = SCRIPT_SORT_LISTS(set->lists, set->n_lists);
	const struct script_list *l = set->lists;
	for (size_t i = 0, j; i < set->n_lists; i = j) {
		bool user = false;
		for (j = i; j < set->n_lists && strcmp(l[order[j]].name, l[order[i]].name) == 0; j++)
			user |= l[order[j]].layer == 1;
		for (size_t m = i; m < j; m++)
			overridden_at[order[m]] = user && l[order[m]].layer == 0;
	}
	free(order);
	for (size_t i = 0; i < set->n_lists; i++) {
		bool overridden = overridden_at[i];
		if (overridden)
			list_free(&set->lists[i]);
		else
			set->lists[out++] = set->lists[i];
	}
	free(overridden_at);
	set->n_lists = out;
}

int script_set_load(const char *builtin_dir, const char *user_dir, struct script_set **out,
		    struct diag *d)
{
	return script_set_load_flags(builtin_dir, user_dir, 0, out, d);
}

int script_set_load_flags(const char *builtin_dir, const char *user_dir, unsigned flags,
			  struct script_set **out, struct diag *d)
{
	struct script_set *set = xcalloc(1, sizeof(*set));
	size_t before = d->n_errors;
	int r = 0;
	struct loader ld = { .set = set, .d = d, .layer = 0, .builtin_dir = builtin_dir };
	*out = NULL;
	if (load_dir(&ld, builtin_dir) < 0)
		r = -ENOENT;
	if (user_dir) {
		ld.layer = 1;
		if (load_dir(&ld, user_dir) < 0)
			r = -ENOENT;
	}
	script_check_duplicates(d, set->topics, set->n_topics);
	script_check_duplicates(d, set->controls, set->n_controls);
	script_check_duplicates(d, set->prompts, set->n_prompts);
	script_check_duplicates(d, set->menus, set->n_menus);
	if (user_dir) {
		/* The menus come with the topics they hold. */
		compact_entries(set->topics, &set->n_topics,
				keep_user_topics(set->topics, set->n_topics));
		compact_entries(set->menus, &set->n_menus,
				keep_user_topics(set->menus, set->n_menus));
		compact_entries(set->controls, &set->n_controls,
				keep_not_overridden(set->controls, set->n_controls));
		compact_entries(set->prompts, &set->n_prompts,
				keep_not_overridden(set->prompts, set->n_prompts));
		compact_lists(set);
	}
	if (r == 0)
		script_set_validate(set, d, user_dir ? user_dir : builtin_dir, flags);
	if (r == 0 && d->n_errors > before)
		r = -EINVAL;
	if (r < 0) {
		script_set_destroy(set);
		return r;
	}
	*out = set;
	return 0;
}

static const struct script_entry *find(const struct script_entry *arr, size_t n, const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(arr[i].id, id) == 0)
			return &arr[i];
	return NULL;
}

void script_set_each_entry(const struct script_set *set,
			   void (*fn)(void *data, const struct script_entry *e), void *data)
{
	const struct script_entry *groups[] = { set->topics, set->menus, set->controls,
						set->prompts };
	size_t counts[] = { set->n_topics, set->n_menus, set->n_controls, set->n_prompts };
	for (size_t g = 0; g < 4; g++)
		for (size_t i = 0; i < counts[g]; i++)
			fn(data, &groups[g][i]);
}

const struct script_entry *script_set_find_topic(const struct script_set *set, const char *id)
{
	return find(set->topics, set->n_topics, id);
}

const struct script_entry *script_set_control(const struct script_set *set, enum control c)
{
	if ((size_t)c >= set->n_controls || set->controls[c].control != c)
		return NULL;
	return &set->controls[c];
}

const struct script_entry *script_set_find_prompt(const struct script_set *set, const char *name)
{
	return find(set->prompts, set->n_prompts, name);
}

int script_entry_expand(const struct script_set *set, const struct script_entry *entry,
			template_phrase_fn fn, void *fn_data)
{
	for (size_t i = 0; i < entry->n_asks; i++) {
		int r = template_expand(entry->asks[i].tree, script_set_list_lookup, (void *)set, fn,
					fn_data);
		if (r)
			return r;
	}
	return 0;
}

int script_entry_phrasing_at(const struct script_set *set, const struct script_entry *entry,
			     uint64_t index, char **buf, size_t *cap)
{
	for (size_t i = 0; i < entry->n_asks; i++) {
		const struct template_node *t = entry->asks[i].tree;
		uint64_t c = (uint64_t)template_count(t, script_set_list_lookup, (void *)set);
		if (index < c || c == 0)
			return template_phrasing_at(t, script_set_list_lookup, (void *)set, index, buf,
						    cap);
		index -= c;
	}
	return -ERANGE;
}

/* ceil() for a non-negative count, without libm. */
static uint64_t ceil_index(double x)
{
	uint64_t i = (uint64_t)x;
	return (double)i < x ? i + 1 : i;
}

int script_entry_sample(const struct script_set *set, const struct script_entry *entry,
			size_t max, template_phrase_fn fn, void *fn_data)
{
	double total = script_entry_count(set, entry);
	double stride = max && total > (double)max ? total / (double)max : 1.0;
	char *buf = NULL;
	size_t cap = 0;
	int r = 0;
	for (double next = 0; r == 0 && (double)ceil_index(next) < total; next += stride) {
		r = script_entry_phrasing_at(set, entry, ceil_index(next), &buf, &cap);
		if (r == 0)
			r = fn(fn_data, buf);
	}
	/* No phrasing counted: an undefined list or one nested too deep says which. */
	for (size_t i = 0; r == 0 && total == 0 && i < entry->n_asks; i++)
		r = template_phrasing_at(entry->asks[i].tree, script_set_list_lookup, (void *)set, 0,
					 &buf, &cap);
	free(buf);
	return r;
}

double script_entry_count(const struct script_set *set, const struct script_entry *entry)
{
	double c = 0;
	for (size_t i = 0; i < entry->n_asks; i++)
		c += template_count(entry->asks[i].tree, script_set_list_lookup, (void *)set);
	return c;
}
