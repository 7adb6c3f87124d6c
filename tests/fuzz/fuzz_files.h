/* For the fuzz harnesses that load folders (scripts, lexicon): the input bytes written as the
 * files of a built-in folder and, optionally, of a user folder, so the real loaders run on them
 * with their checks across files; and an empty folder for a harness that writes its own. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The input is split into files at lines "%%file" (a new file in the same folder) and "%%user"
 * (a new file in the user folder); at most FUZZ_FILES_MAX files in each folder. */
#define FUZZ_FILES_MAX 16

struct fuzz_folders {
	const char *builtin; /* always exists; may hold no file */
	const char *user;    /* NULL when the input has no "%%user" line */
};

/* Write the input's files (removing those of the previous input); the folders live in one
 * private temporary folder for the whole run, removed at exit. Aborts when it cannot write. */
void fuzz_folders_write(const uint8_t *data, size_t size, const char *ext,
			struct fuzz_folders *out);

/* A folder of the same private temporary folder, emptied (hidden files too) at each call, for a
 * harness that writes its own files. */
const char *fuzz_own_folder(void);
