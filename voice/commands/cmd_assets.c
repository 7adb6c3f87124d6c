#include "cmd_assets.h"

#include <stdio.h>

#include "diag.h"

int cmd_assets_load(const struct app *app, bool no_recogniser, struct session_assets *out,
		    char *err, size_t errlen)
{
	struct session_assets_config ac = app->assets;
	ac.no_recogniser = no_recogniser;
	struct diag d;
	diag_init(&d);
	int r = session_assets_load(&ac, out, &d, err, errlen);
	if (r < 0 || app->verbose)
		diag_print(&d, stderr);
	diag_done(&d);
	return r;
}
