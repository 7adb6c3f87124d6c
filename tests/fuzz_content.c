/* Fuzz harness for every content parser (scripts, lexicon, templates). A libFuzzer target in a
 * fuzzing build, else tests/support/fuzz_replay.c replays tests/fuzz-corpus/ and the real
 * scripts/ and lexicon/ as a test (docs/fuzzing.md). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "lexicon.h"
#include "log.h"
#include "script.h"
#include "template.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int count_phrase(void *data, const char *phrase)
{
	/* Stop early: a fuzzed template can describe billions of phrasings. */
	return ++*(int *)data > 1000;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xstrndup((const char *)data, size);
	struct diag d;
	diag_init(&d);

	struct script_set *set = xcalloc(1, sizeof(*set));
	script_set_parse_text(set, "fuzz.txt", text, &d);
	for (size_t i = 0; i < set->n_topics; i++) {
		int n = 0;
		script_entry_expand(set, &set->topics[i], count_phrase, &n);
		script_entry_count(set, &set->topics[i]);
	}
	script_set_destroy(set);

	struct lexicon *lex = xcalloc(1, sizeof(*lex));
	lexicon_parse_text(lex, "fuzz.txt", text, &d);
	lexicon_destroy(lex);

	char err[256];
	struct template_node *t;
	if (template_parse(text, &t, err, sizeof(err)) == 0) {
		int n = 0;
		template_expand(t, NULL, NULL, count_phrase, &n);
		template_node_destroy(t);
	}
	diag_done(&d);
	free(text);
	return 0;
}
