/* Shared by the script loader (script.c) and its checks across files (script_validate.c);
 * private to voice/content/. */
#pragma once

#include <stddef.h>

#include "diag.h"
#include "script.h"

/* "topic", "control" or "prompt", for messages. */
const char *script_kind_name(enum script_kind kind);

/* The indices of the n elements of arr (each `size` bytes, a string pointer at `name_offset`:
 * an entry's id, a list's name) sorted by that string, equal ones in array order: the duplicate
 * and override checks in n log n. The caller frees the array. */
size_t *script_sort_names(const void *arr, size_t n, size_t size, size_t name_offset);
#define SCRIPT_SORT_IDS(arr, n) script_sort_names(arr, n, sizeof(*(arr)), offsetof(struct script_entry, id))
#define SCRIPT_SORT_LISTS(arr, n) script_sort_names(arr, n, sizeof(*(arr)), offsetof(struct script_list, name))

/* Report every entry of `arr` whose id an earlier entry of the same layer already has. */
void script_check_duplicates(struct diag *d, const struct script_entry *arr, size_t n);

/* The checks once every file is read (controls, topics, prompts, lists; messages as
 * "path:line: error: ..." into d, `dir` naming the folder where something is missing). Puts the
 * controls in enum order when they are complete, and sorts the topics by key. flags: as
 * script_set_load_flags. */
void script_set_validate(struct script_set *set, struct diag *d, const char *dir, unsigned flags);
