#include "check_durations.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audio.h"
#include "check.h"
#include "dialogue.h"
#include "keymap.h"
#include "log.h"
#include "session.h"
#include "synthesiser.h"

/* A menu offers at most 9 entries, so never more pages than that: a walk that goes on is a bug. */
#define PAGES_MAX KEYMAP_MENU_MAX

struct measure {
	const struct script_set *set;
	const char *prefix; /* "" for the main language, else its code and a space */
	struct synth *synth;
	struct diag *d;
	struct dialogue_config config;
	double item_gap_s; /* the session's pause between items */
};

/* Speak every answer into memory and report how long it takes at the default rate. */
static void measure_answers(const struct script_set *set, struct synth *synth, const char *prefix,
			    struct diag *d)
{
	char err[512];
	printf("%sspoken duration at %d words a minute (answer, more), voice %s:\n", prefix,
	       synth_rate(synth), synth_voice(synth));
	for (size_t i = 0; i < set->n_topics; i++) {
		const struct script_entry *e = &set->topics[i];
		double say = e->clip ? 0 : synth_measure_seconds(synth, e->say, e->n_say, err, sizeof(err));
		double more = e->clip || !e->n_more ? 0 :
			synth_measure_seconds(synth, e->more, e->n_more, err, sizeof(err));
		if (say < 0 || more < 0) {
			diag_error(d, e->path, e->line, "cannot speak topic '%s': %s", e->id, err);
			continue;
		}
		printf("  %s%-26s %5.1f s %5.1f s\n", prefix, e->id, say, more);
		if (say > CHECK_MAX_ANSWER_SECONDS)
			diag_warning(d, e->path, e->say_line,
				     "the answer of '%s' takes %.1f s to say (keep it under %.0f s; move the rest to more:)",
				     e->id, say, CHECK_MAX_ANSWER_SECONDS);
	}
}

/* Seconds one item takes as playback says it (voice/loop/playback.c): its clip, or its sentences
 * with a prompt's placeholders filled. 0 when it says nothing; < 0 with err. */
static double item_seconds(const struct measure *m, const struct dialogue_item *it, char *err,
			   size_t errlen)
{
	bool more = it->type == DIALOGUE_ITEM_MORE;
	const char *clip = more ? it->entry->more_clip : it->entry->clip;
	if (clip) {
		double s = 0;
		return audio_clip_check(clip, &s, err, errlen) < 0 ? -1 : s;
	}
	char *const *lines = more ? it->entry->more : it->entry->say;
	size_t n = more ? it->entry->n_more : it->entry->n_say;
	if (it->type != DIALOGUE_ITEM_PROMPT || n == 0)
		return synth_measure_seconds(m->synth, lines, n, err, errlen);
	char **filled = xcalloc(n, sizeof(*filled));
	for (size_t i = 0; i < n; i++)
		filled[i] = keymap_fill(m->set, lines[i], it->topic, it->key);
	double s = synth_measure_seconds(m->synth, filled, n, err, errlen);
	for (size_t i = 0; i < n; i++)
		free(filled[i]);
	free(filled);
	return s;
}

/* Seconds items [from, to) take one after the other, with the session's pause between them. */
static double items_seconds(const struct measure *m, const struct dialogue_item *items,
			    size_t from, size_t to)
{
	double total = 0;
	bool said = false;
	char err[512];
	for (size_t i = from; i < to; i++) {
		double s = item_seconds(m, &items[i], err, sizeof(err));
		if (s < 0) {
			diag_error(m->d, items[i].entry->path, items[i].entry->line,
				   "cannot say '%s': %s", items[i].entry->id, err);
			return -1;
		}
		if (s > 0) {
			total += (said ? m->item_gap_s : 0) + s;
			said = true;
		}
	}
	return total;
}

static bool is_prompt(const struct dialogue_item *it, const char *name)
{
	return it->type == DIALOGUE_ITEM_PROMPT && strcmp(it->entry->id, name) == 0;
}

/* The SAY an event gives, or NULL. Valid until the next event. */
static const struct dialogue_action *say_of(struct dialogue *dlg, const struct dialogue_event *ev)
{
	const struct dialogue_action *acts;
	size_t n = dialogue_handle(dlg, ev, &acts);
	for (size_t i = 0; i < n; i++)
		if (acts[i].type == DIALOGUE_ACTION_SAY)
			return &acts[i];
	return NULL;
}

static const struct dialogue_action *press(struct dialogue *dlg, const char *key)
{
	return say_of(dlg, &(struct dialogue_event){ .type = DIALOGUE_EVENT_KEY, .key = key });
}

/* Playback finished: the dialogue listens, as it would after the sound. */
static void played(struct dialogue *dlg)
{
	say_of(dlg, &(struct dialogue_event){ .type = DIALOGUE_EVENT_PLAYBACK_DONE });
}

