/* Fuzz harness for every content parser (scripts, lexicon, templates). Built with clang and
 * -fsanitize=fuzzer it is a libFuzzer target; otherwise main() replays the files or folders given
 * on the command line, so the corpus runs as an ordinary test under ASan and UBSan. */
#include <dirent.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lexicon.h"
#include "log.h"
#include "script.h"
#include "template.h"
#include "textfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int count_phrase(void *data, const char *phrase)
{
	/* Stop early: a fuzzed template can describe billions of phrasings. */
	return ++*(int *)data > 1000;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xstrndup((const char *)data, size);
	struct diag d;
	diag_init(&d);

	struct script_set *set = xcalloc(1, sizeof(*set));
	script_set_parse_text(set, "fuzz.txt", text, &d);
	for (size_t i = 0; i < set->n_topics; i++) {
		int n = 0;
		script_entry_expand(set, &set->topics[i], count_phrase, &n);
		script_entry_count(set, &set->topics[i]);
	}
	script_set_destroy(set);

	struct lexicon *lex = xcalloc(1, sizeof(*lex));
	lexicon_parse_text(lex, "fuzz.txt", text, &d);
	lexicon_destroy(lex);

	char err[256];
	struct template_node *t;
	if (template_parse(text, &t, err, sizeof(err)) == 0) {
		int n = 0;
		template_expand(t, NULL, NULL, count_phrase, &n);
		template_node_destroy(t);
	}
	diag_done(&d);
	free(text);
	return 0;
}

#ifndef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
static int replay(const char *path)
{
	char *text;
	if (textfile_read(path, &text) < 0) {
		/* Binary inputs are corpus entries too. */
		FILE *f = fopen(path, "rb");
		if (!f) {
			fprintf(stderr, "%s: cannot read\n", path);
			return 1;
		}
		uint8_t buf[65536];
		size_t n = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		LLVMFuzzerTestOneInput(buf, n);
		return 0;
	}
	LLVMFuzzerTestOneInput((const uint8_t *)text, strlen(text));
	free(text);
	return 0;
}

int main(int argc, char **argv)
{
	int failed = 0, files = 0;
	for (int i = 1; i < argc; i++) {
		DIR *dir = opendir(argv[i]);
		if (!dir) {
			failed |= replay(argv[i]);
			files++;
			continue;
		}
		struct dirent *e;
		while ((e = readdir(dir))) {
			if (e->d_name[0] == '.')
				continue;
			char *path = xasprintf("%s/%s", argv[i], e->d_name);
			failed |= replay(path);
			files++;
			free(path);
		}
		closedir(dir);
	}
	printf("replayed %d inputs\n", files);
	return failed || files == 0;
}
#endif
