#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

/* Help lines wrap at this column, their text starting at HELP_INDENT. */
#define HELP_WIDTH 100
#define HELP_INDENT 27

/* The live assistant is the program itself ("talkleaf"); the others are its commands. */
static bool is_program(const struct cli_command *cmd)
{
	return strcmp(cmd->name, "talkleaf") == 0;
}

/* "talkleaf say" for a command, plain "talkleaf" for the live assistant. */
static const char *full_name(const struct cli_command *cmd, char *buf, size_t len)
{
	if (is_program(cmd))
		return cmd->name;
	snprintf(buf, len, "talkleaf %s", cmd->name);
	return buf;
}

/* A usage error into err, after "say: " for a command; the program's own messages get no prefix,
 * as log_msg already starts every line with "talkleaf: ". */
__attribute__((format(printf, 4, 5)))
static int usage_error(const struct cli_command *cmd, char *err, size_t errlen, const char *fmt,
		       ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return errf(err, errlen, -EINVAL, "%s%s%s", is_program(cmd) ? "" : cmd->name,
		    is_program(cmd) ? "" : ": ", msg);
}

static const struct cli_option *find_option(const struct cli_command *cmd, const char *name,
					    size_t len)
{
	for (const struct cli_option *o = cmd->options; o && o->name; o++)
		if (strlen(o->name) == len && strncmp(o->name, name, len) == 0)
			return o;
	return NULL;
}

static int set_value(const struct cli_command *cmd, const struct cli_option *o, const char *v,
		     char *err, size_t errlen)
{
	char *end;
	switch (o->type) {
	case CLI_STRING:
		*(const char **)o->target = v;
		return 0;
	case CLI_INT: {
		long x = strtol(v, &end, 10);
		if (!*v || *end)
			return usage_error(cmd, err, errlen, "--%s needs a whole number, not '%s'",
					   o->name, v);
		if (o->min < o->max && (x < o->min || x > o->max))
			return usage_error(cmd, err, errlen, "--%s must be from %g to %g, not %ld",
					   o->name, o->min, o->max, x);
		*(int *)o->target = (int)x;
		return 0;
	}
	case CLI_DOUBLE: {
		double x = strtod(v, &end);
		if (!*v || *end)
			return usage_error(cmd, err, errlen, "--%s needs a number, not '%s'", o->name,
					   v);
		if (o->min < o->max && (x < o->min || x > o->max))
			return usage_error(cmd, err, errlen, "--%s must be from %g to %g, not %g",
					   o->name, o->min, o->max, x);
		*(double *)o->target = x;
		return 0;
	}
	default:
		return -EINVAL;
	}
}

int cli_parse(const struct cli_command *cmd, int argc, char **argv, char ***positional,
	      int *n_positional, char *err, size_t errlen)
{
	/* Positional arguments are gathered into a new array so argv keeps its order. */
	char **pos = xcalloc((size_t)argc + 1, sizeof(*pos));
	int npos = 0;
	bool only_positional = false;
	char fbuf[64];
	int r = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (only_positional || a[0] != '-' || a[1] == '\0') {
			pos[npos++] = argv[i];
			continue;
		}
		if (strcmp(a, "--") == 0) {
			only_positional = true;
			continue;
		}
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			cli_usage(stdout, cmd);
			free(pos);
			return 1;
		}
		if (a[1] != '-') {
			r = usage_error(cmd, err, errlen,
					"unknown option '%s' (options are written --name; see %s --help)",
					a, full_name(cmd, fbuf, sizeof(fbuf)));
			goto fail;
		}
		const char *name = a + 2, *eq = strchr(name, '=');
		size_t len = eq ? (size_t)(eq - name) : strlen(name);
		const struct cli_option *o = find_option(cmd, name, len);
		if (!o) {
			r = usage_error(cmd, err, errlen, "unknown option '--%.*s' (see %s --help)",
					(int)len, name, full_name(cmd, fbuf, sizeof(fbuf)));
			goto fail;
		}
		if (o->type == CLI_FLAG) {
			if (eq) {
				r = usage_error(cmd, err, errlen, "--%s takes no value", o->name);
				goto fail;
			}
			*(bool *)o->target = true;
			continue;
		}
		if (o->type == CLI_STRINGS) {
			struct cli_strings *s = o->target;
			s->items = xreallocarray(s->items, (size_t)argc, sizeof(*s->items));
			s->n = 0;
			if (eq)
				s->items[s->n++] = eq + 1;
			while (i + 1 < argc && (argv[i + 1][0] != '-' || argv[i + 1][1] == '\0'))
				s->items[s->n++] = argv[++i];
			if (s->n == 0) {
				r = usage_error(cmd, err, errlen, "--%s needs at least one %s", o->name,
						o->arg_name ? o->arg_name : "value");
				goto fail;
			}
			continue;
		}
		const char *v = eq ? eq + 1 : NULL;
		if (!v) {
			if (i + 1 >= argc) {
				r = usage_error(cmd, err, errlen, "--%s needs a value (%s)", o->name,
						o->arg_name ? o->arg_name : "value");
				goto fail;
			}
			v = argv[++i];
		}
		if ((r = set_value(cmd, o, v, err, errlen)) < 0)
			goto fail;
	}
	/* Hand the positional list back through argv's own storage: it has room for all. */
	for (int i = 0; i < npos; i++)
		argv[i + 1] = pos[i];
	*positional = argv + 1;
	*n_positional = npos;
	free(pos);
	return 0;