/* A new dialogue, greeted (*greeting: the greeting's SAY, or NULL), or NULL with a warning. */
static struct dialogue *start(const struct measure *m, const struct dialogue_action **greeting)
{
	struct dialogue *dlg;
	char err[512];
	if (dialogue_create(m->set, &m->config, &dlg, err, sizeof(err)) < 0) {
		diag_warning(m->d, NULL, 0, "cannot measure the prompts: %s", err);
		return NULL;
	}
	*greeting = say_of(dlg, &(struct dialogue_event){ .type = DIALOGUE_EVENT_START });
	return dlg;
}

/* Print one figure; a warning at `where` (a script entry's say: line) when over `limit`. */
static void report(const struct measure *m, const char *label, double s, double limit,
		   const struct script_entry *where, const char *advice)
{
	if (s < 0)
		return;
	char full[160];
	snprintf(full, sizeof(full), "%s%s", m->prefix, label);
	printf("  %-34s %5.1f s\n", full, s);
	if (s > limit && where)
		diag_warning(m->d, where->path, where->say_line ? where->say_line : where->line,
			     "%s takes %.1f s to say (keep it under %.0f s; %s)", full, s, limit,
			     advice);
}

/* The first prompt of items [from, n), where a long page is reported. */
static const struct script_entry *first_prompt(const struct dialogue_action *say, size_t from)
{
	for (size_t i = from; i < say->n_items; i++)
		if (say->items[i].type == DIALOGUE_ITEM_PROMPT)
			return say->items[i].entry;
	return NULL;
}

/* Whether items [from, n) offer the language control: its page is labelled, so that the page
 * a multi-language install adds to is seen (and tested) as heard. */
static bool offers_language(const struct measure *m, const struct dialogue_action *say, size_t from)
{
	const struct script_entry *language = script_set_control(m->set, CONTROL_LANGUAGE);
	for (size_t i = from; language && i < say->n_items; i++)
		if (say->items[i].type == DIALOGUE_ITEM_PROMPT && say->items[i].topic == language)
			return true;
	return false;
}

/* Each page of the menu whose first page `say` is, then the more key until its last page. On
 * the help menu, help's own sentences before the page are measured apart. `menu` is where a
 * sub-menu's long page is reported (its block in menus.txt); NULL: the page's first prompt. */
static void walk_menu(const struct measure *m, struct dialogue *dlg,
		      const struct dialogue_action *say, const char *name,
		      const struct script_entry *menu)
{
	const struct script_entry *more = script_set_control(m->set, CONTROL_MORE);
	for (int page = 1; say && say->n_items && page <= PAGES_MAX; page++) {
		size_t from = 0;
		while (from < say->n_items && (is_prompt(&say->items[from], "help") ||
					       is_prompt(&say->items[from], "help-menu-intro")))
			from++;
		if (from > 0)
			report(m, "help before its menu", items_seconds(m, say->items, 0, from),
			       CHECK_MAX_HELP_SECONDS, say->items[0].entry,
			       "say less before the menu");
		char label[128];
		snprintf(label, sizeof(label), "%s page %d%s", name, page,
			 offers_language(m, say, from) ? " (language)" : "");
		report(m, label, items_seconds(m, say->items, from, say->n_items),
		       CHECK_MAX_MENU_PAGE_SECONDS, menu ? menu : first_prompt(say, from),
		       "shorter titles or a shorter menu-item prompt");
		const struct dialogue_item *last = &say->items[say->n_items - 1];
		bool end = is_prompt(last, "menu-end") || is_prompt(last, "submenu-end");
		played(dlg);
		if (end || !more || !more->key)
			break;
		say = press(dlg, more->key);
	}
}

/* The choice between the two topics with the longest titles ("did you mean X? press 1. or Y?"),
 * as a question heard between them asks it. */
static void measure_choice(const struct measure *m)
{
	const struct script_entry *a = NULL, *b = NULL, *t;
	for (size_t i = 0; i < m->set->n_topics; i++) {
		t = &m->set->topics[i];
		size_t len = t->title ? strlen(t->title) : 0;
		if (!a || len > strlen(a->title ? a->title : ""))
			b = a, a = t;
		else if (!b || len > strlen(b->title ? b->title : ""))
			b = t;
	}
	const struct dialogue_action *say;
	struct dialogue *dlg;
	if (!b || !(dlg = start(m, &say)))
		return;
	played(dlg);
	say = say_of(dlg, &(struct dialogue_event){ .type = DIALOGUE_EVENT_UTTERANCE,
						    .heard = "?", .kind = INTENT_TOPIC,
						    .topic_id = a->id, .second_topic_id = b->id,
						    .decision = DECISION_CONFIRM });
	if (say && say->n_items)
		report(m, "choice of the longest titles", items_seconds(m, say->items, 0, say->n_items),
		       CHECK_MAX_MENU_PAGE_SECONDS, say->items[0].entry, "a shorter choice prompt");
	dialogue_destroy(dlg);
}

