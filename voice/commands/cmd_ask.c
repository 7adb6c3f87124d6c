/* `talkleaf ask FILE...`: one spoken question per file in, what was heard and the decision out.
 * The model is loaded once for all the files; a file that cannot be used gets an error line (or
 * object) and the others continue. The exit status is 1 when any file failed. Each file is heard
 * as the live assistant and `converse` hear a turn: through the endpointer, after quiet, so the
 * recogniser gets the same pre-roll and trailing quiet whatever silence the file has
 * (docs/recognition-tuning.md, "Files heard as turns"). */
#include "commands.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audio.h"
#include "cli.h"
#include "diag.h"
#include "endpointer.h"
#include "json.h"
#include "lexicon.h"
#include "log.h"
#include "recogniser.h"
#include "script.h"
#include "stop.h"

/* One question is a few seconds; a longer file is a recording of something else (or a whole
 * conversation: use `talkleaf converse`). Reading stops here, so a 10-minute file costs nothing. */
#define ASK_MAX_SECONDS 30

/* Read the whole file at AUDIO_RATE_HZ mono. Returns 0, or a negative errno with err. */
static int read_file(const char *path, int16_t **out, size_t *n_out, char *err, size_t errlen)
{
	*out = NULL;
	*n_out = 0;
	struct audio_source *src = NULL;
	int r = audio_source_open_file(path, &src, err, errlen);
	if (r < 0)
		return r;
	size_t max = (size_t)ASK_MAX_SECONDS * AUDIO_RATE_HZ;
	int16_t *pcm = xmalloc((max + 1) * sizeof(*pcm));
	size_t n = 0;
	while (n <= max && !stop_requested()) {
		size_t got = 0;
		r = audio_source_read(src, pcm + n, max + 1 - n, &got, err, errlen);
		if (r < 0 || got == 0)
			break;
		n += got;
	}
	audio_source_destroy(src);
	if (r < 0) {
		free(pcm);
		return r;
	}
	if (n > max) {
		free(pcm);
		return errf(err, errlen, -E2BIG,
			    "%s: longer than %d seconds: ask gives one question per file (cut the recording to the question)",
			    path, ASK_MAX_SECONDS);
	}
	if (n == 0) {
		free(pcm);
		return errf(err, errlen, -ENODATA, "%s: the file holds no sound", path);
	}
	*out = pcm;
	*n_out = n;
	return 0;
}

/* Quiet around the file, as a turn of `converse --turns` has it: before, more than the
 * endpointer's pre-roll (the turn comes after the greeting's silence); after, the turn gap. */
#define ASK_LEAD_S 1.0
#define ASK_TAIL_S 1.0

/* The part of `pcm` a session would hear as the question: the file between ASK_LEAD_S and
 * ASK_TAIL_S of digital silence, through the session's endpointer; from the pre-roll of the first
 * utterance to the kept quiet after the last (a file is one question, even with a long pause).
 * A file that starts with speech lost its first frames to the search (a trimmed "slower" was
 * "louder"), and the quiet around the words changed the decision; a turn always has 300 ms of
 * pre-roll and 200 ms after. Returns a copy (free it), its length in *n_out; the file as it is
 * when the endpointer finds no speech in it (the recogniser brings up speech too quiet for it). */
static int16_t *utterance_find(const int16_t *pcm, size_t n, size_t *n_out)
{
	size_t lead = (size_t)(ASK_LEAD_S * AUDIO_RATE_HZ);
	size_t total = lead + n + (size_t)(ASK_TAIL_S * AUDIO_RATE_HZ);
	int16_t *padded = xcalloc(total, sizeof(*padded));
	memcpy(padded + lead, pcm, n * sizeof(*pcm));
	struct endpointer_config c;
	endpointer_config_defaults(&c);
	c.no_speech_timeout_ms = 0;
	struct endpointer *ep = NULL;
	char err[256];
	uint64_t first = 0, end = 0;
	bool found = false;
	if (endpointer_create(&c, &ep, err, sizeof(err)) == 0) {
		for (size_t used = 0; used < total;) {
			struct endpointer_event ev;
			used += endpointer_feed(ep, padded + used, total - used, &ev);
			if (ev.type != ENDPOINTER_UTTERANCE)
				continue;
			if (!found)
				first = ev.first_sample;
			found = true;
			end = ev.first_sample + ev.n;
			endpointer_listen(ep);
		}
	}
	endpointer_destroy(ep);
	if (!found) {
		memcpy(padded, pcm, n * sizeof(*pcm));
		*n_out = n;
		return padded;
	}
	*n_out = (size_t)(end - first);
	memmove(padded, padded + first, *n_out * sizeof(*padded));
	return padded;
}

