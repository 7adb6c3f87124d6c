/* `talkleaf check` and `talkleaf topics`: validate and list the content. */
#include "commands.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audio.h"
#include "check.h"
#include "check_durations.h"
#include "check_spelling.h"
#include "cli.h"
#include "dictionary.h"
#include "json.h"
#include "keymap.h"
#include "languages.h"
#include "lexicon.h"
#include "log.h"
#include "script.h"
#include "synthesiser.h"
#include "text.h"

/* Recorded clips must exist and be playable: an error, with the script line that names them. */
static void check_clips(const struct script_set *set, struct diag *d)
{
	const struct script_entry *groups[] = { set->topics, set->prompts };
	size_t counts[] = { set->n_topics, set->n_prompts };
	char err[512];
	for (size_t g = 0; g < 2; g++)
		for (size_t i = 0; i < counts[g]; i++) {
			const struct script_entry *e = &groups[g][i];
			if (e->clip && audio_clip_check(e->clip, NULL, err, sizeof(err)) < 0)
				diag_error(d, e->path, e->clip_line, "%s", err);
			if (e->more_clip && audio_clip_check(e->more_clip, NULL, err, sizeof(err)) < 0)
				diag_error(d, e->path, e->more_clip_line, "%s", err);
		}
}

struct spoken {
	const struct script_set *set;
	const struct lexicon *lex;
};

static void spoken_entry(void *data, const struct script_entry *e)
{
	const struct spoken *sp = data;
	for (size_t k = 0; k < e->n_say + e->n_more; k++) {
		bool more = k >= e->n_say, phonemes;
		char *text = keymap_fill(sp->set, more ? e->more[k - e->n_say] : e->say[k], e, NULL);
		char *spoken = text_prepare(sp->lex, text, &phonemes);
		if (strcmp(spoken, text) != 0)
			printf("%s:%d: %s\n", e->path,
			       more ? e->more_lines[k - e->n_say] : e->say_lines[k], spoken);
		free(spoken);
		free(text);
	}
}

/* --spoken: each say:/more: line that the text preparation changes (numbers said as words, the
 * lexicon, markup), as eSpeak NG will get it, so an author sees how a number will be read. */
static void check_spoken_print(const struct script_set *set, const struct lexicon *lex)
{
	script_set_each_entry(set, spoken_entry, &(struct spoken){ set, lex });
}

/* One language as check loads it. */
struct checked {
	const struct language *lang;
	struct script_set *set; /* NULL when it does not load (errors in d) */
	struct lexicon *lex;    /* NULL when it does not load */
	bool reported;          /* checked and reported (all, or the one --language names) */
	struct check_stats st;
	struct check_language_stats cl;
	size_t spelled;
};

/* The installed languages, or when they cannot be found (errors in d), the main language alone
 * as today's English, so its scripts are still checked. */
static struct languages *find_languages(const struct app *app, struct diag *d)
{
	struct languages *langs;
	if (languages_find(app->assets.scripts_dir, app->assets.user_scripts_dir, &langs, d) == 0)
		return langs;
	langs = xcalloc(1, sizeof(*langs));
	langs->items = xcalloc(1, sizeof(*langs->items));
	langs->n = 1;
	struct language *l = &langs->items[0];
	l->code = xstrdup(LANGUAGES_DEFAULT_CODE);
	l->name = xstrdup(LANGUAGES_DEFAULT_NAME);
	l->voice = xstrdup(LANGUAGES_DEFAULT_VOICE);
	l->recognition = true;
	l->builtin_dir = xstrdup(app->assets.scripts_dir);
	l->user_dir = app->assets.user_scripts_dir ? xstrdup(app->assets.user_scripts_dir) : NULL;
	return langs;
}

/* The voice a language names, with its pronunciations: an error at its voice: line when eSpeak
 * NG has no such voice. False when the synth cannot speak it. */
static bool use_voice(struct synth *synth, const struct checked *c, struct diag *d)
{
	char err[512];
	if (synth_set_voice(synth, c->lang->voice, c->lang->code, c->lex, err, sizeof(err)) == 0)
		return true;
	diag_error(d, c->lang->path, c->lang->voice_line, "%s", err);
	return false;
}

/* Load a language's set and lexicon (the main one's from today's lexicon folder); what fails is
 * left NULL with its errors in d. */
