/* libFuzzer target: the lexicon loader. The input is written as the built-in lexicon folder and,
 * after a "%%user" line, an extra folder (fuzz_files.h); lexicon_load reads them, and every word
 * of what loads must be found again by lexicon_find, with valid CMU phones in its hear: lines. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "fuzz_files.h"
#include "lexicon.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_folders f;
	fuzz_folders_write(data, size, "txt", &f);
	struct diag d;
	diag_init(&d);
	struct lexicon *lex;
	if (lexicon_load(f.builtin, f.user, &lex, &d) == 0) {
		for (size_t i = 0; i < lex->n_entries; i++) {
			const struct lexicon_entry *e = &lex->entries[i];
			if (lexicon_find(lex, e->word) != e)
				abort();
			for (size_t h = 0; h < e->n_hear; h++)
				if (!lexicon_phones_valid(e->hear[h]))
					abort();
		}
		lexicon_destroy(lex);
	}
	diag_done(&d);
	return 0;
}