fail:
	free(pos);
	return r;
}

/* One option's line: "  --name ARG" then its help from HELP_INDENT, wrapped at HELP_WIDTH (a long
 * left part puts the help on the next line). */
static void print_option(FILE *out, const char *left, const char *help)
{
	int col = fprintf(out, "  %s", left);
	const char *w = help;
	if (col >= HELP_INDENT - 1) {
		fputc('\n', out);
		col = 0;
	}
	while (*w) {
		size_t n = strcspn(w, " ");
		if (col > HELP_INDENT && col + 1 + (int)n > HELP_WIDTH) {
			fputc('\n', out);
			col = 0;
		}
		if (col < HELP_INDENT)
			col += fprintf(out, "%*s", HELP_INDENT - col, "");
		else
			col += fprintf(out, " ");
		col += fprintf(out, "%.*s", (int)n, w);
		w += n;
		w += strspn(w, " ");
	}
	fputc('\n', out);
}

void cli_usage(FILE *out, const struct cli_command *cmd)
{
	char fbuf[64];
	fprintf(out, "usage: %s%s%s\n", full_name(cmd, fbuf, sizeof(fbuf)), cmd->synopsis ? " " : "",
		cmd->synopsis ? cmd->synopsis : "");
	if (cmd->commands)
		fprintf(out, "       talkleaf COMMAND [options] (talkleaf COMMAND --help: its options)\n");
	fprintf(out, "\n%s\n", cmd->summary);
	if (cmd->commands)
		fprintf(out, "\ncommands:\n%s", cmd->commands);
	fprintf(out, "\n%s:\n", is_program(cmd) ? "options (without a command)" : "options");
	for (const struct cli_option *o = cmd->options; o && o->name; o++) {
		char left[64];
		snprintf(left, sizeof(left), "--%s%s%s", o->name, o->arg_name ? " " : "",
			 o->arg_name ? o->arg_name : "");
		print_option(out, left, o->help);
	}
	if (is_program(cmd))
		fprintf(out, "\noptions for every command:\n");
	print_option(out, "--scripts DIR", "take the topics from DIR (prompts, controls and lists it "
		     "does not define come from the built-in scripts)");
	print_option(out, "--verbose",
		     "say more (the live assistant: its own debug lines; --verbose-libraries "
		     "for the libraries')");
	print_option(out, "--help", "show this help");
	if (is_program(cmd))
		print_option(out, "--version", "print the version");
}

int cli_parse_command(const struct cli_command *cmd, int argc, char **argv, char ***positional,
		      int *n_positional, int max_positional)
{
	char err[512];
	int r = cli_parse(cmd, argc, argv, positional, n_positional, err, sizeof(err));
	if (r > 0)
		return 0;
	if (r < 0) {
		log_error("%s", err);
		return 2;
	}
	if (max_positional >= 0 && *n_positional > max_positional) {
		char fbuf[64];
		usage_error(cmd, err, sizeof(err), "unexpected argument '%s' (see %s --help)",
			    (*positional)[max_positional], full_name(cmd, fbuf, sizeof(fbuf)));
		log_error("%s", err);
		return 2;
	}
	return CLI_CONTINUE;
}
