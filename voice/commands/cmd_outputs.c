#include "cmd_outputs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <libgen.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "log.h"

/* Scripts folders hold a few levels at most (clips/ beside the .txt files). */
#define SCAN_DEPTH 4

static bool same_file(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino;
}

/* `path` named from the root with its folder's links resolved: two names of one file that does
 * not exist yet (two outputs given the same new file) compare equal. NULL when its folder does
 * not exist. */
static char *canonical_name(const char *path)
{
	char *dcopy = xstrdup(path), *bcopy = xstrdup(path);
	char *dir = realpath(dirname(dcopy), NULL);
	char *r = dir ? xasprintf("%s/%s", dir, basename(bcopy)) : NULL;
	free(dir);
	free(dcopy);
	free(bcopy);
	return r;
}

/* Whether a file under folder `dir` (not following links) is `target`; its path in `found`. */
static bool folder_holds(const char *dir, const struct stat *target, int depth, char *found,
			 size_t len)
{
	DIR *d = depth > 0 ? opendir(dir) : NULL;
	if (!d)
		return false;
	bool hit = false;
	for (struct dirent *e; !hit && (e = readdir(d));) {
		struct stat st;
		char path[PATH_MAX];
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
		    snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) >= (int)sizeof(path) ||
		    fstatat(dirfd(d), e->d_name, &st, 0) != 0)
			continue;
		if (S_ISDIR(st.st_mode))
			hit = folder_holds(path, target, depth - 1, found, len);
		else if (same_file(&st, target)) {
			snprintf(found, len, "%s", path);
			hit = true;
		}
	}
	closedir(d);
	return hit;
}

/* The input `st` is, in `found`, or false. */
static bool find_input(const struct app *app, const struct stat *st, const char *const *inputs,
		       size_t n, char *found, size_t len)
{
	for (size_t i = 0; i < n; i++) {
		struct stat in;
		if (inputs[i] && stat(inputs[i], &in) == 0 && same_file(&in, st)) {
			snprintf(found, len, "%s", inputs[i]);
			return true;
		}
	}
	const char *dirs[] = { app->assets.scripts_dir, app->assets.user_scripts_dir,
			       app->assets.lexicon_dir };
	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++)
		if (dirs[i] && folder_holds(dirs[i], st, SCAN_DEPTH, found, len))
			return true;
	return false;
}

/* The input among `inputs` named `path` though neither exists yet, in `found`, or false. */
static bool find_name(const char *path, const char *const *inputs, size_t n, char *found,
		      size_t len)
{
	char *name = canonical_name(path);
	bool hit = false;
	for (size_t i = 0; name && !hit && i < n; i++) {
		char *other = inputs[i] ? canonical_name(inputs[i]) : NULL;
		if (other && strcmp(other, name) == 0) {
			snprintf(found, len, "%s", inputs[i]);
			hit = true;
		}
		free(other);
	}
	free(name);
	return hit;
}

int cmd_output_check(const struct app *app, const char *option, const char *path,
		     const char *const *inputs, size_t n, char *err, size_t errlen)
{
	struct stat st;
	char found[PATH_MAX];
	if (stat(path, &st) == 0 ? !find_input(app, &st, inputs, n, found, sizeof(found))
				 : !find_name(path, inputs, n, found, sizeof(found)))
		return 0;
	return errf(err, errlen, -EINVAL,
		    "%s %s: that is an input (%s): writing it would destroy it (give another file)",
		    option, path, found);
}

int cmd_output_dir_check(const struct app *app, const char *option, const char *dir,
			 const char *pattern, const char *const *inputs, size_t n, char *err,
			 size_t errlen)
{
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	int r = 0;
	for (struct dirent *e; r == 0 && (e = readdir(d));) {
		char path[PATH_MAX];
		if (fnmatch(pattern, e->d_name, 0) == 0 &&
		    snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) < (int)sizeof(path))
			r = cmd_output_check(app, option, path, inputs, n, err, errlen);
	}
	closedir(d);
	return r;
}