static void load_language(const struct app *app, struct checked *c, bool main, struct diag *d)
{
	languages_load_set(c->lang, &c->set, d);
	if (main)
		lexicon_load_with_scripts(app->assets.lexicon_dir, app->assets.user_scripts_dir,
					  &c->lex, d);
	else
		languages_load_lexicon(c->lang, &c->lex, d);
}

/* Everything check says of one loaded language, into d (figures on stdout; choose: durations
 * with the help menu offering the language control, as a multi-language install is heard). */
static void check_one(struct checked *c, const struct checked *main, const struct dictionary *dict,
		      struct synth *synth, bool durations, bool choose, bool spoken, struct diag *d)
{
	bool is_main = c == main;
	check_content(c->set, c->lex, is_main && c->lang->recognition ? dict : NULL, d, &c->st);
	check_clips(c->set, d);
	check_language(c->set, c->lang, main->set, main->lang, d, &c->cl);
	bool voiced = synth && use_voice(synth, c, d);
	if (voiced && !is_main)
		c->spelled = check_spelled_words(c->set, synth, c->lang, main->lang, d);
	if (voiced && durations)
		check_durations_print(c->set, synth, is_main ? NULL : c->lang->code,
				      !c->lang->recognition, choose, d);
	if (spoken)
		check_spoken_print(c->set, c->lex);
	c->reported = true;
}

int cmd_check(const struct app *app, int argc, char **argv)
{
	bool durations = false, spoken = false;
	const char *only = NULL;
	const struct cli_option options[] = {
		{ "durations", CLI_FLAG, &durations, NULL,
		  "speak every answer and prompt into memory and print how long it takes, each "
		  "language in its own voice" },
		{ "spoken", CLI_FLAG, &spoken, NULL,
		  "print each line whose numbers or words are read differently from how they are "
		  "written, as the speech engine gets it (file:line: text)" },
		{ "language", CLI_STRING, &only, "CODE",
		  "check this installed language only (compared with the main one)" },
		{ NULL },
	};
	const struct cli_command cmd = {
		"check", "[--durations] [--spoken] [--language CODE]",
		"Check the scripts and the lexicon of every installed language: errors with file and\n"
		"line, ambiguous phrasings, words the recogniser does not know, sentences and answers\n"
		"too long to follow, recorded clips that cannot be played; in each other language,\n"
		"what is missing or untranslated, words its voice spells out, and (keypad only)\n"
		"prompts that ask to speak. Exits 0 only when there are no errors.",
		options,
	};
	char err[512], **pos;
	int npos, r = cli_parse_command(&cmd, argc, argv, &pos, &npos, 0);
	if (r != CLI_CONTINUE)
		return r;

	struct diag d, quiet;
	diag_init(&d);
	diag_init(&quiet);
	struct languages *langs = find_languages(app, &d);
	const struct language *chosen = only ? languages_find_code(langs, only) : NULL;
	if (only && !chosen) {
		char codes[256];
		languages_codes(langs, codes, sizeof(codes));
		log_error("no language '%s' is installed (the installed ones: %s)", only, codes);
		languages_destroy(langs);
		diag_done(&d);
		diag_done(&quiet);
		return 2;
	}
	struct checked *cs = xcalloc(langs->n, sizeof(*cs));
	struct dictionary *dict = NULL;
	if (langs->items[0].recognition && (!chosen || chosen == &langs->items[0]) &&
	    dictionary_load(app->assets.hearing.dictionary, &dict, err, sizeof(err)) < 0)
		diag_warning(&d, NULL, 0, "%s; unknown words not checked", err);
	for (size_t i = 0; i < langs->n; i++) {
		cs[i].lang = &langs->items[i];
		/* With --language, the main language is loaded to compare with, not reported. */
		if (!chosen || chosen == cs[i].lang || i == 0)
			load_language(app, &cs[i], i == 0,
				      !chosen || chosen == cs[i].lang ? &d : &quiet);
	}
	struct synth *synth = NULL;
	struct synth_config sconf;
	synth_config_defaults(&sconf);
	if ((durations || langs->n > 1) && cs[0].set &&
	    synth_create(&sconf, NULL, &synth, err, sizeof(err)) < 0)
		diag_warning(&d, NULL, 0, "cannot speak to check durations and spelling: %s", err);
	for (size_t i = 0; i < langs->n; i++)
		if (cs[i].set && cs[0].set && (!chosen || chosen == cs[i].lang))
			check_one(&cs[i], &cs[0], dict, synth, durations, langs->n > 1 && !chosen,
				  spoken, &d);
	if (durations && synth && !chosen) {
		struct script_set **sets = xcalloc(langs->n, sizeof(*sets));
		struct lexicon **lexes = xcalloc(langs->n, sizeof(*lexes));
		for (size_t i = 0; i < langs->n; i++)
			sets[i] = cs[i].set, lexes[i] = cs[i].lex;
		check_durations_choice(langs, sets, lexes, synth, &d);
		free(sets);
		free(lexes);
	}
	synth_destroy(synth);
	diag_print(&d, stderr);
	for (size_t i = 1; i < langs->n; i++)
		if (cs[i].reported)
			printf("check %s (%s): %zu topics; %zu missing, %zu untranslated, "
			       "%zu spelled out, %zu asking to speak\n",
			       cs[i].lang->code, cs[i].lang->name, cs[i].set->n_topics, cs[i].cl.missing,
			       cs[i].cl.untranslated, cs[i].spelled, cs[i].cl.asks_to_speak);
	const struct checked *shown = chosen ? &cs[chosen - langs->items] : &cs[0];
	if (shown->reported)
		printf("check: %zu topics, %zu phrasings, %.1f words a sentence; "
		       "%zu ambiguous, %zu unknown words, %zu long sentences, %zu long answers; "
		       "%zu errors, %zu warnings\n",
		       shown->set->n_topics, shown->st.phrasings, shown->st.words_per_sentence,
		       shown->st.ambiguous, shown->st.unknown_words, shown->st.long_sentences,
		       shown->st.long_answers, d.n_errors, d.n_warnings);
	else
		printf("check: %zu errors, %zu warnings\n", d.n_errors, d.n_warnings);
	int status = d.n_errors ? 1 : 0;
	dictionary_destroy(dict);
	for (size_t i = 0; i < langs->n; i++) {
		lexicon_destroy(cs[i].lex);
		script_set_destroy(cs[i].set);
	}
	free(cs);
	languages_destroy(langs);
	diag_done(&quiet);
	diag_done(&d);
	return status;
}

