/* Templates for the ways people ask: "what (is | does) [the word] <attune> mean".
 * ( a | b ) alternatives, [ x ] optional, <name> a list defined elsewhere. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Bounds on one template (docs/limits.md): input past them is an error, never a deep recursion. */
#define TEMPLATE_MAX_DEPTH 64     /* ( ) and [ ] nested in one another */
#define TEMPLATE_MAX_WORDS 1000   /* words and <list> references in one template */
#define TEMPLATE_MAX_LIST_DEPTH 16 /* lists using lists; deeper is a cycle or a mistake */
#define TEMPLATE_MAX_PATH 2000 /* words, brackets and list uses one phrasing passes through */

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
	/* The phrasings of this tree once counted (`counted`); a list's tree is counted once, not
	 * at every reference. `counting` while it is: a list met again then uses itself. */
	double count, longest; /* longest: template_path_length */
	bool counted, counting, loops; /* loops: it uses itself, or lists nest too deep */
};

/* Parse `text` into a tree (a TEMPLATE_SEQ at the root). Upper case is folded to lower case.
 * Returns 0, or -EINVAL with "what is wrong (what to do)" in err (unbalanced brackets, empty
 * alternative, stray character, brackets nested deeper than TEMPLATE_MAX_DEPTH, more than
 * TEMPLATE_MAX_WORDS words: the parser stops there, so its recursion stays bounded). *out is owned by the caller: template_node_destroy. */
int template_parse(const char *text, struct template_node **out, char *err, size_t errlen);
void template_node_destroy(struct template_node *node);

/* Resolves <name>; returns NULL when the list is undefined. */
typedef const struct template_node *(*template_list_lookup_fn)(void *userdata, const char *name);
/* Called with each phrasing ("what is attuned"); return non-zero to stop the expansion. */
typedef int (*template_phrase_fn)(void *userdata, const char *phrase);

/* Call `fn` for every phrasing the template produces, in order (duplicates possible when
 * alternatives overlap). Returns 0, the first non-zero value of fn, -ELOOP / -ENOENT when a
 * list nests too deep or is undefined, or -E2BIG (nothing listed) when a phrasing passes
 * through more than TEMPLATE_MAX_PATH nodes. */
int template_expand(const struct template_node *node, template_list_lookup_fn lookup,
		    void *lookup_data, template_phrase_fn fn, void *fn_data);

/* Number of phrasings (counting duplicates) without listing them; saturates at 1e15. 0 when a
 * list is undefined or lists nest deeper than TEMPLATE_MAX_LIST_DEPTH. Uses the cached count
 * of a list's tree when there is one. */
double template_count(const struct template_node *node, template_list_lookup_fn lookup,
		      void *lookup_data);
/* template_count, remembered in node->count, and each node's below it (for a list's tree, so
 * that counting a template that uses it does not walk it again; for every tree, so that
 * template_phrasing_at reads counts instead of walking). The lists it uses should be cached
 * first, or are walked. */
double template_count_cache(struct template_node *node, template_list_lookup_fn lookup,
			    void *lookup_data);

/* The most nodes (words, brackets, list uses) one phrasing passes through, lists included:
 * how deep the expansion recurses (saturates at 1e15). */
double template_path_length(const struct template_node *node, template_list_lookup_fn lookup,
			void *lookup_data);

/* The index-th phrasing (from 0, in template_expand's order) into *buf (grown as needed, *cap
 * its size; both may start NULL/0), without listing the others: the index is split over the
 * choices by their counts, so it costs about the size of the tree. Returns 0, -ERANGE (index
 * >= template_count), -ENOENT (undefined list) or -ELOOP (lists nest too deep). */
int template_phrasing_at(const struct template_node *node, template_list_lookup_fn lookup,
			 void *lookup_data, uint64_t index, char **buf, size_t *cap);

/* Call fn for every word the template can produce, through its lists when lookup is given (each
 * use walks the list again: a checker of many templates walks the lists on their own). */
typedef void (*template_word_fn)(void *userdata, const char *word);
void template_words(const struct template_node *node, template_list_lookup_fn lookup,
		    void *lookup_data, template_word_fn fn, void *fn_data);

/* Whether the template produces exactly the words words[0..n-1] (lower case), through its lists
 * when lookup is given; false for more than TEMPLATE_MATCH_MAX_WORDS words. Costs about the size
 * of the tree times the words, whatever the number of phrasings. */
#define TEMPLATE_MATCH_MAX_WORDS 63
bool template_match(const struct template_node *node, template_list_lookup_fn lookup,
		    void *lookup_data, const char *const *words, size_t n);