/* Speak the prompts as a parent hears them, driving a real dialogue with keys: the greeting,
 * the main menu's pages (more from the greeting), each sub-menu's (its key from the greeting),
 * help and the help menu's (help from the greeting). */
static void measure_prompts(const struct script_set *set, struct synth *synth, const char *prefix,
			    bool keypad_only, bool choose_language, struct diag *d)
{
	struct session_config sc;
	session_config_defaults(&sc);
	sc.dialogue.choose_language = choose_language;
	struct measure m = { .set = set, .prefix = prefix, .synth = synth, .d = d,
			     .config = sc.dialogue, .item_gap_s = sc.item_gap_s };
	const struct script_entry *more = script_set_control(set, CONTROL_MORE);
	const struct script_entry *help = script_set_control(set, CONTROL_HELP);
	const struct dialogue_action *say;
	struct dialogue *dlg = start(&m, &say);
	if (!dlg)
		return;
	printf("%sprompts as heard, at %d words a minute:\n", prefix, synth_rate(synth));
	if (say && say->n_items)
		report(&m, "greeting", items_seconds(&m, say->items, 0, say->n_items),
		       CHECK_MAX_GREETING_SECONDS, say->items[0].entry, "say less before the menu");
	played(dlg);
	if (more && more->key)
		walk_menu(&m, dlg, press(dlg, more->key), "main menu", NULL);
	dialogue_destroy(dlg);

	const struct script_entry *items[KEYMAP_MENU_MAX];
	size_t n = keymap_menu_items(set, NULL, items);
	for (size_t i = 0; i < n; i++) {
		if (items[i]->kind != SCRIPT_MENU || !items[i]->key || !(dlg = start(&m, &say)))
			continue;
		played(dlg);
		char name[128];
		snprintf(name, sizeof(name), "menu %s", items[i]->id);
		walk_menu(&m, dlg, press(dlg, items[i]->key), name, items[i]);
		dialogue_destroy(dlg);
	}

	if (help && help->key && (dlg = start(&m, &say))) {
		played(dlg);
		walk_menu(&m, dlg, press(dlg, help->key), "help menu", NULL);
		dialogue_destroy(dlg);
	}
	if (!keypad_only) /* only a question heard between two topics asks it */
		measure_choice(&m);
}

void check_durations_print(const struct script_set *set, struct synth *synth, const char *code,
			   bool keypad_only, bool choose_language, struct diag *d)
{
	char prefix[64];
	snprintf(prefix, sizeof(prefix), "%s%s", code ? code : "", code ? " " : "");
	measure_answers(set, synth, prefix, d);
	measure_prompts(set, synth, prefix, keypad_only, choose_language, d);
}

void check_durations_choice(const struct languages *langs, struct script_set *const *sets,
			    struct lexicon *const *lexes, struct synth *synth, struct diag *d)
{
	struct session_config sc;
	session_config_defaults(&sc);
	const struct script_entry *first = NULL;
	double total = 0;
	char err[512];
	if (langs->n < 2)
		return;
	for (size_t i = 0; i < langs->n; i++) {
		const struct script_entry *e =
			sets[i] ? script_set_find_prompt(sets[i], "language-choice") : NULL;
		char digit[24];
		snprintf(digit, sizeof(digit), "%zu", i + 1);
		if (!e || e->n_say == 0 ||
		    synth_set_voice(synth, langs->items[i].voice, langs->items[i].code, lexes[i],
				    err, sizeof(err)) < 0)
			continue;
		first = first ? first : e;
		char **filled = xcalloc(e->n_say, sizeof(*filled));
		for (size_t k = 0; k < e->n_say; k++)
			filled[k] = keymap_fill(sets[i], e->say[k], NULL, digit);
		double s = synth_measure_seconds(synth, filled, e->n_say, err, sizeof(err));
		for (size_t k = 0; k < e->n_say; k++)
			free(filled[k]);
		free(filled);
		if (s < 0) {
			diag_error(d, e->path, e->line, "cannot say 'language-choice': %s", err);
			continue;
		}
		if (!total)
			printf("language choice, each language in its own voice:\n");
		printf("  %-34s %5.1f s\n", langs->items[i].code, s);
		total += (total > 0 ? sc.item_gap_s : 0) + s;
	}
	if (!first)
		return;
	printf("  %-34s %5.1f s\n", "language choice", total);
	if (total > CHECK_MAX_GREETING_SECONDS)
		diag_warning(d, first->path, first->say_line,
			     "the language choice takes %.1f s to say, every language's language-choice prompt together (keep it under %.0f s; shorter prompts)",
			     total, CHECK_MAX_GREETING_SECONDS);
}
