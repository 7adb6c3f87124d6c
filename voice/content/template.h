/* Templates for the ways people ask: "what (is | does) [the word] <attune> mean".
 * ( a | b ) alternatives, [ x ] optional, <name> a list defined elsewhere. */
#pragma once

#include <stddef.h>

enum template_node_type {
	TEMPLATE_WORD, /* text = one lower-case word */
	TEMPLATE_SEQ,  /* children in order */
	TEMPLATE_ALT,  /* one of children (each a SEQ) */
	TEMPLATE_OPT,  /* children[0] (a SEQ) or nothing */
	TEMPLATE_LIST, /* text = list name */
};

struct template_node {
	enum template_node_type type;
	char *text;
	struct template_node **children;
	size_t n_children;
};

/* Parse `text` into a tree (a TEMPLATE_SEQ at the root). Upper case is folded to lower case.
 * Returns 0, or -EINVAL with "what is wrong (what to do)" in err (unbalanced brackets, empty
 * alternative, stray character). *out is owned by the caller: template_node_destroy. */
int template_parse(const char *text, struct template_node **out, char *err, size_t errlen);
void template_node_destroy(struct template_node *node);

/* Resolves <name>; returns NULL when the list is undefined. */
typedef const struct template_node *(*template_list_lookup_fn)(void *userdata, const char *name);
/* Called with each phrasing ("what is attuned"); return non-zero to stop the expansion. */
typedef int (*template_phrase_fn)(void *userdata, const char *phrase);

/* Call `fn` for every phrasing the template produces, in order (duplicates possible when
 * alternatives overlap). Returns 0, the first non-zero value of fn, or -ELOOP / -ENOENT when a
 * list nests too deep or is undefined. */
int template_expand(const struct template_node *node, template_list_lookup_fn lookup,
		    void *lookup_data, template_phrase_fn fn, void *fn_data);

/* Number of phrasings (counting duplicates) without listing them; saturates at 1e15. */
double template_count(const struct template_node *node, template_list_lookup_fn lookup,
		      void *lookup_data);

/* Call fn for every distinct word (and each list name via lookup) the template can produce. */
typedef void (*template_word_fn)(void *userdata, const char *word);
void template_words(const struct template_node *node, template_list_lookup_fn lookup,
		    void *lookup_data, template_word_fn fn, void *fn_data);
