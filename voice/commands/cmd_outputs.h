/* What a command writes (--out, --log, --record-dir) is never what it reads: not one of its
 * input files under any name (same device and inode, so links count too), not a file of the
 * scripts or the lexicon. Checked before anything is written. */
#pragma once

#include <stddef.h>

#include "commands.h"

/* 0 when `path` (the file given to `option`, e.g. "--out") is none of `inputs` (n of them, NULL
 * entries skipped) and no file of app's scripts or lexicon folders; else -EINVAL with a message
 * naming both files. A path that does not exist yet is no input. */
int cmd_output_check(const struct app *app, const char *option, const char *path,
		     const char *const *inputs, size_t n, char *err, size_t errlen);

/* The same for the files a command will write in folder `dir` with names matching `pattern` (a
 * glob such as "utterance-*.wav"): none of them may be an input. */
int cmd_output_dir_check(const struct app *app, const char *option, const char *dir,
			 const char *pattern, const char *const *inputs, size_t n, char *err,
			 size_t errlen);
