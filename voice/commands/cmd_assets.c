#include "cmd_assets.h"

#include <stdio.h>

#include "diag.h"
#include "log.h"
#include "monotonic.h"

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

int cmd_assets_serve(const struct app *app, const char *state_dir, bool no_recogniser,
		     struct session_assets *out, char *err, size_t errlen)
{
	struct session_assets_config ac = app->assets;
	ac.no_recogniser = no_recogniser;
	ac.state_dir = state_dir;
	struct diag d;
	diag_init(&d);
	const char *served;
	char why[1024] = "";
	int r = session_assets_load_any(&ac, out, &served, &d, why, sizeof(why));
	if (r < 0 || *why || app->verbose)
		diag_print(&d, stderr);
	diag_done(&d);
	if (r < 0)
		return errf(err, errlen, r, "%s", why);
	if (*why)
		log_error("%s", why); /* serving: the journal says what to fix */
	else if (session_assets_keep(&ac, why, sizeof(why)) < 0)
		log_warn("%s", why);
	return 0;
}

int cmd_assets_reload(const struct app *app, const char *state_dir, bool no_recogniser,
		      struct session_assets *assets, struct session *s)
{
	struct session_assets_config ac = app->assets;
	ac.no_recogniser = no_recogniser;
	ac.state_dir = state_dir;
	struct diag d;
	diag_init(&d);
	char err[1024] = "";
	double t0 = monotonic_s();
	int r = session_assets_reload(&ac, assets, s, &d, err, sizeof(err));
	if (r < 0 || app->verbose)
		diag_print(&d, stderr);
	diag_done(&d);
	if (!assets->synth)
		return r; /* nothing left to speak with */
	if (r < 0) {
		log_error("reload: %s; the scripts in service stay", err);
		return 0;
	}
	log_info("reload: serving the new scripts and lexicon (loaded in %.1f s)",
		 monotonic_s() - t0);
	if (session_assets_keep(&ac, err, sizeof(err)) < 0)
		log_warn("%s", err);
	return 0;
}

int cmd_language_find(const struct app *app, const char *who, const char *code,
		      struct languages **langs, size_t *index, struct diag *d)
{
	char err[256];
	*index = 0;
	if (languages_find(app->assets.scripts_dir, app->assets.user_scripts_dir, langs, d) == 0 &&
	    (!code || session_language_find(*langs, code, index, err, sizeof(err)) == 0))
		return 0;
	diag_print(d, stderr);
	if (*langs)
		log_error("%s: %s", who, err);
	return -1;
}
