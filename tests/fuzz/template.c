/* libFuzzer target: the template language. The first line is a template; each later line
 * "NAME: TEMPLATE" defines a list it (or another list) may use as <NAME>. Parsed, counted, its
 * words listed and its phrasings expanded up to a bound, and the promises of template.h checked:
 * a parsed tree has a sequence at its root, words are lower case, the count never exceeds 1e15
 * and a whole expansion gives as many phrasings as counted. */
#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "template.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define LISTS_MAX 8
#define PHRASES_MAX 1000

struct lists {
	char *name[LISTS_MAX];
	struct template_node *tree[LISTS_MAX];
	size_t n;
};

static const struct template_node *lookup(void *data, const char *name)
{
	struct lists *l = data;
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->name[i], name) == 0)
			return l->tree[i];
	return NULL;
}

static int on_phrase(void *data, const char *phrase)
{
	return ++*(int *)data > PHRASES_MAX;
}

static void on_word(void *data, const char *word)
{
	++*(size_t *)data;
}

/* Words in a parsed tree are lower case (template.h). */
static void check_tree(const struct template_node *t)
{
	if (t->type == TEMPLATE_WORD)
		for (const char *p = t->text; *p; p++)
			if (isupper((unsigned char)*p))
				abort();
	for (size_t i = 0; i < t->n_children; i++)
		check_tree(t->children[i]);
}

static struct template_node *parse(const char *text)
{
	char err[256];
	struct template_node *t;
	if (template_parse(text, &t, err, sizeof(err)) != 0)
		return NULL;
	if (t->type != TEMPLATE_SEQ)
		abort();
	check_tree(t);
	return t;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xstrndup((const char *)data, size);
	struct lists lists = { 0 };
	char *save = NULL, *first = strtok_r(text, "\n", &save);
	for (char *line; lists.n < LISTS_MAX && (line = strtok_r(NULL, "\n", &save));) {
		char *colon = strchr(line, ':');
		if (!colon)
			continue;
		*colon = '\0';
		struct template_node *t = parse(colon + 1);
		if (!t)
			continue;
		lists.name[lists.n] = line;
		lists.tree[lists.n++] = t;
	}
	struct template_node *t = first ? parse(first) : NULL;
	if (t) {
		double n = template_count(t, lookup, &lists);
		if (!(n >= 0 && n <= 1e15))
			abort();
		size_t words = 0;
		template_words(t, lookup, &lists, on_word, &words);
		int phrases = 0;
		/* A whole expansion gives as many phrasings as counted. */
		if (template_expand(t, lookup, &lists, on_phrase, &phrases) == 0 && n != phrases)
			abort();
		template_node_destroy(t);
	}
	for (size_t i = 0; i < lists.n; i++)
		template_node_destroy(lists.tree[i]);
	free(text);
	return 0;
}
