#include "strset.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"

uint64_t str_hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static size_t *slot_of(const struct strset *set, const char *str)
{
	size_t mask = set->n_slots - 1;
	for (size_t i = (size_t)str_hash(str) & mask;; i = (i + 1) & mask)
		if (!set->slots[i] || !strcmp(set->s[set->slots[i] - 1], str))
			return &set->slots[i];
}

/* Slots for twice as many strings as s can hold: probes stay short and a free slot is found. */
static void reindex(struct strset *set)
{
	free(set->slots);
	set->n_slots = 64;
	while (set->n_slots < 2 * set->cap)
		set->n_slots *= 2;
	set->slots = xcalloc(set->n_slots, sizeof(*set->slots));
	for (size_t i = 0; i < set->n; i++)
		*slot_of(set, set->s[i]) = i + 1;
}

size_t strset_add(struct strset *set, const char *str, bool *added)
{
	if (set->n_slots) {
		size_t *slot = slot_of(set, str);
		if (*slot) {
			if (added)
				*added = false;
			return *slot - 1;
		}
	}
	if (set->n == set->cap) {
		set->s = xreallocarray(set->s, set->cap = set->cap ? set->cap * 2 : 32,
				       sizeof(*set->s));
		reindex(set);
	}
	set->s[set->n] = xstrdup(str);
	*slot_of(set, str) = set->n + 1;
	if (added)
		*added = true;
	return set->n++;
}

long strset_find(const struct strset *set, const char *str)
{
	if (!set->n_slots)
		return -1;
	size_t slot = *slot_of(set, str);
	return slot ? (long)slot - 1 : -1;
}

char **strset_take(struct strset *set, size_t *n)
{
	char **s = set->s;
	*n = set->n;
	free(set->slots);
	memset(set, 0, sizeof(*set));
	return s;
}

void strset_done(struct strset *set)
{
	for (size_t i = 0; i < set->n; i++)
		free(set->s[i]);
	free(set->s);
	free(set->slots);
	memset(set, 0, sizeof(*set));
}
