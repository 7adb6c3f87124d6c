/* `talkleaf check --durations`: how long the answers and the prompts take to say, as a parent
 * hears them at the default rate, with warnings on those too long to follow. */
#pragma once

#include <stdbool.h>

#include "diag.h"
#include "languages.h"
#include "lexicon.h"
#include "script.h"

struct synth;

#define CHECK_MAX_GREETING_SECONDS 8.0  /* the greeting */
#define CHECK_MAX_HELP_SECONDS 12.0     /* help, before its menu's first page */
#define CHECK_MAX_MENU_PAGE_SECONDS 15.0 /* one menu page (main, sub-menu or help menu) */

/* Speak every answer, and every prompt as the dialogue composes it (the greeting, help, each
 * page of the main menu, of each sub-menu and of the help menu, placeholders filled), into
 * memory with `synth` as it is set (voice, lexicon) at the default rate; print the seconds on
 * stdout, each label after `code` and a space (NULL: the main language, unlabelled; keypad_only:
 * not the choice a recogniser asks between two topics; choose_language: the help menu offers
 * the language control, as when more than one language is installed and none fixed), and put a
 * warning with the file and line into d for each over its limit (an error when something cannot
 * be spoken). */
void check_durations_print(const struct script_set *set, struct synth *synth, const char *code,
			   bool keypad_only, bool choose_language, struct diag *d);
/* With more than one language: the language choice, each language's prompt language-choice
 * ({key} its digit) in its own voice (sets[i], lexes[i] for langs->items[i]; a NULL set is left
 * out), and a warning when all together pass CHECK_MAX_GREETING_SECONDS. Leaves synth in the
 * last language's voice. */
void check_durations_choice(const struct languages *langs, struct script_set *const *sets,
			    struct lexicon *const *lexes, struct synth *synth, struct diag *d);
