/* The round trip of issue 3: the synthesiser says each topic's menu title, the recogniser hears
 * it, and the decision lands on that topic (answer, or confirm naming it), never on another. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "audio.h"
#include "log.h"
#include "recogniser.h"
#include "session.h"
#include "synthesiser.h"

static struct session_assets assets;

static int setup(void **state)
{
	struct session_assets_config config = {
		.scripts_dir = TEST_SOURCE_DIR "/scripts",
		.lexicon_dir = TEST_SOURCE_DIR "/lexicon",
		.acoustic_model = "/usr/share/pocketsphinx/model/en-us/en-us",
		.dictionary = "/usr/share/pocketsphinx/model/en-us/cmudict-en-us.dict",
	};
	struct diag d;
	char err[512];
	diag_init(&d);
	int r = session_assets_load(&config, &assets, &d, err, sizeof(err));
	if (r < 0)
		print_error("%s\n", err);
	diag_done(&d);
	return r;
}

static int teardown(void **state)
{
	session_assets_done(&assets);
	return 0;
}

/* Speak `text` and give it to the recogniser as 16 kHz audio with a little silence around it, as
 * the endpointer would (it keeps pre-roll and trailing silence). */
static void hear(const char *text, struct recognition *out)
{
	struct pcm spoken = { 0 };
	char err[512];
	assert_int_equal(synth_speak(assets.synth, text, &spoken, err, sizeof(err)), 0);
	struct audio_resampler *rs;
	assert_int_equal(audio_resampler_create(spoken.rate_hz, 16000, 5, &rs, err, sizeof(err)), 0);
	int16_t *pcm = NULL;
	size_t n = 0, cap = 0;
	int16_t silence[4800] = { 0 };
	audio_resampler_process(rs, silence, sizeof(silence) / sizeof(silence[0]) / 2, &pcm, &n, &cap);
	audio_resampler_process(rs, spoken.samples, spoken.n, &pcm, &n, &cap);
	audio_resampler_process(rs, silence, sizeof(silence) / sizeof(silence[0]), &pcm, &n, &cap);
	audio_resampler_flush(rs, &pcm, &n, &cap);
	audio_resampler_destroy(rs);
	pcm_done(&spoken);
	assert_int_equal(recogniser_decode(assets.rec, pcm, n, out, err, sizeof(err)), 0);
	free(pcm);
}

static void test_titles_reach_their_topics(void **state)
{
	const struct script_set *set = assets.set;
	int landed = 0;
	for (size_t i = 0; i < set->n_topics; i++) {
		const struct script_entry *t = &set->topics[i];
		struct recognition r;
		hear(t->title, &r);
		bool ok = r.kind == INTENT_TOPIC && r.topic_id && strcmp(r.topic_id, t->id) == 0 &&
			  r.decision != DECISION_REJECT;
		print_message("%-24s \"%s\" -> heard \"%s\", %s %s (%.2f)\n", t->id, t->title, r.heard,
			      r.topic_id ? r.topic_id : "-", recognition_decision_name(r.decision),
			      r.confidence);
		/* A wrong topic said with confidence is never acceptable. */
		if (r.decision == DECISION_ANSWER && r.kind == INTENT_TOPIC)
			assert_string_equal(r.topic_id, t->id);
		landed += ok;
	}
	/* eSpeak NG saying a short title is a hard case for a recogniser tuned for people: allow
	 * one miss (a "not sure" or a confirmation), but no wrong answer (asserted above). */
	if (landed < (int)set->n_topics - 1)
		fail_msg("only %d of %zu titles reached their topic", landed, set->n_topics);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_titles_reach_their_topics),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
