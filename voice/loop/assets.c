/* What a session speaks from and listens with, loaded once for the commands that run one. */
#include "session.h"

#include <string.h>

#include "log.h"

int session_assets_load(const struct session_assets_config *config, struct session_assets *out,
			struct diag *d, char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	int r = script_set_load(config->scripts_dir, config->user_scripts_dir, &out->set, d);
	if (r < 0) {
		errf(err, errlen, r, "the scripts cannot be loaded (fix the errors above)");
		goto fail;
	}
	r = lexicon_load_with_scripts(config->lexicon_dir, config->user_scripts_dir, &out->lex, d);
	if (r < 0) {
		errf(err, errlen, r, "the lexicon cannot be loaded (fix the errors above)");
		goto fail;
	}
	struct synth_config sc;
	synth_config_defaults(&sc);
	if ((r = synth_create(&sc, out->lex, &out->synth, err, errlen)) < 0)
		goto fail;
	if (!config->no_recogniser) {
		/* As `talkleaf ask`, so live, converse and ask hear alike; the synthesiser that
		 * speaks lends itself for the pronunciations (eSpeak NG is one engine a process). */
		struct recogniser_setup_config rs = config->hearing;
		rs.synth = out->synth;
		if ((r = recogniser_setup(&rs, out->set, out->lex, &out->rec, d, err, errlen)) < 0)
			goto fail;
	}
	return 0;
fail:
	session_assets_done(out);
	return r;
}

void session_assets_done(struct session_assets *assets)
{
	recogniser_destroy(assets->rec);
	synth_destroy(assets->synth);
	lexicon_destroy(assets->lex);
	script_set_destroy(assets->set);
	memset(assets, 0, sizeof(*assets));
}
