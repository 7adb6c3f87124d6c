/* What the conversation commands (converse, live) load before a session: the session's assets
 * from the folders and model that struct app names. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "commands.h"
#include "session.h"

/* Load the scripts, lexicon, synthesiser and (unless no_recogniser) recogniser named by `app`.
 * The loaders' "path:line: ..." lines go to stderr when loading fails, or always with --verbose:
 * this is command code, which speaks to the person. Returns 0, or a negative errno with err and
 * *out emptied. *out is owned by the caller: session_assets_done. */
int cmd_assets_load(const struct app *app, bool no_recogniser, struct session_assets *out,
		    char *err, size_t errlen);
