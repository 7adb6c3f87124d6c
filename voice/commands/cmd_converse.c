/* `talkleaf converse`: a whole conversation from recordings, through the same loop as the live
 * assistant (voice/session.h), as fast as the CPU allows. */
#include "commands.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "audio.h"
#include "cli.h"
#include "cmd_assets.h"
#include "cmd_counts.h"
#include "cmd_outputs.h"
#include "log.h"
#include "session.h"
#include "stop.h"

/* Samples read from a file at once. */
#define READ_BLOCK 4096

/* A whole file as mono samples at AUDIO_RATE_HZ. */
static int read_all(const char *path, int16_t **out, size_t *n, char *err, size_t errlen)
{
	struct audio_source *src;
	int r = audio_source_open_file(path, &src, err, errlen);
	if (r < 0)
		return r;
	size_t cap = AUDIO_RATE_HZ, len = 0;
	int16_t *buf = xmalloc(cap * sizeof(*buf));
	while (!stop_requested()) {
		if (len + READ_BLOCK > cap)
			buf = xreallocarray(buf, cap *= 2, sizeof(*buf));
		size_t got = 0;
		r = audio_source_read(src, buf + len, READ_BLOCK, &got, err, errlen);
		if (r < 0 || got == 0)
			break;
		len += got;
	}
	audio_source_destroy(src);
	if (r < 0) {
		free(buf);
		return r;
	}
	*out = xreallocarray(buf, len ? len : 1, sizeof(*buf)); /* not up to twice the size */
	*n = len;
	return 0;
}

/* Never write over what is read: the recording, a turn, the scripts, or the other output. */
static int outputs_check(const struct app *app, const char *in, const struct cli_strings *turns,
			 const char *out_path, const char *log_path, const char *record_dir,
			 char *err, size_t errlen)
{
	const char **inputs = xcalloc((size_t)turns->n + 2, sizeof(*inputs));
	size_t n = 0;
	inputs[n++] = in;
	for (int i = 0; i < turns->n; i++)
		inputs[n++] = turns->items[i];
	int r = 0;
	if (out_path)
		r = cmd_output_check(app, "--out", out_path, inputs, n, err, errlen);
	if (r == 0 && record_dir)
		r = cmd_output_dir_check(app, "--record-dir", record_dir, "utterance-*.wav", inputs,
					 n, err, errlen);
	inputs[n++] = out_path;
	if (r == 0 && log_path)
		r = cmd_output_check(app, "--log", log_path, inputs, n, err, errlen);
	free(inputs);
	return r;
}

