/* `talkleaf check` per language: what a language lacks or left untranslated compared with the
 * main one, and, without a recogniser, prompts that ask the parent to speak (docs/languages.md). */
#include "check.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>

#include "languages.h"
#include "log.h"
#include "script_private.h"

/* The folder a language's own scripts are in, as messages name it. */
static const char *own_dir(const struct language *lang)
{
	return lang->user_dir ? lang->user_dir : lang->builtin_dir;
}

static bool under(const char *path, const char *dir)
{
	size_t n = strlen(dir);
	return strncmp(path, dir, n) == 0 && path[n] == '/';
}

bool check_language_owns(const struct script_entry *e, const struct language *lang,
			 const struct language *main_lang)
{
	if (lang == main_lang)
		return true;
	if (lang->user_dir && under(e->path, lang->user_dir))
		return true;
	return strcmp(lang->builtin_dir, main_lang->builtin_dir) != 0 &&
	       under(e->path, lang->builtin_dir);
}

/* Prompts a keypad-only language never uses: those said only with --push-to-talk, and the card's
 * line inviting a parent to ask out loud. */
static bool speech_only(const char *id)
{
	const char *suffix = "-push-to-talk";
	size_t n = strlen(id), k = strlen(suffix);
	return (n > k && strcmp(id + n - k, suffix) == 0) || strcmp(id, "card-ask") == 0;
}

/* True when text has two words outside its {placeholders}: "{title}." is the same in every
 * language, and so is a name alone ("CAMHS"); "Press {key}." is not. */
static bool has_words(const char *text)
{
	size_t words = 0;
	bool in = false;
	for (const char *p = text; *p; p++) {
		if (*p == '{' && strchr(p, '}'))
			p = strchr(p, '}');
		bool letter = isalpha((unsigned char)*p) || (unsigned char)*p >= 0x80;
		words += letter && !in;
		in = letter;
	}
	return words >= 2;
}

static const struct script_entry *find_entry(const struct script_entry *arr, size_t n,
					     const char *id)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(arr[i].id, id) == 0)
			return &arr[i];
	return NULL;
}

/* Every entry of the main language's `arr` that the language has none of: a warning at the main
 * language's block. */
static void report_missing(const struct script_entry *main_arr, size_t n_main,
			   const struct script_entry *arr, size_t n, const struct language *lang,
			   struct diag *d, struct check_language_stats *st)
{
	for (size_t i = 0; i < n_main; i++) {
		const struct script_entry *m = &main_arr[i];
		if (find_entry(arr, n, m->id) ||
		    (m->kind == SCRIPT_PROMPT && !lang->recognition && speech_only(m->id)))
			continue;
		st->missing++;
		diag_warning(d, m->path, m->line,
			     "%s '%s' is missing in %s (%s/): translate this block into a file there",
			     script_kind_name(m->kind), m->id, lang->name, own_dir(lang));
	}
}

/* A prompt or control the language takes from the main built-in scripts (its own folders have
 * none): a warning at the block that is said instead. */
static void report_borrowed(const struct script_entry *arr, size_t n,
			    const struct language *lang, const struct language *main_lang,
			    struct diag *d, struct check_language_stats *st)
{
	for (size_t i = 0; i < n; i++) {
		const struct script_entry *e = &arr[i];
		if (check_language_owns(e, lang, main_lang) ||
		    (e->kind == SCRIPT_PROMPT && !lang->recognition && speech_only(e->id)))
			continue;
		st->missing++;
		diag_warning(d, e->path, e->line,
			     "%s '%s' is missing in %s (%s/), so this one is said instead: translate it into a file there",
			     script_kind_name(e->kind), e->id, lang->name, own_dir(lang));
	}
}

static void report_same(const char *what, const struct script_entry *e, int line,
			const char *text, const struct script_entry *m, int main_line,
			const struct language *lang, struct diag *d,
			struct check_language_stats *st)
{
	if (!has_words(text))
		return;
	st->untranslated++;
	diag_warning(d, e->path, line,
		     "%s of %s '%s' is the same as the main language's (%s:%d): translate it into %s",
		     what, script_kind_name(e->kind), e->id, m->path, main_line, lang->name);
}

