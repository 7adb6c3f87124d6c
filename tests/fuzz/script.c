/* libFuzzer target: the script loader as `check` and every command run it. The input is written
 * as a built-in scripts folder and, after a "%%user" line, a --scripts folder (fuzz_files.h);
 * script_set_load reads them with every check across files, and what loads is then used as the
 * runtime uses it: phrasings counted, words listed, a bounded expansion, prompts filled, keys
 * and lists looked up, and `check`'s content checks when the phrasings are few. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "check.h"
#include "fuzz_files.h"
#include "log.h"
#include "keymap.h"
#include "script.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Stop early: a fuzzed template can describe billions of phrasings. */
#define PHRASES_MAX 1000
/* `check` lists every phrasing to find the ambiguous ones: only on content this small. */
#define CHECK_PHRASES_MAX 20000

static int count_phrase(void *data, const char *phrase)
{
	return ++*(int *)data > PHRASES_MAX;
}

static void count_word(void *data, const char *word)
{
	++*(size_t *)data;
}

static double use_entry(const struct script_set *set, const struct script_entry *e)
{
	int n = 0;
	size_t words = 0;
	script_entry_expand(set, e, count_phrase, &n);
	for (size_t i = 0; i < e->n_asks; i++)
		template_words(e->asks[i].tree, script_set_list_lookup, (void *)set, count_word,
			       &words);
	if (e->kind == SCRIPT_TOPIC &&
	    keymap_menu_find(set, keymap_topic_menu(set, e), e->key) != e)
		abort(); /* a loaded topic is on its key in its menu */
	return script_entry_count(set, e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_folders f;
	fuzz_folders_write(data, size, "txt", &f);
	struct diag d;
	diag_init(&d);
	struct script_set *set;
	if (script_set_load(f.builtin, f.user, &set, &d) == 0) {
		double phrasings = 0;
		for (size_t i = 0; i < set->n_topics; i++) {
			phrasings += use_entry(set, &set->topics[i]);
			if (!script_set_find_topic(set, set->topics[i].id))
				abort();
		}
		for (size_t i = 0; i < set->n_controls; i++)
			phrasings += use_entry(set, &set->controls[i]);
		for (size_t i = 0; i < set->n_prompts; i++)
			for (size_t j = 0; j < set->prompts[i].n_say; j++)
				free(keymap_fill(set, set->prompts[i].say[j],
						 set->n_topics ? &set->topics[0] : NULL, NULL));
		if (phrasings < CHECK_PHRASES_MAX) {
			struct check_stats stats;
			check_content(set, NULL, NULL, &d, &stats);
		}
		script_set_destroy(set);
	}
	/* FUZZ_DIAG=1: what the loader said, to see how far a seed gets. */
	if (getenv("FUZZ_DIAG"))
		diag_print(&d, stderr);
	diag_done(&d);
	return 0;
}
