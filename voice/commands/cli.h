/* One table per command drives its parsing, --help and validation. */
#pragma once

#include <stdbool.h>
#include <stdio.h>

enum cli_type { CLI_FLAG, CLI_STRING, CLI_INT, CLI_DOUBLE, CLI_STRINGS };

struct cli_option {
	const char *name;     /* long name without "--" */
	enum cli_type type;
	void *target;         /* bool*, const char**, int*, double*, or struct cli_strings* */
	const char *arg_name; /* "FILE", "N"; NULL for flags */
	const char *help;
	double min, max;      /* for CLI_INT/CLI_DOUBLE when min < max */
};

/* For CLI_STRINGS: every value until the next option ("--turns a.wav b.wav"); `items` is a new
 * array the caller frees (the strings are argv's). */
struct cli_strings {
	const char **items;
	int n;
};

struct cli_command {
	const char *name;     /* "say" */
	const char *synopsis; /* "TOPIC|--prompt NAME|--text TEXT [options]" */
	const char *summary;  /* one line */
	const struct cli_option *options; /* terminated by {NULL} */
	/* The program itself only: its commands, a line each ("  say   speak ...\n"), shown in its
	 * --help with its own options (one help for the live assistant and the commands). */
	const char *commands;
};

/* Parse argv (argv[0] is the command name). Positional arguments are moved to the front of argv
 * and counted in *n_positional (pointing into argv). --help prints the usage to stdout and returns
 * 1. Returns 0, 1 (help shown), or -EINVAL with a message for the user in err. Every option
 * target must already hold its default. */
int cli_parse(const struct cli_command *cmd, int argc, char **argv, char ***positional,
	      int *n_positional, char *err, size_t errlen);
/* Print the command's --help: usage, summary, the commands (for the program), its options and
 * the ones every command shares, help wrapped at 100 columns. */
void cli_usage(FILE *out, const struct cli_command *cmd);

/* cli_parse for a command's entry point: prints the help or the usage error itself, and refuses
 * more than `max_positional` positional arguments (-1: any number). Returns CLI_CONTINUE, or the
 * exit status the command should return (0 after --help, 2 for a usage error). */
#define CLI_CONTINUE (-1)
int cli_parse_command(const struct cli_command *cmd, int argc, char **argv, char ***positional,
		      int *n_positional, int max_positional);
