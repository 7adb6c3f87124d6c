/* Where talkleaf's data lives: the source tree when run from the build folder, else the
 * installed prefix. Strings are static; nothing here reads the environment. */
#pragma once

/* Folder of the built-in scripts. */
const char *paths_scripts_dir(void);
/* Folder of the built-in lexicon. */
const char *paths_lexicon_dir(void);
/* PocketSphinx acoustic model folder and dictionary (Debian's pocketsphinx-en-us). */
const char *paths_acoustic_model(void);
const char *paths_dictionary(void);
