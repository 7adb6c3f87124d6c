/* `talkleaf` with no command: the live assistant on the microphone and speaker, keys from the
 * keypad (standard input). `--station`: a listening station that runs unattended, resets
 * between people, never exits on a recoverable error, and cannot be stopped from its keyboard.
 * Both keep waiting for lost or stalled sound devices (docs/devices.md). */
#include "commands.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audio.h"
#include "cli.h"
#include "cmd_assets.h"
#include "cmd_counts.h"
#include "cmd_outputs.h"
#include "diag.h"
#include "keypad.h"
#include "languages.h"
#include "log.h"
#include "monotonic.h"
#include "session.h"
#include "status.h"
#include "stop.h"

/* How often a wait for the devices looks at the stop flag (Ctrl-C). */
#define NAP_STEP_MS 100
/* The longest wait between two tries at the devices: a device that comes back is in use again
 * within about this (a try costs a few milliseconds when the server is gone). */
#define RETRY_MAX_S 0.5
/* A failure that goes on is told again this often, not at every try. */
#define RETELL_S 30.0

/* Sleep up to `seconds`, waking early when asked to stop. */
static void nap(double seconds)
{
	for (double t = 0; t < seconds && !stop_requested(); t += NAP_STEP_MS / 1000.0) {
		struct timespec ts = { 0, NAP_STEP_MS * 1000L * 1000L };
		nanosleep(&ts, NULL);
	}
}

/* Say what is wrong with the devices when it is new, or once every RETELL_S while it lasts. */
static void tell_failure(const char *err, char *told, size_t toldlen, double *told_at,
			 double now)
{
	if (strcmp(err, told) == 0 && now - *told_at < RETELL_S)
		return;
	log_warn("%s; trying again every %.1f s", err, RETRY_MAX_S);
	snprintf(told, toldlen, "%s", err);
	*told_at = now;
}

/* Open the microphone and the speaker; a station keeps trying (a headset may be plugged in
 * later), the live assistant says once what is missing. */
static int open_devices(struct audio_system *sys, const char *in_dev, const char *out_dev,
			bool station, struct audio_source **src, struct audio_sink **sink)
{
	char err[512], told[512] = "";
	double told_at = 0, wait = 0.25;
	for (;;) {
		struct audio_device_config dc;
		audio_device_config_defaults(&dc);
		dc.device = in_dev;
		int r = audio_source_open_device(sys, &dc, src, err, sizeof(err));
		if (r == 0) {
			dc.device = out_dev;
			r = audio_sink_open_device(sys, &dc, sink, err, sizeof(err));
			if (r < 0) {
				audio_source_destroy(*src);
				*src = NULL;
			}
		}
		if (r == 0)
			return 0;
		if (!station || stop_requested()) {
			log_error("%s", err);
			return r;
		}
		tell_failure(err, told, sizeof(told), &told_at, monotonic_s());
		nap(wait);
		if (stop_requested())
			return -EINTR;
		wait = wait * 2 > RETRY_MAX_S ? RETRY_MAX_S : wait * 2;
	}
}

/* After a device failure (lost, or not answering): close both, then open both again until they
 * answer. Live and station alike: a person may be standing there, and the devices usually come
 * back (a server restarted, a headset plugged in again). Closing both first lets the open read
 * the device list again. */
static int reopen_devices(struct audio_source *src, struct audio_sink *sink, bool quiet)
{
	char err[512], told[512] = "";
	double told_at = 0, wait = 0.1;
	audio_source_close(src);
	audio_sink_close(sink);
	for (int attempt = 1; !stop_requested(); attempt++) {
		int r = audio_source_reopen(src, err, sizeof(err));
		if (r == 0)
			r = audio_sink_reopen(sink, err, sizeof(err));
		if (r == 0) {
			if (!quiet)
				log_warn("sound devices are back (attempt %d)", attempt);
			return 0;
		}
		if (stop_requested())
			break;
		if (!quiet)
			tell_failure(err, told, sizeof(told), &told_at, monotonic_s());
		nap(wait);
		wait = wait * 2 > RETRY_MAX_S ? RETRY_MAX_S : wait * 2;
	}
	return -EINTR;
}

