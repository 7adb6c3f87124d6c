/* Writing JSON values to stdout-like streams (results of ask, topics, converse logs). */
#pragma once

#include <stdio.h>

/* Write `s` as a quoted JSON string (NULL writes null). */
void json_write_string(FILE *out, const char *s);
