/* The talkleaf commands. main.c handles the options every command shares (--scripts,
 * --verbose), fills struct app, and hands the rest of the command line to one of these. */
#pragma once

#include <stdbool.h>

struct app {
	const char *scripts_dir;      /* built-in scripts */
	const char *user_scripts_dir; /* --scripts DIR, or NULL */
	const char *lexicon_dir;      /* built-in lexicon */
	const char *acoustic_model;   /* PocketSphinx model folder */
	const char *dictionary;       /* PocketSphinx dictionary */
	const char *scratch_parent;   /* $TMPDIR, or NULL: where the recogniser's folder goes */
	bool verbose;
};

/* Each returns the process exit status; argv[0] is the command name. */
int cmd_check(const struct app *app, int argc, char **argv);
int cmd_topics(const struct app *app, int argc, char **argv);
int cmd_say(const struct app *app, int argc, char **argv);
int cmd_ask(const struct app *app, int argc, char **argv);
int cmd_converse(const struct app *app, int argc, char **argv);
int cmd_devices(const struct app *app, int argc, char **argv);
/* The live assistant (no command given). */
int cmd_live(const struct app *app, int argc, char **argv);
