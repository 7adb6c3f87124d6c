#include "clip_path.h"

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

/* Whether `path` is `root` or below it (both resolved). */
static bool path_within(const char *path, const char *root)
{
	size_t n = strlen(root);
	if (n == 1 && root[0] == '/')
		return true;
	return strncmp(path, root, n) == 0 && (path[n] == '/' || path[n] == '\0');
}

/* `path` with every link and ".." resolved: realpath of the file, or of the nearest folder that
 * exists followed by the rest of the name when the file does not exist yet (a name with ".."
 * in the missing part is refused). NULL when nothing of it can be resolved. */
static char *path_resolve(const char *path)
{
	char *r = realpath(path, NULL);
	if (r || errno != ENOENT)
		return r;
	char *copy = xstrdup(path);
	char *slash = strrchr(copy, '/');
	const char *base = slash ? slash + 1 : copy;
	if (!slash || !*base || strcmp(base, "..") == 0 || strcmp(base, ".") == 0) {
		free(copy);
		return NULL;
	}
	*slash = '\0';
	char *parent = path_resolve(*copy ? copy : "/");
	if (parent) {
		char *joined = xasprintf("%s/%s", strcmp(parent, "/") == 0 ? "" : parent, base);
		free(parent);
		parent = joined;
	}
	free(copy);
	return parent;
}

int clip_path_resolve(const char *script, const char *value, const char *builtin_dir, char **out,
		      char *err, size_t errlen)
{
	*out = NULL;
	char *copy = xstrdup(script);
	char *script_dir = realpath(dirname(copy), NULL);
	free(copy);
	char *builtin = builtin_dir ? realpath(builtin_dir, NULL) : NULL;
	char *joined = value[0] == '/' ? xstrdup(value)
				       : xasprintf("%s/%s", script_dir ? script_dir : ".", value);
	char *resolved = path_resolve(joined);
	free(joined);
	bool inside = resolved && ((script_dir && path_within(resolved, script_dir)) ||
				   (builtin && path_within(resolved, builtin)));
	int r = 0;
	if (inside)
		*out = resolved;
	else
		r = errf(err, errlen, -EINVAL,
			 "clip '%s' is outside the scripts folder %s (put the recording in that "
			 "folder or below it; links out of it are not followed)",
			 value, script_dir ? script_dir : "of this file");
	if (!inside)
		free(resolved);
	free(script_dir);
	free(builtin);
	return r;
}
