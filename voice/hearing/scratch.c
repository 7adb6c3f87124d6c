/* The recogniser's private folder: the generated search (dictionary, language models) while it is
 * loaded, then each utterance's acoustic scores while it is decoded. */
#include "recogniser_internal.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"

int scratch_create(char *dir, char *err, size_t errlen)
{
	if (!mkdtemp(dir))
		return errf(err, errlen, -EIO, "%s: cannot create the recogniser's folder: %s", dir,
			    strerror(errno));
	return 0;
}

int scratch_ensure(const char *dir, char *err, size_t errlen)
{
	/* An unattended station may sit idle for weeks: a /tmp cleaner may have taken the folder.
	 * Made again, it must still be ours alone (another user could have made one by that name). */
	struct stat st;
	if (mkdir(dir, 0700) < 0 &&
	    (errno != EEXIST || lstat(dir, &st) < 0 || !S_ISDIR(st.st_mode) ||
	     st.st_uid != geteuid() || (st.st_mode & 077)))
		return errf(err, errlen, -EIO, "%s: cannot use the recogniser's folder: %s", dir,
			    errno == EEXIST ? "it is not this user's alone" : strerror(errno));
	return 0;
}

/* The path of the next file in the private folder `d` (named `dir`), or false at the end. */
static bool folder_next(DIR *d, const char *dir, char *path, size_t len)
{
	for (struct dirent *e; (e = readdir(d));)
		if (e->d_name[0] != '.' && snprintf(path, len, "%s/%s", dir, e->d_name) < (int)len)
			return true;
	return false;
}

void scratch_clear(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	char path[PATH_MAX];
	while (folder_next(d, dir, path, sizeof(path)))
		unlink(path);
	closedir(d);
}

FILE *scratch_take(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return NULL;
	FILE *f = NULL;
	char path[PATH_MAX];
	while (!f && folder_next(d, dir, path, sizeof(path)))
		if ((f = fopen(path, "rb")))
			unlink(path);
	closedir(d);
	return f;
}

void scratch_remove(const char *dir)
{
	scratch_clear(dir);
	rmdir(dir);
}
