/* Reading the flat JSON objects of a `converse` log (one a line) without a JSON library: shared
 * by the converse test and its benchmark. */
#pragma once

#include <stddef.h>

/* The raw JSON value of field `name` in `line` ("\"attunement\"", "null", "[...]", "12.5"; strings
 * keep their quotes), copied into buf (truncated to len). Good enough for the log's flat objects.
 * Returns 0; -ENOENT when the line has no such field (buf empty); -EINVAL when an array is not
 * closed (buf holds the rest of the line). */
int jsonl_field(const char *line, const char *name, char *buf, size_t len);
