/* The one recogniser set-up shared by `talkleaf ask`, the live loop, the tests and the benchmark,
 * so that they all hear alike: the models given, and pronunciations from eSpeak NG for words
 * neither the dictionary nor the lexicon knows, plus the speakers' British ones. */
#include "recogniser.h"

#include <errno.h>

#include "log.h"
#include "phonemes.h"
#include "stop.h"
#include "synthesiser.h"

int recogniser_setup(const struct recogniser_setup_config *setup, const struct script_set *set,
		     const struct lexicon *lex, struct recogniser **out, struct diag *warnings,
		     char *err, size_t errlen)
{
	struct recogniser_config rc;
	if (setup->tuning)
		rc = *setup->tuning;
	else
		recogniser_config_defaults(&rc);
	rc.acoustic_model = setup->acoustic_model;
	rc.dictionary = setup->dictionary;
	rc.adaptation = setup->adaptation;
	rc.scratch_parent = setup->scratch_parent;
	rc.verbose = setup->verbose;
	rc.pronounce = NULL;
	rc.accent = NULL;
	rc.pronounce_data = NULL;

	struct synth *own = NULL, *synth = setup->synth;
	if (!synth) {
		struct synth_config sc;
		synth_config_defaults(&sc);
		char synth_err[256];
		/* Without eSpeak NG the recogniser still works; the words it would have pronounced
		 * are left out, each with a warning. */
		if (synth_create(&sc, lex, &own, synth_err, sizeof(synth_err)) == 0)
			synth = own;
	}
	if (synth) {
		rc.pronounce = phonemes_pronounce;
		rc.accent = phonemes_pronounce_british;
		rc.pronounce_data = synth;
	}
	/* The set-up is the longest step of a start: a stop that came during the synthesiser's goes
	 * no further (one inside the models' loading is ended by force: stop.h). */
	int r = stop_requested()
			? errf(err, errlen, -EINTR, "stopped before the recogniser was set up")
			: recogniser_create(&rc, set, lex, out, warnings, err, errlen);
	synth_destroy(own);
	return r;
}
