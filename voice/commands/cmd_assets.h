/* What the conversation commands (converse, live) load before a session: the session's assets
 * from the folders and model that struct app names. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "commands.h"
#include "diag.h"
#include "languages.h"
#include "session.h"

/* The installed languages of the folders `app` names, and the index of the one `code` names
 * (NULL: the main language, 0); the loaders' lines into d. Returns 0, or -1 after printing d and
 * saying (as `who`, the command) what is wrong. *langs is the caller's either way:
 * languages_destroy. */
int cmd_language_find(const struct app *app, const char *who, const char *code,
		      struct languages **langs, size_t *index, struct diag *d);

/* Load the scripts, lexicon, synthesiser and (unless no_recogniser) recogniser named by `app`.
 * The loaders' "path:line: ..." lines go to stderr when loading fails, or always with --verbose:
 * this is command code, which speaks to the person. Returns 0, or a negative errno with err and
 * *out emptied. *out is owned by the caller: session_assets_done. */
int cmd_assets_load(const struct app *app, bool no_recogniser, struct session_assets *out,
		    char *err, size_t errlen);

/* As cmd_assets_load, but a station never stops for its content (session_assets_load_any): the
 * loaders' lines and what is served instead go to stderr (the journal), and a set that loads
 * as given is kept as the last good one in `state_dir` (may be NULL). Returns 0, or a negative
 * errno with err when nothing at all loads. */
int cmd_assets_serve(const struct app *app, const char *state_dir, bool no_recogniser,
		     struct session_assets *out, char *err, size_t errlen);

/* SIGHUP: load the scripts and lexicon again and serve them in `s`, or keep the set in service
 * when they have errors (said on stderr with their file and line). Returns 0, or a negative
 * errno when not even the old set can speak any more (assets->synth is NULL: end). */
int cmd_assets_reload(const struct app *app, const char *state_dir, bool no_recogniser,
		      struct session_assets *assets, struct session *s);
