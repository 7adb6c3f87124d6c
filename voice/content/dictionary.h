/* The recogniser's pronunciation dictionary (cmudict-en-us.dict format: "word PH ON ES",
 * alternatives as "word(2) ..."), loaded into memory for look-ups by the recogniser and check. */
#pragma once

#include <stddef.h>

struct dictionary;

/* Returns 0, or -ENOENT/-EIO with "path: what is wrong (what to do)" in err. */
int dictionary_load(const char *path, struct dictionary **out, char *err, size_t errlen);
void dictionary_destroy(struct dictionary *dict);
/* The alt-th pronunciation (0 first) of `word` (lower case), or NULL. */
const char *dictionary_lookup(const struct dictionary *dict, const char *word, size_t alt);
size_t dictionary_size(const struct dictionary *dict);
