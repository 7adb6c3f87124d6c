#include "turn_log.h"

#include <math.h>
#include <string.h>

#include "json.h"

static void json_double(FILE *f, const char *name, bool has, double v)
{
	fprintf(f, ",\"%s\":", name);
	if (has && isfinite(v))
		fprintf(f, "%.3f", v);
	else
		fputs("null", f);
}

/* The items of the turn as the array `name`, or an empty one. */
static void write_items(FILE *f, const char *name, const struct turn_log *t, bool these)
{
	fprintf(f, ",\"%s\":[", name);
	for (size_t i = 0; these && i < t->n_said; i++) {
		if (i)
			fputc(',', f);
		json_write_string(f, t->said[i]);
	}
	fputc(']', f);
}

bool turn_log_write(struct turn_log *t, FILE *f, bool words)
{
	if (!t->open)
		return false;
	t->open = false;
	/* A station waiting for the next person hears silence all day: not a turn. */
	if (strcmp(t->event, "silence") == 0 && t->n_said == 0)
		return false;
	if (!f)
		return true;
	fprintf(f, "{\"turn\":%d,\"event\":", t->number);
	json_write_string(f, t->event);
	json_double(f, "speech_start_s", t->has_speech, t->speech_start_s);
	json_double(f, "speech_end_s", t->has_speech, t->speech_end_s);
	json_double(f, "endpoint_s", true, t->endpoint_s);
	/* What the person said is theirs: only written when asked for (--log-words). */
	if (words) {
		fputs(",\"heard\":", f);
		json_write_string(f, t->has_heard ? t->heard : NULL);
	}
	fputs(",\"intent\":", f);
	json_write_string(f, t->has_intent ? t->intent : NULL);
	json_double(f, "confidence", t->has_heard, t->confidence);
	fprintf(f, ",\"noisy\":%s", !t->has_heard ? "null" : t->noisy ? "true" : "false");
	fputs(",\"decision\":", f);
	json_write_string(f, t->decision);
	fputs(",\"key\":", f);
	json_write_string(f, t->has_key ? t->key : NULL);
	write_items(f, "said", t, !t->cut_off);
	write_items(f, "cut_off", t, t->cut_off);
	json_double(f, "compute_ms", t->has_compute, t->compute_ms);
	json_double(f, "decode_ms", t->has_decode, t->decode_ms);
	json_double(f, "speculative_ms", t->has_speculative, t->speculative_ms);
	fprintf(f, ",\"speculated\":%d", t->speculated);
	fprintf(f, ",\"interrupted\":%s,\"reset\":%s", t->interrupted ? "true" : "false",
		t->reset ? "true" : "false");
	/* Last, so the fields before keep their order for those who read the log by eye. */
	if (t->language) {
		fputs(",\"language\":", f);
		json_write_string(f, t->language);
	}
	fputs("}\n", f);
	fflush(f);
	return true;
}
