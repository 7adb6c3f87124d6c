/* `talkleaf check` and `talkleaf topics`: validate and list the content. */
#include "commands.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "check.h"
#include "cli.h"
#include "dictionary.h"
#include "json.h"
#include "lexicon.h"
#include "log.h"
#include "script.h"

static void print_diag(const struct diag *d, size_t from)
{
	for (size_t i = from; i < d->n_lines; i++)
		fprintf(stderr, "%s\n", d->lines[i]);
}

int cmd_check(const struct app *app, int argc, char **argv)
{
	static const struct cli_option options[] = { { NULL } };
	static const struct cli_command cmd = {
		"check", NULL,
		"Check the scripts and the lexicon: errors with file and line, ambiguous phrasings,\n"
		"words the recogniser does not know, sentences and answers too long to follow.\n"
		"Exits 0 only when there are no errors.",
		options,
	};
	char err[512], **pos;
	int npos, r = cli_parse(&cmd, argc, argv, &pos, &npos, err, sizeof(err));
	if (r != 0) {
		if (r < 0)
			log_error("%s", err);
		return r < 0 ? 2 : 0;
	}
	if (npos) {
		log_error("check: unexpected argument '%s' (use --scripts DIR to check a folder)", pos[0]);
		return 2;
	}

	struct diag d;
	diag_init(&d);
	struct script_set *set = NULL;
	struct lexicon *lex = NULL;
	struct dictionary *dict = NULL;
	int rs = script_set_load(app->scripts_dir, app->user_scripts_dir, &set, &d);
	int rl = lexicon_load(app->lexicon_dir, NULL, &lex, &d);
	if (dictionary_load(app->dictionary, &dict, err, sizeof(err)) < 0)
		diag_warning(&d, NULL, 0, "%s; unknown words not checked", err);
	struct check_stats st = { 0 };
	if (rs == 0)
		check_content(set, rl == 0 ? lex : NULL, dict, &d, &st);
	print_diag(&d, 0);
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
		"List the topics: id, key, title and how many phrasings their ask: lines make.",
		options,
	};
	char err[512], **pos;
	int npos, r = cli_parse(&cmd, argc, argv, &pos, &npos, err, sizeof(err));
	if (r != 0) {
		if (r < 0)
			log_error("%s", err);
		return r < 0 ? 2 : 0;
	}
	if (npos) {
		log_error("topics: unexpected argument '%s'", pos[0]);
		return 2;
	}
	struct diag d;
	diag_init(&d);
	struct script_set *set;
	if (script_set_load(app->scripts_dir, app->user_scripts_dir, &set, &d) < 0) {
		print_diag(&d, 0);
		diag_done(&d);
		return 1;
	}
	if (app->verbose)
		print_diag(&d, 0);
	if (json)
		fputs("[", stdout);
	for (size_t i = 0; i < set->n_topics; i++) {
		const struct script_entry *e = &set->topics[i];
		double n = script_entry_count(set, e);
		if (json) {
			fputs(i ? ",\n {\"id\": " : "\n {\"id\": ", stdout);
			json_write_string(stdout, e->id);
			fputs(", \"key\": ", stdout);
			json_write_string(stdout, e->key);
			fputs(", \"title\": ", stdout);
			json_write_string(stdout, e->title);
			printf(", \"phrasings\": %.0f}", n);
		} else {
			printf("%-3s %-26s %6.0f  %s\n", e->key, e->id, n, e->title);
		}
	}
	if (json)
		fputs("\n]\n", stdout);
	script_set_destroy(set);
	diag_done(&d);
	return 0;
}
