/* The recogniser's private folder: the generated search (dictionary, language models) while it is
 * loaded, then each utterance's acoustic scores while it is decoded. Its name carries the owner's
 * pid and start time, so a folder left by a killed run is known and removed at the next start;
 * while it exists a forced end (stop.h) removes it. */
#include "recogniser_internal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "stop.h"

/* The start time of process `pid` (clock ticks since boot, /proc/PID/stat's 22nd field), which
 * tells a pid reused by another process from the one that made a folder. Returns 0 or -1. */
static int process_start(long pid, uint64_t *start)
{
	char path[64], buf[1024];
	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	/* The name in parentheses may hold spaces and ')': the fields follow the last ')'. */
	char *p = strrchr(buf, ')');
	if (!p)
		return -1;
	p++;
	for (int field = 3; field < 22 && p; field++)
		p = strchr(p + 1, ' ');
	if (!p)
		return -1;
	char *end;
	unsigned long long v = strtoull(p + 1, &end, 10);
	if (end == p + 1)
		return -1;
	*start = v;
	return 0;
}

/* Whether the owner of a folder named with `pid` and `start` has gone. */
static bool owner_gone(long pid, uint64_t start)
{
	if (pid <= 0)
		return false;
	if (kill((pid_t)pid, 0) == -1 && errno == ESRCH)
		return true;
	uint64_t now;
	/* Alive under that pid: the same process only when it started at the same moment. */
	return process_start(pid, &now) == 0 && now != start;
}

/* Remove the folders "PREFIX-PID-START-XXXXXX" in `parent` that are this user's and whose owner
 * process is gone: a killed run's acoustic scores. */
static void scratch_sweep(const char *parent, const char *prefix)
{
	DIR *d = opendir(parent);
	if (!d)
		return;
	size_t plen = strlen(prefix);
	for (struct dirent *e; (e = readdir(d));) {
		long pid;
		uint64_t start;
		int used = 0;
		if (strncmp(e->d_name, prefix, plen) != 0 ||
		    sscanf(e->d_name + plen, "%ld-%" SCNu64 "-%*6[A-Za-z0-9]%n", &pid, &start,
			   &used) != 2 ||
		    used == 0 || e->d_name[plen + (size_t)used] != '\0')
			continue;
		struct stat st;
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISDIR(st.st_mode) || st.st_uid != geteuid() || !owner_gone(pid, start))
			continue;
		char path[PATH_MAX];
		if (snprintf(path, sizeof(path), "%s/%s", parent, e->d_name) < (int)sizeof(path) &&
		    stop_folder_remove(path) == 0)
			log_debug("%s: removed, left by a run that was killed", path);
	}
	closedir(d);
}

int scratch_create(char *dir, char *err, size_t errlen)
{
	/* "PARENT/NAME-XXXXXX" becomes "PARENT/NAME-PID-START-XXXXXX". */
	size_t len = strlen(dir);
	uint64_t start = 0;
	if (len < 6 || strcmp(dir + len - 6, "XXXXXX") != 0)
		return errf(err, errlen, -EINVAL, "%s: not a folder template", dir);
	char *slash = strrchr(dir, '/');
	char prefix[NAME_MAX + 1];
	snprintf(prefix, sizeof(prefix), "%.*s", (int)(dir + len - 6 - (slash ? slash + 1 : dir)),
		 slash ? slash + 1 : dir);
	process_start(getpid(), &start);
	char named[PATH_MAX];
	if (snprintf(named, sizeof(named), "%.*s%ld-%" PRIu64 "-XXXXXX", (int)(len - 6), dir,
		     (long)getpid(), start) >= (int)sizeof(named))
		return errf(err, errlen, -ENAMETOOLONG, "%s: the folder's name is too long", dir);
	if (slash) {
		*slash = '\0';
		scratch_sweep(slash == dir ? "/" : dir, prefix);
		*slash = '/';
	}
	strcpy(dir, named);
	if (!mkdtemp(dir))
		return errf(err, errlen, -EIO, "%s: cannot create the recogniser's folder: %s", dir,
			    strerror(errno));
	if (stop_cleanup_add(dir, STOP_FOLDER) < 0)
		log_debug("%s: too many folders to remove on a forced stop", dir);
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
	stop_cleanup_drop(dir);
}
