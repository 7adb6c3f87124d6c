/* libFuzzer target: converse --keys "SECONDS:KEY,..." (session_keys_parse) and the schedule
 * sorted from it. A parse either fails with a message or gives at least one key, each with a
 * finite time >= 0 and a name of 1 to KEYPAD_KEY_MAX - 1 characters; the sorted copy is in
 * time order. */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "session.h"
#include "session_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = xstrndup((const char *)data, size);
	char err[256] = "";
	struct session_key *keys;
	int n = session_keys_parse(text, &keys, err, sizeof err);
	if (n < 0) {
		if (!err[0] || keys)
			abort();
	} else {
		if (n == 0 || !keys)
			abort();
		for (int i = 0; i < n; i++) {
			size_t len = strlen(keys[i].key);
			if (!isfinite(keys[i].at_s) || keys[i].at_s < 0 || len == 0 ||
			    len >= KEYPAD_KEY_MAX)
				abort();
		}
		struct session_key *sorted = session_keys_sorted(keys, (size_t)n);
		for (int i = 1; i < n; i++)
			if (sorted[i].at_s < sorted[i - 1].at_s)
				abort();
		free(sorted);
		free(keys);
	}
	free(text);
	return 0;
}
