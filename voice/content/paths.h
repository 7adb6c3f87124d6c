/* Where talkleaf's data lives: the source tree when run from the build folder, else the
 * installed prefix. Strings are static; nothing here reads the environment. Also the one test
 * of whether a path is a folder, for the loaders that look for optional folders. */
#pragma once

#include <stdbool.h>

/* Folder of the built-in scripts. */
const char *paths_scripts_dir(void);
/* Folder of the built-in lexicon. */
const char *paths_lexicon_dir(void);
/* PocketSphinx acoustic model folder and dictionary (Debian's pocketsphinx-en-us). */
const char *paths_acoustic_model(void);
const char *paths_dictionary(void);
/* The model's adaptation to speech in noise (voice/hearing/adaptation/). */
const char *paths_adaptation(void);

/* True when `path` names a folder (following links); false for NULL, a missing path or a file. */
bool paths_is_dir(const char *path);
