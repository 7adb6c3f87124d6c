/* `talkleaf check --durations`: how long the answers and the prompts take to say, as a parent
 * hears them at the default rate, with warnings on those too long to follow. */
#pragma once

#include "diag.h"
#include "lexicon.h"
#include "script.h"

#define CHECK_MAX_GREETING_SECONDS 8.0  /* the greeting */
#define CHECK_MAX_HELP_SECONDS 12.0     /* help, before its menu's first page */
#define CHECK_MAX_MENU_PAGE_SECONDS 15.0 /* one menu page (main, sub-menu or help menu) */

/* Speak every answer, and every prompt as the dialogue composes it (the greeting, help, each
 * page of the main menu, of each sub-menu and of the help menu, placeholders filled), into
 * memory at the default rate; print the seconds on stdout and put a warning with the file and
 * line into d for each over its limit (an error when something cannot be spoken). `lex` may be
 * NULL. */
void check_durations_print(const struct script_set *set, const struct lexicon *lex,
			   struct diag *d);
