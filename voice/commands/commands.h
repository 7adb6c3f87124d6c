/* The talkleaf commands. main.c handles the options every command shares (--scripts,
 * --verbose), fills struct app, and hands the rest of the command line to one of these. */
#pragma once

#include <stdbool.h>

#include "session.h"

struct app {
	/* Where the scripts, lexicon and PocketSphinx model are (--scripts DIR, $TMPDIR for the
	 * recogniser's folder): what every command loads from, and what the conversation commands
	 * hand to session_assets_load as it is (no_recogniser stays false here: each command
	 * chooses). */
	struct session_assets_config assets;
	bool verbose; /* --verbose: the libraries' own output too (also in assets.hearing) */
	/* Where counts are kept when no --state-dir is given: $STATE_DIRECTORY (systemd's
	 * StateDirectory=), or NULL: none. */
	const char *state_dir;
	/* The commands, a line each, for talkleaf --help (made by main.c from its table; the live
	 * assistant prints them with its options). */
	const char *commands_help;
};

/* Each returns the process exit status; argv[0] is the command name. */
int cmd_check(const struct app *app, int argc, char **argv);
int cmd_topics(const struct app *app, int argc, char **argv);
int cmd_say(const struct app *app, int argc, char **argv);
int cmd_ask(const struct app *app, int argc, char **argv);
int cmd_converse(const struct app *app, int argc, char **argv);
int cmd_devices(const struct app *app, int argc, char **argv);
int cmd_counts(const struct app *app, int argc, char **argv);
int cmd_card(const struct app *app, int argc, char **argv);
/* The live assistant (no command given). */
int cmd_live(const struct app *app, int argc, char **argv);
