/* converse --keys: the schedule of keys pressed at moments of a simulated conversation. */
#include "session.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "session_internal.h"

int session_keys_parse(const char *text, struct session_key **out, char *err, size_t errlen)
{
	*out = NULL;
	struct session_key *keys = NULL;
	int n = 0;
	char *copy = xstrdup(text ? text : "");
	char *save = NULL;
	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		while (*tok == ' ')
			tok++;
		char *colon = strchr(tok, ':');
		char *end = NULL;
		double at = colon ? strtod(tok, &end) : -1;
		const char *key = colon ? colon + 1 : "";
		size_t klen = strlen(key);
		while (klen > 0 && key[klen - 1] == ' ')
			klen--;
		if (!colon || end == tok || end != colon || !(at >= 0) || !isfinite(at) || klen == 0 ||
		    klen >= KEYPAD_KEY_MAX) {
			errf(err, errlen, -EINVAL,
			     "bad key '%s' in --keys (write SECONDS:KEY, e.g. \"2.5:6,9:*,12:backspace\")",
			     tok);
			free(keys);
			free(copy);
			return -EINVAL;
		}
		keys = xreallocarray(keys, (size_t)n + 1, sizeof(*keys));
		keys[n].at_s = at;
		snprintf(keys[n].key, sizeof(keys[n].key), "%.*s", (int)klen, key);
		n++;
	}
	free(copy);
	if (n == 0) {
		free(keys);
		return errf(err, errlen, -EINVAL,
			    "--keys is empty (write SECONDS:KEY, e.g. \"2.5:6,9:*\")");
	}
	*out = keys;
	return n;
}

static int cmp_key(const void *a, const void *b)
{
	const struct session_key *x = a, *y = b;
	return x->at_s < y->at_s ? -1 : x->at_s > y->at_s;
}

struct session_key *session_keys_sorted(const struct session_key *keys, size_t n)
{
	if (n == 0)
		return NULL;
	struct session_key *copy = xcalloc(n, sizeof(*copy));
	memcpy(copy, keys, n * sizeof(*copy));
	qsort(copy, n, sizeof(*copy), cmp_key);
	return copy;
}
