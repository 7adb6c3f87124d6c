/* talkleaf: a talking leaflet. This file reads the options every command shares and dispatches. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "config.h"
#include "log.h"
#include "paths.h"
#include "stop.h"

struct command {
	const char *name;
	int (*run)(const struct app *app, int argc, char **argv);
	const char *summary;
};

static const struct command commands[] = {
	{ "ask", cmd_ask, "recognise spoken questions in sound files and say what was decided" },
	{ "converse", cmd_converse, "run a whole conversation from recordings into a reply file" },
	{ "say", cmd_say, "speak a topic, a prompt or some text (to a WAV or the speaker)" },
	{ "check", cmd_check, "check the scripts and the lexicon" },
	{ "topics", cmd_topics, "list the topics" },
	{ "devices", cmd_devices, "list the sound devices" },
	{ "counts", cmd_counts, "what a station was asked, per day (numbers only)" },
	{ "card", cmd_card, "a keypad card to print and put beside a station" },
	{ NULL, NULL, NULL },
};

/* The commands a line each, for talkleaf --help: the live assistant prints them with its own
 * options, so one help covers both. */
static void commands_help(char *buf, size_t len)
{
	size_t used = 0;
	buf[0] = '\0';
	for (const struct command *c = commands; c->name; c++) {
		int n = snprintf(buf + used, len - used, "  %-10s %s\n", c->name, c->summary);
		if (n < 0 || (size_t)n >= len - used)
			break;
		used += (size_t)n;
	}
}

static const struct command *command_named(const char *name)
{
	for (const struct command *c = commands; c->name; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

/* The command in args[1..n-1]: the first word, or after options ("talkleaf --language pl
 * converse", as a family worker may write it) the first word that names a command, moved to
 * args[1] with the options before it after it, so each command parses them with its own.
 * Returns NULL when there is none (the live assistant), args left as they are. A value before
 * the command that is itself a command's name is written --name=VALUE (talkleaf(1)). */
static const struct command *command_take(int n, char **args)
{
	if (n < 2 || args[1][0] != '-')
		return n > 1 ? command_named(args[1]) : NULL;
	for (int i = 1; i < n && strcmp(args[i], "--") != 0; i++) {
		const struct command *c = args[i][0] != '-' ? command_named(args[i]) : NULL;
		if (!c)
			continue;
		char *word = args[i];
		memmove(args + 2, args + 1, (size_t)(i - 1) * sizeof(*args));
		args[1] = word;
		return c;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	/* From the first moment: loading the scripts and the models is long enough to be stopped
	 * (docs/signals.md). */
	stop_on_signals();
	struct app app = {
		.assets = {
			.scripts_dir = paths_scripts_dir(),
			.lexicon_dir = paths_lexicon_dir(),
			.hearing = {
				.acoustic_model = paths_acoustic_model(),
				.dictionary = paths_dictionary(),
				.adaptation = paths_adaptation(),
				.scratch_parent = getenv("TMPDIR"),
			},
		},
	};
	/* Take the shared options out wherever they are, so each command sees only its own. */
	char **rest = calloc((size_t)argc + 1, sizeof(*rest));
	if (!rest)
		return 2;
	int n = 0;
	rest[n++] = argv[0];
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--scripts") == 0) {
			if (i + 1 >= argc) {
				log_error("--scripts needs a folder");
				free(rest);
				return 2;
			}
			app.assets.user_scripts_dir = argv[++i];
		} else if (strncmp(argv[i], "--scripts=", 10) == 0) {
			app.assets.user_scripts_dir = argv[i] + 10;
		} else if (strcmp(argv[i], "--verbose") == 0 || strcmp(argv[i], "-v") == 0) {
			app.verbose = true;
		} else {
			rest[n++] = argv[i];
		}
	}
	app.assets.hearing.verbose = app.verbose;
	char commands_text[2048];
	commands_help(commands_text, sizeof(commands_text));
	app.commands_help = commands_text;
	/* systemd's StateDirectory= (the first, when it names several): where counts are kept. */
	char *state_dir = getenv("STATE_DIRECTORY") ? strdup(getenv("STATE_DIRECTORY")) : NULL;
	if (state_dir && strchr(state_dir, ':'))
		*strchr(state_dir, ':') = '\0';
	app.state_dir = state_dir && *state_dir ? state_dir : NULL;
	if (app.verbose)
		log_level_current = LOG_DEBUG;

	int status;
	const struct command *cmd = command_take(n, rest);
	if (!cmd && n > 1 && rest[1][0] != '-') {
		log_error("unknown command '%s' (see talkleaf --help)", rest[1]);
		free(rest);
		free(state_dir);
		return 2;
	}
	if (cmd) {
		status = cmd->run(&app, n - 1, rest + 1);
	} else if (n > 1 && strcmp(rest[1], "--version") == 0) {
		printf("talkleaf %s\n", TALKLEAF_VERSION);
		status = 0;
	} else {
		/* The live assistant, whose --help is the program's. "--help-live" was its help
		 * before the two were one: kept so old notes still work. */
		if (n > 1 && strcmp(rest[1], "--help-live") == 0)
			rest[1] = (char *)"--help";
		rest[0] = (char *)"live";
		status = cmd_live(&app, n, rest);
	}
	free(rest);
	free(state_dir);
	return status;
}
