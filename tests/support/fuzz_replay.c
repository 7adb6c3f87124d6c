/* main() for the libFuzzer harnesses (tests/fuzz_*.c) outside a fuzzing build: every file given
 * on the command line, and every file under every folder given, goes once through
 * LLVMFuzzerTestOneInput, so a corpus runs as an ordinary test (under ASan and UBSan in a
 * sanitizer build). Fails when a file cannot be read or when there was no input at all. */
#include <dirent.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The file's bytes as they are, as libFuzzer gives them. Returns 0, or 1 when unreadable. */
static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "%s: cannot read\n", path);
		return 1;
	}
	size_t n = 0, cap = 4096, got;
	uint8_t *buf = xmalloc(cap);
	while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap)
			buf = xrealloc(buf, cap *= 2);
	}
	int bad = ferror(f);
	fclose(f);
	if (bad)
		fprintf(stderr, "%s: cannot read\n", path);
	else
		LLVMFuzzerTestOneInput(buf, n);
	free(buf);
	return bad;
}

/* A file, or each file under a folder; counts them in *files. Returns 0, or 1 on a failure. */
static int replay(const char *path, int *files)
{
	DIR *dir = opendir(path);
	if (!dir) {
		++*files;
		return replay_file(path);
	}
	int failed = 0;
	struct dirent *e;
	while ((e = readdir(dir))) {
		if (e->d_name[0] == '.')
			continue;
		char *sub = xasprintf("%s/%s", path, e->d_name);
		failed |= replay(sub, files);
		free(sub);
	}
	closedir(dir);
	return failed;
}

int main(int argc, char **argv)
{
	int failed = 0, files = 0;
	for (int i = 1; i < argc; i++)
		failed |= replay(argv[i], &files);
	printf("replayed %d inputs\n", files);
	return failed || files == 0;
}