int cmd_topics(const struct app *app, int argc, char **argv)
{
	bool json = false;
	const struct cli_option options[] = {
		{ "json", CLI_FLAG, &json, NULL, "print a JSON array" },
		{ NULL },
	};
	const struct cli_command cmd = {
		"topics", "[--json]",
		"List the topics: keys from the main menu (\"2-3\": 2, then 3), id, title and how many phrasings their ask: lines make.",
		options,
	};
	char **pos;
	int npos, r = cli_parse_command(&cmd, argc, argv, &pos, &npos, 0);
	if (r != CLI_CONTINUE)
		return r;
	struct diag d;
	diag_init(&d);
	struct script_set *set;
	if (script_set_load(app->assets.scripts_dir, app->assets.user_scripts_dir, &set, &d) < 0) {
		diag_print(&d, stderr);
		diag_done(&d);
		return 1;
	}
	if (app->verbose)
		diag_print(&d, stderr);
	if (json)
		fputs("[", stdout);
	for (size_t i = 0; i < set->n_topics; i++) {
		const struct script_entry *e = &set->topics[i];
		double n = script_entry_count(set, e);
		/* The keys from the main menu, "2-3" for key 3 of the menu on 2. */
		const struct script_entry *menu = keymap_topic_menu(set, e);
		char keys[16];
		snprintf(keys, sizeof(keys), "%s%s%s", menu ? menu->key : "", menu ? "-" : "", e->key);
		if (json) {
			fputs(i ? ",\n {\"id\": " : "\n {\"id\": ", stdout);
			json_write_string(stdout, e->id);
			fputs(", \"key\": ", stdout);
			json_write_string(stdout, keys);
			fputs(", \"title\": ", stdout);
			json_write_string(stdout, e->title);
			printf(", \"phrasings\": %.0f}", n);
		} else {
			printf("%-3s %-26s %6.0f  %s\n", keys, e->id, n, e->title);
		}
	}
	if (json)
		fputs("\n]\n", stdout);
	script_set_destroy(set);
	diag_done(&d);
	return 0;
}
