/* Where a script's clip: and more-clip: lines may point: only inside the folder of the script
 * that names them, or the installed scripts folder (a script cannot make talkleaf read
 * /etc/passwd, nor follow a link out of its folder). Private to voice/content/. */
#pragma once

#include <stddef.h>

/* The clip `value` named on a line of `script` (relative to the script's folder, or absolute),
 * as an absolute path inside the script's folder or `builtin_dir` (NULL: only the script's):
 * ".." and links are resolved first, so neither leads out. A clip that does not exist yet is
 * judged by its folder (`check` then reports it missing). Returns 0 with *out (the caller frees
 * it), or -EINVAL with a message for the line in err. */
int clip_path_resolve(const char *script, const char *value, const char *builtin_dir, char **out,
		      char *err, size_t errlen);