/* The language's own entries whose title, or one of whose say: lines, is word for word the main
 * language's. */
static void report_untranslated(const struct script_entry *arr, size_t n,
				const struct script_entry *main_arr, size_t n_main,
				const struct language *lang, const struct language *main_lang,
				struct diag *d, struct check_language_stats *st)
{
	for (size_t i = 0; i < n; i++) {
		const struct script_entry *e = &arr[i], *m = find_entry(main_arr, n_main, e->id);
		if (!m || !check_language_owns(e, lang, main_lang))
			continue;
		if (e->title && m->title && strcmp(e->title, m->title) == 0)
			report_same("the title", e, e->title_line, e->title, m, m->title_line, lang,
				    d, st);
		for (size_t k = 0; k < e->n_say; k++)
			for (size_t j = 0; j < m->n_say; j++)
				if (strcmp(e->say[k], m->say[j]) == 0) {
					report_same("a say: line", e, e->say_lines[k], e->say[k], m,
						    m->say_lines[j], lang, d, st);
					break;
				}
	}
}

/* Without a recogniser, a prompt or control title asking the parent to speak is an error. */
static void report_speaking(const struct script_set *set, const struct language *lang,
			    struct diag *d, struct check_language_stats *st)
{
	const char *word;
	for (size_t i = 0; i < set->n_prompts; i++) {
		const struct script_entry *e = &set->prompts[i];
		if (speech_only(e->id))
			continue;
		for (size_t k = 0; k < e->n_say; k++)
			if (languages_text_asks_to_speak(lang, e->say[k], &word)) {
				st->asks_to_speak++;
				diag_error(d, e->path, e->say_lines[k],
					   "prompt '%s' asks the parent to speak ('%s'), but %s is keypad only (no recogniser hears it): say which key to press instead",
					   e->id, word, lang->name);
			}
	}
	for (size_t i = 0; i < set->n_controls; i++) {
		const struct script_entry *e = &set->controls[i];
		if (e->title && languages_text_asks_to_speak(lang, e->title, &word)) {
			st->asks_to_speak++;
			diag_error(d, e->path, e->title_line,
				   "the title of control '%s' asks the parent to speak ('%s'), but %s is keypad only (no recogniser hears it): name what it does instead",
				   e->id, word, lang->name);
		}
	}
}

void check_language(const struct script_set *set, const struct language *lang,
		    const struct script_set *main_set, const struct language *main_lang,
		    struct diag *d, struct check_language_stats *st)
{
	memset(st, 0, sizeof(*st));
	if (main_set && lang != main_lang) {
		report_missing(main_set->topics, main_set->n_topics, set->topics, set->n_topics, lang,
			       d, st);
		report_missing(main_set->menus, main_set->n_menus, set->menus, set->n_menus, lang, d,
			       st);
		report_missing(main_set->prompts, main_set->n_prompts, set->prompts, set->n_prompts,
			       lang, d, st);
		report_borrowed(set->prompts, set->n_prompts, lang, main_lang, d, st);
		report_borrowed(set->controls, set->n_controls, lang, main_lang, d, st);
		const struct script_entry *groups[] = { set->topics, set->menus, set->controls,
							set->prompts };
		const struct script_entry *main_groups[] = { main_set->topics, main_set->menus,
							     main_set->controls, main_set->prompts };
		size_t counts[] = { set->n_topics, set->n_menus, set->n_controls, set->n_prompts };
		size_t main_counts[] = { main_set->n_topics, main_set->n_menus, main_set->n_controls,
					 main_set->n_prompts };
		for (size_t g = 0; g < 4; g++)
			report_untranslated(groups[g], counts[g], main_groups[g], main_counts[g], lang,
					    main_lang, d, st);
	}
	if (!lang->recognition)
		report_speaking(set, lang, d, st);
}
