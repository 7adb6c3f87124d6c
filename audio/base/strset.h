/* A set of strings, each kept once, in the order first added: for collecting the words of
 * millions of phrasings without keeping every occurrence. Not thread-safe; freed by strset_done. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct strset {
	char **s; /* the strings, in the order first added */
	size_t n, cap;
	size_t *slots; /* open addressing: index into s + 1, 0 for empty */
	size_t n_slots;
};

/* FNV-1a of a NUL-terminated string. */
uint64_t str_hash(const char *s);

/* Add a copy of `str` unless it is there. Returns its index in set->s; *added (may be NULL) says
 * whether it was new. */
size_t strset_add(struct strset *set, const char *str, bool *added);
/* The index of `str` in set->s, or -1 when it is not there. */
long strset_find(const struct strset *set, const char *str);
/* The strings (owned by the caller now, *n of them; NULL when none), the set left empty. */
char **strset_take(struct strset *set, size_t *n);
void strset_done(struct strset *set);
