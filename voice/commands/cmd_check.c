/* `talkleaf check` and `talkleaf topics`: validate and list the content. */
#include "commands.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audio.h"
#include "check.h"
#include "check_durations.h"
#include "cli.h"
#include "dictionary.h"
#include "json.h"
#include "keymap.h"
#include "lexicon.h"
#include "log.h"
#include "script.h"
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

/* --spoken: each say:/more: line that the text preparation changes (numbers said as words, the
 * lexicon, markup), as eSpeak NG will get it, so an author sees how a number will be read. */
static void check_spoken_print(const struct script_set *set, const struct lexicon *lex)
{
	const struct script_entry *groups[] = { set->topics, set->menus, set->controls,
						set->prompts };
	size_t counts[] = { set->n_topics, set->n_menus, set->n_controls, set->n_prompts };
	for (size_t g = 0; g < 4; g++)
		for (size_t i = 0; i < counts[g]; i++) {
			const struct script_entry *e = &groups[g][i];
			for (size_t k = 0; k < e->n_say + e->n_more; k++) {
				bool more = k >= e->n_say, phonemes;
				char *text = keymap_fill(set, more ? e->more[k - e->n_say] : e->say[k],
							 e, NULL);
				char *spoken = text_prepare(lex, text, &phonemes);
				if (strcmp(spoken, text) != 0)
					printf("%s:%d: %s\n", e->path,
					       more ? e->more_lines[k - e->n_say] : e->say_lines[k],
					       spoken);
				free(spoken);
				free(text);
			}
		}
}

int cmd_check(const struct app *app, int argc, char **argv)
{
	bool durations = false, spoken = false;
	const struct cli_option options[] = {
		{ "durations", CLI_FLAG, &durations, NULL,
		  "speak every answer and prompt into memory and print how long it takes" },
		{ "spoken", CLI_FLAG, &spoken, NULL,
		  "print each line whose numbers or words are read differently from how they are "
		  "written, as the speech engine gets it (file:line: text)" },
		{ NULL },
	};
	const struct cli_command cmd = {
		"check", "[--durations] [--spoken]",
		"Check the scripts and the lexicon: errors with file and line, ambiguous phrasings,\n"
		"words the recogniser does not know, sentences and answers too long to follow,\n"
		"recorded clips that cannot be played. Exits 0 only when there are no errors.",
		options,
	};
	char err[512], **pos;
	int npos, r = cli_parse_command(&cmd, argc, argv, &pos, &npos, 0);
	if (r != CLI_CONTINUE)
		return r;

	struct diag d;
	diag_init(&d);
	struct script_set *set = NULL;
	struct lexicon *lex = NULL;
	struct dictionary *dict = NULL;
	int rs = script_set_load(app->assets.scripts_dir, app->assets.user_scripts_dir, &set, &d);
	int rl = lexicon_load_with_scripts(app->assets.lexicon_dir, app->assets.user_scripts_dir,
					   &lex, &d);
	if (dictionary_load(app->assets.hearing.dictionary, &dict, err, sizeof(err)) < 0)
		diag_warning(&d, NULL, 0, "%s; unknown words not checked", err);
	struct check_stats st = { 0 };
	if (rs == 0) {
		check_content(set, rl == 0 ? lex : NULL, dict, &d, &st);
		check_clips(set, &d);
		if (durations)
			check_durations_print(set, rl == 0 ? lex : NULL, &d);
		if (spoken)
			check_spoken_print(set, rl == 0 ? lex : NULL);
	}
	diag_print(&d, stderr);
	if (rs == 0)
		printf("check: %zu topics, %zu phrasings, %.1f words a sentence; "
		       "%zu ambiguous, %zu unknown words, %zu long sentences, %zu long answers; "
		       "%zu errors, %zu warnings\n",
		       set->n_topics, st.phrasings, st.words_per_sentence, st.ambiguous,
		       st.unknown_words, st.long_sentences, st.long_answers, d.n_errors, d.n_warnings);
	else
		printf("check: %zu errors, %zu warnings\n", d.n_errors, d.n_warnings);
	int status = d.n_errors ? 1 : 0;
	dictionary_destroy(dict);
	lexicon_destroy(lex);
	script_set_destroy(set);
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