static void print_result(const char *file, const struct recognition *r, bool json)
{
	char name[160];
	const char *intent = recognition_intent_name(r, name, sizeof(name));
	if (json) {
		fputs("{\"file\":", stdout);
		json_write_string(stdout, file);
		fputs(",\"heard\":", stdout);
		json_write_string(stdout, r->heard);
		fputs(",\"intent\":", stdout);
		json_write_string(stdout, intent);
		printf(",\"confidence\":%.3f,\"decision\":\"%s\"", r->confidence,
		       recognition_decision_name(r->decision));
		/* The choice's other topic, the noisy-room flag and the one-entry rule, for tuning. */
		fputs(",\"second_topic_id\":", stdout);
		json_write_string(stdout, r->second_topic_id);
		printf(",\"noisy\":%s,\"sole_phrasing\":%s}\n", r->noisy ? "true" : "false",
		       r->sole_phrasing ? "true" : "false");
	} else {
		printf("%s: heard \"%s\" -> %s (%s, confidence %.2f)\n", file, r->heard,
		       intent ? intent : "nothing", recognition_decision_name(r->decision),
		       r->confidence);
	}
	fflush(stdout);
}

static void print_error(const char *file, const char *msg, bool json)
{
	if (json) {
		fputs("{\"file\":", stdout);
		json_write_string(stdout, file);
		fputs(",\"error\":", stdout);
		json_write_string(stdout, msg);
		fputs("}\n", stdout);
		fflush(stdout);
	} else {
		log_error("ask: %s", msg);
	}
}

int cmd_ask(const struct app *app, int argc, char **argv)
{
	bool json = false;
	const struct cli_option options[] = {
		{ "json", CLI_FLAG, &json, NULL, "one JSON object per file, one per line" },
		{ NULL },
	};
	const struct cli_command cmd = {
		"ask", "[--json] FILE.wav [FILE.wav ...]",
		"recognise one spoken question per audio file (any format, rate or channels)",
		options,
	};
	char **files;
	int n_files;
	int st = cli_parse_command(&cmd, argc, argv, &files, &n_files, -1);
	if (st != CLI_CONTINUE)
		return st;
	if (n_files == 0) {
		log_error("ask: no audio file given (talkleaf ask --help)");
		return 2;
	}

	/* Ctrl-C (or a service stopping) ends the run between files; a file being heard longer
	 * than the grace (stop.h) is ended by force, which removes the private folder too. */
	struct diag d;
	diag_init(&d);
	struct script_set *set = NULL;
	struct lexicon *lex = NULL;
	struct recogniser *rec = NULL;
	char err[1024];
	int status = 1;
	if (script_set_load(app->assets.scripts_dir, app->assets.user_scripts_dir, &set, &d) < 0 ||
	    lexicon_load_with_scripts(app->assets.lexicon_dir, app->assets.user_scripts_dir, &lex,
				      &d) < 0) {
		diag_print(&d, stderr);
		log_error("ask: the scripts or the lexicon cannot be loaded (fix the errors above)");
		goto out;
	}
	/* No synthesiser is given: ask speaks nothing, so the set-up makes one for pronunciations
	 * and drops it. */
	int cr = recogniser_setup(&app->assets.hearing, set, lex, &rec, &d, err, sizeof(err));
	if (cr < 0 && stop_requested()) {
		status = stop_status();
		goto out;
	}
	if (cr < 0) {
		diag_print(&d, stderr);
		log_error("ask: %s", err);
		goto out;
	}
	diag_print(&d, stderr); /* warnings: words given a generated pronunciation */

	status = 0;
	int i = 0;
	for (; i < n_files && !stop_requested(); i++) {
		int16_t *pcm = NULL;
		size_t n = 0;
		struct recognition r;
		int rr = read_file(files[i], &pcm, &n, err, sizeof(err));
		double high_db = rr == 0 ? audio_high_band_db(pcm, n) : 0;
		if (high_db < AUDIO_NARROWBAND_DB)
			log_warn("%s: " AUDIO_NARROWBAND_ADVICE " (%.0f dB above 4 kHz)", files[i],
				 high_db);
		size_t heard_n = 0;
		int16_t *heard = rr == 0 ? utterance_find(pcm, n, &heard_n) : NULL;
		if (rr < 0 || recogniser_decode(rec, heard, heard_n, &r, err, sizeof(err)) < 0) {
			print_error(files[i], err, json);
			status = 1;
		} else {
			print_result(files[i], &r, json);
		}
		free(heard);
		free(pcm);
	}
	if (stop_requested()) {
		log_error("ask: stopped after %d of %d files", i, n_files);
		status = stop_status();
	}
out:
	recogniser_destroy(rec);
	lexicon_destroy(lex);
	script_set_destroy(set);
	diag_done(&d);
	return status;
}