/* An unknown --language is said before the sound devices are opened: a station would wait for
 * its card first, and a missing device would hide the mistake. A station also takes a language
 * of the built-in scripts, which it serves when its own fail. Errors in the content are left to
 * the load, which reports them all. Returns 0, or -EINVAL (said, naming the installed codes). */
static int language_check(const struct app *app, const char *code, bool station)
{
	const char *user[2] = { app->assets.user_scripts_dir, NULL };
	int tries = station && user[0] ? 2 : 1, r = -EINVAL;
	char err[1024] = "";
	for (int i = 0; i < tries && r < 0; i++) {
		struct languages *langs = NULL;
		struct diag d;
		diag_init(&d);
		size_t index;
		char why[1024];
		if (languages_find(app->assets.scripts_dir, user[i], &langs, &d) < 0)
			r = 0;
		else if ((r = session_language_find(langs, code, &index, why, sizeof(why))) < 0 &&
			 !*err)
			snprintf(err, sizeof(err), "%s", why);
		languages_destroy(langs);
		diag_done(&d);
	}
	if (r < 0)
		log_error("--language: %s", err);
	return r;
}

int cmd_live(const struct app *app, int argc, char **argv)
{
	bool station = false, tone = false, barge_in = false, no_barge_in = false, no_keypad = false;
	bool log_words = false, status_on = false, quiet = false, verbose_libraries = false;
	bool push_to_talk = false;
	const char *in_dev = NULL, *out_dev = NULL, *log_path = NULL, *record_dir = NULL;
	const char *state_dir = app->state_dir, *language = NULL;
	struct session_config cfg;
	session_config_defaults(&cfg);
	double no_speech_s = cfg.endpointer.no_speech_timeout_ms / 1000.0;
	int end_silence_ms = cfg.endpointer.trailing_silence_ms;
	const struct cli_option options[] = {
		{ "station", CLI_FLAG, &station, NULL,
		  "unattended: reset between people, survive device loss" },
		{ "input-device", CLI_STRING, &in_dev, "NAME|N",
		  "microphone to use (see talkleaf devices)" },
		{ "output-device", CLI_STRING, &out_dev, "NAME|N",
		  "speaker to use (see talkleaf devices)" },
		{ "log", CLI_STRING, &log_path, "FILE.jsonl",
		  "one JSON object per turn (ids, decisions and timings; no words, no audio)" },
		{ "log-words", CLI_FLAG, &log_words, NULL,
		  "the log keeps the words heard too (\"heard\")" },
		{ "record-dir", CLI_STRING, &record_dir, "DIR",
		  "save each utterance heard as a WAV file here" },
		{ "tone", CLI_FLAG, &tone, NULL, "a short tone when it is the person's turn" },
		{ "push-to-talk", CLI_FLAG, &push_to_talk, NULL,
		  "for noisy rooms: speech is heard only after a key (its reply, a tone, then one "
		  "question)" },
		{ "barge-in", CLI_FLAG, &barge_in, NULL,
		  "a confident spoken command interrupts the assistant (the default with --station: "
		  "a handset has no echo path)" },
		{ "no-barge-in", CLI_FLAG, &no_barge_in, NULL,
		  "speech never interrupts, even with --station (a loudspeaker the microphone hears)" },
		{ "no-keypad", CLI_FLAG, &no_keypad, NULL, "do not read keys from standard input" },
		{ "state-dir", CLI_STRING, &state_dir, "DIR",
		  "the service's state folder (default $STATE_DIRECTORY): counts per day (numbers "
		  "only; talkleaf counts) and the last good scripts" },
		{ "no-speech-timeout", CLI_DOUBLE, &no_speech_s, "SECONDS",
		  "no speech this long counts as silence", 1, 120 },
		{ "end-silence-ms", CLI_INT, &end_silence_ms, "MS",
		  "quiet this long ends an utterance", 200, 3000 },
		{ "status", CLI_FLAG, &status_on, NULL,
		  "the status line (listening, heard, speaking, a device lost) on stdout even when "
		  "it is not a terminal; on a terminal it is there anyway; never with --station" },
		{ "quiet", CLI_FLAG, &quiet, NULL, "no status line, even on a terminal" },
		{ "language", CLI_STRING, &language, "CODE",
		  "speak this language only, with no choice of language (a school's station, a "
		  "family worker's visit: \"pl\"; talkleaf check lists the languages installed)" },
		{ "verbose-libraries", CLI_FLAG, &verbose_libraries, NULL,
		  "show ALSA's, JACK's and PocketSphinx's own messages (--verbose: talkleaf's)" },
		{ NULL },
	};
	const struct cli_command cmd = {
		"talkleaf", "[--station] [--input-device D] [--output-device D] [options]",
		"The talking leaflet: ask a question out loud or press a key, hear a short answer.\n"
		"Without a command, talkleaf listens on the default microphone and answers on the\n"
		"default speaker. Keys: * again, # more, 0 help (then its menu), 9 who can help,\n"
		"digits choose from what was just offered; on a keyboard - slower, + faster, / back,\n"
		". stop, backspace goodbye, Enter as #. Ctrl-C ends it (a station's keyboard cannot:\n"
		"stop it with a signal, as systemd does; SIGHUP reloads a station's scripts). Nothing\n"
		"said is kept on disk unless --log-words or --record-dir is given (what is heard is\n"
		"scored in a file in $TMPDIR that is deleted as soon as it is read); a state folder\n"
		"keeps counts (numbers only) and the last good scripts. More: man talkleaf.",
		options, app->commands_help,
	};
	char err[1024] = "", **pos;
	int npos, status = 1, r;
	int parsed = cli_parse_command(&cmd, argc, argv, &pos, &npos, -1);
	if (parsed != CLI_CONTINUE)
		return parsed;
	if (npos) {
		log_error("unknown command '%s' (see talkleaf --help)", pos[0]);
		return 2;
	}
	if (status_on && (station || quiet)) {
		log_error("--status cannot go with %s (%s)", station ? "--station" : "--quiet",
			  station ? "a public screen must not show the last visitor's topic"
				  : "choose one");
		return 2;
	}
	if (record_dir && access(record_dir, W_OK) != 0) {
		log_error("cannot write recordings to %s: %s (create the folder first)", record_dir,
			  strerror(errno));
		return 2;
	}
	if (language && language_check(app, language, station) < 0)
		return 2;
	/* Asked to stop is how the assistant ends: 0, even when the stop had to be forced. */
	stop_exit_status_set(0);
	/* A station's SIGHUP (systemctl reload) reloads its scripts; a terminal's hang-up still
	 * ends the live assistant run from it. */
	if (station)
		stop_reload_on_sighup();
	/* The log and the recordings never overwrite a script. */
	if ((log_path && cmd_output_check(app, "--log", log_path, NULL, 0, err, sizeof(err)) < 0) ||
	    (record_dir && cmd_output_dir_check(app, "--record-dir", record_dir, "utterance-*.wav",
						NULL, 0, err, sizeof(err)) < 0)) {
		log_error("%s", err);
		return 2;
	}

	struct audio_system *sys = NULL;
	struct audio_source *src = NULL;
	struct audio_sink *sink = NULL;
	struct session_assets assets = { 0 };
	struct keypad *kp = NULL;
	struct session *s = NULL;
	struct status *status_line = NULL;
	struct counts *counts = NULL;
	FILE *log = NULL;

	/* The libraries' own output only when asked: --verbose alone is talkleaf's debug lines. */
	struct app live_app = *app;
	live_app.assets.hearing.verbose = verbose_libraries;
	live_app.assets.language = language;
	app = &live_app;
	/* A station's screen is public; a pipe or a CI log gets the line only when asked. */
	if (!station && !quiet && (status_on || isatty(STDOUT_FILENO)))
		status_line = status_create(stdout, log_words);
	if (audio_system_create(verbose_libraries, &sys, err, sizeof(err)) < 0) {
		log_error("%s", err);
		goto out;
	}
	audio_system_set_stop(sys, &stop_signal);
	if (open_devices(sys, in_dev, out_dev, station, &src, &sink) < 0) {
		/* Stopped while waiting for its card (systemctl stop): a clean end, not a failure. */
		if (stop_requested())
			status = 0;
		goto out;
	}
	log_info("listening on %s, speaking on %s", audio_source_name(src), audio_sink_name(sink));

	/* Errors in the scripts or lexicon are said, then the last good or built-in set serves. */
	if (cmd_assets_serve(app, state_dir, false, &assets, err, sizeof(err)) < 0) {
		log_error("%s", err);
		goto out;
	}
	if (log_path && !(log = fopen(log_path, "a"))) {
		log_error("cannot write the log %s: %s (check the folder exists)", log_path,
			  strerror(errno));
		goto out;
	}

	if (cmd_counts_open(app, state_dir, &counts) != 0) {
		if (!station)
			goto out;
		log_warn("the station goes on without counts");
	}
	cmd_log_notice(log_path, log_words);

	if (!no_keypad) {
		struct keypad_config kc;
		keypad_config_defaults(&kc);
		/* A forced end (stop.h) puts the terminal back as keypad_close would. */
		stop_terminal_keep(kc.fd);
		/* A station's keyboard is a visitor's: no key of it may stop the program. */
		kc.signal_keys = !station;
		if (keypad_open(&kc, &kp, err, sizeof(err)) < 0) {
			log_warn("%s; keys are off", err);
			kp = NULL;
		}
	}

	cfg.realtime = true;
	cfg.dialogue.station = station;
	cfg.dialogue.listen_tone = tone;
	cfg.push_to_talk = push_to_talk;
	/* A station's handset has no echo path: its speaker cannot trigger the microphone. */
	cfg.dialogue.voice_barge_in = !no_barge_in && (barge_in || station);
	cfg.endpointer.no_speech_timeout_ms = (int)(no_speech_s * 1000.0);
	cfg.endpointer.trailing_silence_ms = end_silence_ms;
	cfg.keypad = kp;
	cfg.log = log;
	cfg.log_words = log_words;
	cfg.counts = counts;
	cfg.record_dir = record_dir;
	cfg.status = status_line;
	cfg.stop = &stop_signal;
	cfg.reload = station ? &reload_signal : NULL;
	session_assets_languages(&assets, language != NULL, &cfg);
	if (session_create(&cfg, assets.set, assets.rec, assets.synth, src, sink, &s, err,
			   sizeof(err)) < 0) {
		log_error("%s", err);
		goto out;
	}
	for (;;) {
		r = session_run(s, err, sizeof(err));
		if (r == 0)
			break;
		if (r == SESSION_RELOAD) {
			stop_reload_take();
			if (cmd_assets_reload(app, state_dir, false, &assets, s) < 0)
				goto out;
			continue;
		}
		if (r != -EIO) {
			log_error("%s", err);
			if (!station)
				goto out;
			/* A station keeps serving: wait a moment and carry on. */
			nap(1);
			continue;
		}
		if (stop_requested())
			break;
		/* The status line has said which device is lost; the journal is told otherwise. */
		if (!status_line)
			log_warn("%s", err);
		if (reopen_devices(src, sink, status_line != NULL) < 0)
			break;
	}
	status = 0;
out:
	/* The terminal first: whatever else happens, the person gets their shell back. */
	keypad_close(kp);
	stop_terminal_forget();
	session_destroy(s);
	status_destroy(status_line);
	cmd_counts_close(counts);
	if (log)
		fclose(log);
	if (stop_requested() && sys && audio_system_stalled(sys)) {
		/* Stopped while the sound server hangs: what is left to free waits for nothing, but
		 * takes time a stop does not have (systemd's TimeoutStopSec); leave now. */
		fflush(stdout);
		fflush(stderr);
		_exit(status);
	}
	audio_sink_destroy(sink);
	audio_source_destroy(src);
	audio_system_destroy(sys);
	session_assets_done(&assets);
	return status;
}
