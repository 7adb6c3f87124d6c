/* The input as files of two folders, and a third for a harness's own (fuzz_files.h). */
#include "fuzz_files.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"

enum { BUILTIN, USER, OWN, N_DIRS }; /* OWN: fuzz_own_folder */
static const char *const dir_names[N_DIRS] = { "builtin", "user", "own" };
static char *base, *dirs[N_DIRS];

static void clear(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		char *p = xasprintf("%s/%s", dir, e->d_name);
		unlink(p);
		free(p);
	}
	closedir(d);
}

static void remove_all(void)
{
	for (int i = 0; i < N_DIRS; i++) {
		clear(dirs[i]);
		rmdir(dirs[i]);
	}
	rmdir(base);
}

static void set_up(void)
{
	const char *tmp = getenv("TMPDIR");
	base = xasprintf("%s/talkleaf-fuzz-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(base)) {
		perror(base);
		abort();
	}
	for (int i = 0; i < N_DIRS; i++) {
		dirs[i] = xasprintf("%s/%s", base, dir_names[i]);
		if (mkdir(dirs[i], 0700) != 0) {
			perror(dirs[i]);
			abort();
		}
	}
	atexit(remove_all);
}

static FILE *open_file(int folder, int index, const char *ext)
{
	char *p = xasprintf("%s/%02d.%s", dirs[folder], index, ext);
	FILE *f = fopen(p, "wb");
	if (!f) {
		perror(p);
		abort();
	}
	free(p);
	return f;
}

void fuzz_folders_write(const uint8_t *data, size_t size, const char *ext,
			struct fuzz_folders *out)
{
	if (!base)
		set_up();
	clear(dirs[BUILTIN]);
	clear(dirs[USER]);
	int folder = 0, n[2] = { 1, 0 };
	bool user = false;
	FILE *f = open_file(0, 0, ext);
	const uint8_t *p = data, *end = data + size;
	while (p < end) {
		const uint8_t *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		bool new_file = len == 6 && memcmp(p, "%%file", 6) == 0;
		bool to_user = len == 6 && memcmp(p, "%%user", 6) == 0;
		if ((new_file || to_user) && n[to_user ? 1 : folder] < FUZZ_FILES_MAX) {
			if (to_user)
				folder = 1, user = true;
			fclose(f);
			f = open_file(folder, n[folder]++, ext);
		} else {
			fwrite(p, 1, nl ? len + 1 : len, f);
		}
		p += nl ? len + 1 : len;
	}
	if (fclose(f) != 0) {
		perror("fuzz_folders_write");
		abort();
	}
	out->builtin = dirs[BUILTIN];
	out->user = user ? dirs[USER] : NULL;
}

const char *fuzz_own_folder(void)
{
	if (!base)
		set_up();
	clear(dirs[OWN]);
	return dirs[OWN];
}