int cmd_converse(const struct app *app, int argc, char **argv)
{
	const char *in = NULL, *keys_text = NULL, *out_path = NULL, *log_path = NULL;
	const char *record_dir = NULL, *state_dir = app->state_dir, *language = NULL;
	struct cli_strings turns = { 0 };
	bool log_words = false;
	bool station = false, tone = false, barge_in = false, no_barge_in = false, stats = false;
	bool keys_only = false, push_to_talk = false;
	struct session_config cfg;
	session_config_defaults(&cfg);
	double no_speech_s = cfg.endpointer.no_speech_timeout_ms / 1000.0;
	int end_silence_ms = cfg.endpointer.trailing_silence_ms;
	double max_seconds = 3600;
	const struct cli_option options[] = {
		{ "in", CLI_STRING, &in, "FILE",
		  "the microphone is this recording (it runs on while the assistant speaks)" },
		{ "turns", CLI_STRINGS, &turns, "FILE",
		  "one file per thing said, given when the assistant listens; silence:SECONDS too" },
		{ "keys", CLI_STRING, &keys_text, "SECONDS:KEY,...",
		  "keys pressed at those moments (\"2.5:6,9:*,20:backspace\")" },
		{ "out", CLI_STRING, &out_path, "REPLY.wav", "write everything said to this WAV file" },
		{ "log", CLI_STRING, &log_path, "FILE.jsonl",
		  "one JSON object per turn (ids, decisions and timings)" },
		{ "log-words", CLI_FLAG, &log_words, NULL,
		  "the log keeps the words heard too (\"heard\")" },
		{ "record-dir", CLI_STRING, &record_dir, "DIR",
		  "save each utterance heard as a WAV file here" },
		{ "station", CLI_FLAG, &station, NULL,
		  "act as a station (goodbye resets; scripts with errors: the last good or "
		  "built-in ones serve)" },
		{ "state-dir", CLI_STRING, &state_dir, "DIR",
		  "the service's state folder (default $STATE_DIRECTORY): counts per day (numbers "
		  "only; talkleaf counts) and the last good scripts" },
		{ "tone", CLI_FLAG, &tone, NULL, "a short tone before each listening" },
		{ "push-to-talk", CLI_FLAG, &push_to_talk, NULL,
		  "speech is heard only after a key: its reply, a tone, then one utterance" },
		{ "barge-in", CLI_FLAG, &barge_in, NULL,
		  "a confident spoken command interrupts the assistant (the default with --station: "
		  "a handset has no echo path)" },
		{ "no-barge-in", CLI_FLAG, &no_barge_in, NULL,
		  "speech never interrupts, even with --station (a loudspeaker the microphone hears)" },
		{ "no-speech-timeout", CLI_DOUBLE, &no_speech_s, "SECONDS",
		  "no speech this long counts as silence", 1, 120 },
		{ "end-silence-ms", CLI_INT, &end_silence_ms, "MS",
		  "quiet this long ends an utterance", 200, 3000 },
		{ "max-seconds", CLI_DOUBLE, &max_seconds, "SECONDS",
		  "stop after this much conversation time", 1, 86400 },
		{ "language", CLI_STRING, &language, "CODE",
		  "speak this language only, with no choice of language (\"pl\"; talkleaf check "
		  "lists the languages installed)" },
		{ "keys-only", CLI_FLAG, &keys_only, NULL,
		  "no recogniser: keys only (speech is \"not heard\")" },
		{ "stats", CLI_FLAG, &stats, NULL, "print figures of the run as JSON on stdout" },
		{ NULL },
	};
	const struct cli_command cmd = {
		"converse", "(--in FILE.wav | --turns A.wav B.wav ...) [--keys ...] --out REPLY.wav",
		"Run a whole conversation from a recording (or one file per turn) through the same\n"
		"loop as the live assistant, as fast as the CPU allows. The log has one JSON object\n"
		"per turn: turn, event, speech_start_s, speech_end_s, endpoint_s, heard (only with\n"
		"--log-words), intent, confidence, decision, key, said ([\"topic:ID\" | \"more:ID\" |\n"
		"\"prompt:NAME\" | \"tone\"]), compute_ms (end of speech to the first reply sample),\n"
		"decode_ms (the recogniser's share), interrupted (a key stopped what it said), reset.",
		options,
	};
	char err[1024] = "", **pos;
	int npos, status = 1, r;
	int parsed = cli_parse_command(&cmd, argc, argv, &pos, &npos, 0);
	if (parsed != CLI_CONTINUE) {
		free(turns.items);
		return parsed;
	}
	if (!in == !turns.n) {
		log_error("converse: give either --in FILE.wav or --turns A.wav B.wav ... "
			  "(see talkleaf converse --help)");
		free(turns.items);
		return 2;
	}

	struct session_key *keys = NULL;
	int n_keys = 0;
	if (keys_text && (n_keys = session_keys_parse(keys_text, &keys, err, sizeof(err))) < 0) {
		log_error("converse: %s", err);
		free(turns.items);
		return 2;
	}

	if (outputs_check(app, in, &turns, out_path, log_path, record_dir, err, sizeof(err)) < 0) {
		log_error("converse: %s", err);
		free(keys);
		free(turns.items);
		return 2;
	}

	struct session_turn *turn_list = NULL;
	int16_t **turn_audio = NULL;
	struct session_assets assets = { 0 };
	struct audio_source *src = NULL;
	struct audio_sink *sink = NULL;
	struct session *s = NULL;
	struct counts *counts = NULL;
	FILE *log = NULL;
	char *log_part = NULL; /* the log is written beside log_path and renamed at the end */

	if (turns.n) {
		turn_list = xcalloc((size_t)turns.n, sizeof(*turn_list));
		turn_audio = xcalloc((size_t)turns.n, sizeof(*turn_audio));
		for (int i = 0; i < turns.n; i++) {
			const char *t = turns.items[i];
			turn_list[i].name = t;
			if (strncmp(t, "silence:", 8) == 0) {
				char *end;
				double sec = strtod(t + 8, &end);
				if (*end || !(sec > 0 && sec <= 3600)) {
					log_error("converse: bad turn '%s' (write silence:SECONDS, e.g. "
						  "silence:30)", t);
					status = 2;
					goto out;
				}
				turn_list[i].silence_s = sec;
				continue;
			}
			/* A file given again is read once: a long run (bench_soak) repeats a few. */
			int same = 0;
			while (same < i && !(turn_audio[same] && strcmp(turns.items[same], t) == 0))
				same++;
			if (same < i) {
				turn_list[i].samples = turn_audio[same];
				turn_list[i].n = turn_list[same].n;
				continue;
			}
			if (read_all(t, &turn_audio[i], &turn_list[i].n, err, sizeof(err)) < 0) {
				log_error("converse: %s", err);
				goto out;
			}
			turn_list[i].samples = turn_audio[i];
		}
		if (audio_source_open_memory(NULL, 0, AUDIO_RATE_HZ, "turns", &src, err,
					     sizeof(err)) < 0) {
			log_error("converse: %s", err);
			goto out;
		}
	} else if (audio_source_open_file(in, &src, err, sizeof(err)) < 0) {
		log_error("converse: %s", err);
		goto out;
	}

	struct app lang_app = *app;
	lang_app.assets.language = language;
	r = station ? cmd_assets_serve(&lang_app, state_dir, keys_only, &assets, err, sizeof(err))
		    : cmd_assets_load(&lang_app, keys_only, &assets, err, sizeof(err));
	if (r < 0) {
		log_error("converse: %s", err);
		goto out;
	}

	r = out_path ? audio_sink_open_file(out_path, synth_sample_rate(assets.synth), &sink, err,
					    sizeof(err))
		     : audio_sink_open_null(&sink, err, sizeof(err));
	if (r < 0) {
		log_error("converse: %s", err);
		goto out;
	}
	int log_fd = log_path ? stop_part_open(log_path, &log_part) : 0;
	if (log_path && (log_fd < 0 || !(log = fdopen(log_fd, "w")))) {
		if (log_fd >= 0)
			close(log_fd);
		errno = log_fd < 0 ? -log_fd : errno;
		log_error("converse: cannot write the log %s: %s (check the folder exists)", log_path,
			  strerror(errno));
		goto out;
	}

	if ((r = cmd_counts_open(app, state_dir, &counts)) != 0) {
		status = r;
		goto out;
	}
	cmd_log_notice(log_path, log_words);

	cfg.realtime = false;
	cfg.dialogue.station = station;
	cfg.dialogue.listen_tone = tone;
	cfg.push_to_talk = push_to_talk;
	/* A station's handset has no echo path: its speaker cannot trigger the microphone. */
	cfg.dialogue.voice_barge_in = !no_barge_in && (barge_in || station);
	cfg.endpointer.no_speech_timeout_ms = (int)(no_speech_s * 1000.0);
	cfg.endpointer.trailing_silence_ms = end_silence_ms;
	cfg.keys = keys;
	cfg.n_keys = (size_t)n_keys;
	cfg.turns = turn_list;
	cfg.n_turns = (size_t)turns.n;
	cfg.log = log;
	cfg.log_words = log_words;
	cfg.counts = counts;
	cfg.record_dir = record_dir;
	cfg.max_seconds = max_seconds;
	/* Ctrl-C ends the conversation between blocks: the reply file and the log are closed whole
	 * and the recogniser's private folder is removed. */
	cfg.stop = &stop_signal;
	session_assets_languages(&assets, language != NULL, &cfg);
	if (session_create(&cfg, assets.set, assets.rec, assets.synth, src, sink, &s, err,
			   sizeof(err)) < 0) {
		log_error("converse: %s", err);
		goto out;
	}
	if (session_run(s, err, sizeof(err)) < 0) {
		log_error("converse: %s", err);
		goto out;
	}
	status = 0;
	if (stop_requested()) {
		log_error("converse: stopped before the end of the recording");
		status = stop_status();
	}
	if (stats) {
		struct session_stats st;
		session_get_stats(s, &st);
		struct rusage ru;
		getrusage(RUSAGE_SELF, &ru);
		printf("{\"turns\":%zu,\"utterances\":%zu,\"compute_ms_max\":%.3f,"
		       "\"compute_ms_mean\":%.3f,\"endpoint_window_s\":%.3f,\"first_reply_s\":%.4f,"
		       "\"conversation_s\":%.3f,\"reply_s\":%.3f,\"max_rss_kb\":%ld}\n",
		       st.turns, st.utterances, st.compute_ms_max,
		       st.compute_n ? st.compute_ms_sum / (double)st.compute_n : 0.0,
		       st.endpoint_window_s, st.first_reply_wall_s, st.conversation_s, st.reply_s,
		       ru.ru_maxrss);
	}
out:
	if (stop_requested())
		status = stop_status();
	session_destroy(s);
	cmd_counts_close(counts);
	bool log_whole = log && fclose(log) == 0;
	if (log && !log_whole && status == 0) {
		log_error("converse: cannot write the log %s: %s", log_path, strerror(errno));
		status = 1;
	}
	/* A stopped conversation keeps the log of the turns it had, closed whole. */
	int lr = log_part ? stop_part_finish(log_part, log_path, log_whole) : 0;
	if (lr < 0 && status == 0) {
		log_error("converse: cannot write the log %s: %s", log_path, strerror(-lr));
		status = 1;
	}
	free(log_part);
	audio_sink_destroy(sink);
	audio_source_destroy(src);
	session_assets_done(&assets);
	for (int i = 0; turn_audio && i < turns.n; i++)
		free(turn_audio[i]);
	free(turn_audio);
	free(turn_list);
	free(keys);
	free(turns.items);
	return status;
}
