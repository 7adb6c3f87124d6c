#include "cmd_assets.h"

#include <stdio.h>

#include "diag.h"

int cmd_assets_load(const struct app *app, bool no_recogniser, struct session_assets *out,
		    char *err, size_t errlen)
{
	const struct session_assets_config ac = {
		.scripts_dir = app->scripts_dir,
		.user_scripts_dir = app->user_scripts_dir,
		.lexicon_dir = app->lexicon_dir,
		.acoustic_model = app->acoustic_model,
		.dictionary = app->dictionary,
		.scratch_parent = app->scratch_parent,
		.no_recogniser = no_recogniser,
		.verbose = app->verbose,
	};
	struct diag d;
	diag_init(&d);
	int r = session_assets_load(&ac, out, &d, err, errlen);
	if (r < 0 || app->verbose)
		diag_print(&d, stderr);
	diag_done(&d);
	return r;
}
