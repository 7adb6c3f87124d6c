/* Shared by the script loader (script.c) and its checks across files (script_validate.c);
 * private to voice/content/. */
#pragma once

#include <stddef.h>

#include "diag.h"
#include "script.h"

/* "topic", "control" or "prompt", for messages. */
const char *script_kind_name(enum script_kind kind);

/* Pointers to the entries (lists) of arr, sorted by id (name), equal ones in array order: the
 * duplicate and override checks in n log n. The caller frees the array. */
const struct script_entry **script_sort_by_id(const struct script_entry *arr, size_t n);
const struct script_list **script_sort_lists(const struct script_list *arr, size_t n);

/* Report every entry of `arr` whose id an earlier entry of the same layer already has. */
void script_check_duplicates(struct diag *d, const struct script_entry *arr, size_t n);

/* The checks once every file is read (controls, topics, prompts, lists; messages as
 * "path:line: error: ..." into d, `dir` naming the folder where something is missing). Puts the
 * controls in enum order when they are complete, and sorts the topics by key. */
void script_set_validate(struct script_set *set, struct diag *d, const char *dir);
