/* What the conversation commands (converse, live) share about privacy and counts: where the
 * counts are kept (--state-dir), and the notice that a log keeps the words heard. */
#pragma once

#include <stdbool.h>
#include <stdio.h>

#include "commands.h"
#include "counts.h"

/* The state folder: `given` (--state-dir DIR), else app's ($STATE_DIRECTORY), else NULL (no
 * counts are kept). */
const char *cmd_state_dir(const struct app *app, const char *given);

/* Open the counts of the state folder (cmd_state_dir; *out NULL when there is none). Returns 0,
 * or the exit status 2 after saying what is wrong. *out is the caller's: cmd_counts_close. */
int cmd_counts_open(const struct app *app, const char *given, struct counts **out);
/* Save what is left and free the counts (NULL: nothing). */
void cmd_counts_close(struct counts *counts);

/* Say at start what a log keeps: the words heard only with --log-words. */
void cmd_log_notice(const char *log_path, bool words);

/* The scripts as app names them (for titles), or NULL after printing why they did not load.
 * The caller owns the set: script_set_destroy. */
struct script_set *cmd_scripts_load(const struct app *app);

/* Open `path` to write an SVG page (--svg), refusing a file of the scripts or the lexicon; NULL
 * after saying (as `who`, the command) what is wrong. Closed by cmd_svg_close, which returns 0 or
 * the exit status 1 after saying the write failed. */
FILE *cmd_svg_open(const struct app *app, const char *who, const char *path);
int cmd_svg_close(const char *who, const char *path, FILE *f);
