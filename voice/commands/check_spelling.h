/* `talkleaf check`: words a language's voice would spell out letter by letter. */
#pragma once

#include <stddef.h>

#include "diag.h"
#include "languages.h"
#include "script.h"

struct synth;

/* Warn (file:line) on each word of lang's own spoken text (titles, say:, more:; not the blocks
 * it takes from the main language) that eSpeak NG, in synth's current voice and lexicon, says
 * letter by letter: its phonemes are those of its letters said one by one. Each word once.
 * Returns how many. */
size_t check_spelled_words(const struct script_set *set, struct synth *synth,
			   const struct language *lang, const struct language *main_lang,
			   struct diag *d);
