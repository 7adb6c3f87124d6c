/* `talkleaf say`: speak a topic's answer, a prompt or some text, into a WAV file or out of the
 * speaker, exactly as the assistant would say it (lexicon, rate, pauses, recorded clips). */
#include "commands.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audio.h"
#include "cli.h"
#include "cmd_assets.h"
#include "cmd_outputs.h"
#include "diag.h"
#include "keymap.h"
#include "languages.h"
#include "lexicon.h"
#include "log.h"
#include "script.h"
#include "stop.h"
#include "stretch.h"
#include "synthesiser.h"
#include "textfile.h"

#define STR_(x) #x
#define STR(x) STR_(x)

struct say_options {
	const char *prompt;
	const char *text;
	const char *out;
	const char *voice;
	int rate;
	int pitch;
	int volume;
	int rate_hz;
	bool more;
	bool phonemes;
};

/* What to say: sentences (owned copies) or a recorded clip. */
struct utterance {
	char **sentences;
	size_t n;
	const char *clip;
};

static void utterance_done(struct utterance *u)
{
	for (size_t i = 0; i < u->n; i++)
		free(u->sentences[i]);
	free(u->sentences);
}

static void utterance_add(struct utterance *u, char *sentence)
{
	u->sentences = xreallocarray(u->sentences, u->n + 1, sizeof(*u->sentences));
	u->sentences[u->n++] = sentence;
}

/* The topic on `keys` as talkleaf topics prints them ("9", or "2-3": 3 of the menu on 2), or
 * NULL. */
static const struct script_entry *topic_by_keys(const struct script_set *set, const char *keys)
{
	const char *dash = strchr(keys, '-');
	char first[8];
	snprintf(first, sizeof(first), "%.*s", dash ? (int)(dash - keys) : (int)strlen(keys), keys);
	const struct script_entry *e = keymap_menu_find(set, NULL, first);
	if (e && dash)
		e = e->kind == SCRIPT_MENU ? keymap_menu_find(set, e, dash + 1) : NULL;
	return e && e->kind == SCRIPT_TOPIC ? e : NULL;
}

/* Find the topic (by id, or by its keys) or prompt to say. Returns 0 or -ENOENT (printed). */
static int pick(const struct script_set *set, const char *topic, const struct say_options *o,
		struct utterance *u)
{
	if (o->prompt) {
		const struct script_entry *p = script_set_find_prompt(set, o->prompt);
		if (!p) {
			log_error("say: there is no prompt '%s' (the prompts are in prompts.txt)",
				  o->prompt);
			return -ENOENT;
		}
		if (p->clip) {
			u->clip = p->clip;
			return 0;
		}
		/* {title} and {key} are empty: no topic is meant. */
		for (size_t i = 0; i < p->n_say; i++)
			utterance_add(u, keymap_fill(set, p->say[i], NULL, NULL));
		return 0;
	}
	const struct script_entry *t = script_set_find_topic(set, topic);
	if (!t)
		t = topic_by_keys(set, topic);
	if (!t) {
		log_error("say: there is no topic '%s' (talkleaf topics lists them)", topic);
		return -ENOENT;
	}
	char **lines = o->more ? t->more : t->say;
	size_t n = o->more ? t->n_more : t->n_say;
	const char *clip = o->more ? t->more_clip : t->clip;
	if (clip) {
		u->clip = clip;
		return 0;
	}
	if (n == 0) {
		log_error("say: topic '%s' has no more: lines", t->id);
		return -ENOENT;
	}
	for (size_t i = 0; i < n; i++)
		utterance_add(u, xstrdup(lines[i]));
	return 0;
}

/* One line per sentence: what eSpeak NG is given, then its phonemes (for lexicon writers). */
static int print_phonemes(struct synth *synth, const struct utterance *u)
{
	char ph[4096];
	for (size_t i = 0; i < u->n; i++) {
		char *prepared = synth_prepare_text(synth, u->sentences[i]);
		int r = synth_text_to_phonemes(synth, u->sentences[i], ph, sizeof(ph));
		printf("%s\n  %s%s\n", prepared, ph, r == -ENOSPC ? " ..." : "");
		free(prepared);
	}
	return 0;
}

/* Longest --text: as a say: line, bounded (docs/limits.md); about 25 minutes of speech. */
#define SAY_MAX_TEXT_CHARS 10000

/* Where the samples go as they are made: one sentence's audio at a time is held, never the
 * whole text's (a long text used to take hundreds of megabytes). */
struct say_output {
	struct audio_system *sys;
	struct audio_sink *sink;
	int rate_hz; /* of the samples written */
	uint64_t written;
	int r;
	char err[512];
};

/* Open the file or the default speaker. Returns 0 or -errno (printed). */
static int output_open(const struct app *app, const struct say_options *o, int rate_hz,
		       struct say_output *out)
{
	int r;
	out->rate_hz = rate_hz;
	if (o->out) {
		r = audio_sink_open_file(o->out, o->rate_hz ? o->rate_hz : rate_hz, &out->sink,
					 out->err, sizeof(out->err));
	} else {
		struct audio_device_config dc;
		audio_device_config_defaults(&dc);
		dc.rate_hz = o->rate_hz;
		r = audio_system_create(app->verbose, &out->sys, out->err, sizeof(out->err));
		if (r == 0)
			r = audio_sink_open_device(out->sys, &dc, &out->sink, out->err,
						   sizeof(out->err));
	}
	if (r < 0)
		log_error("say: %s", out->err);
	return r;
}

static int output_chunk(void *data, const int16_t *samples, size_t n)
{
	struct say_output *out = data;
	out->r = audio_sink_write(out->sink, samples, n, out->rate_hz, NULL, out->err,
				  sizeof(out->err));
	out->written += n;
	return out->r < 0;
}

/* Let it be heard (or the file be complete), report, close. Returns 0 or -errno (printed). */
static int output_close(const struct say_options *o, struct say_output *out, int r)
{
	if (!out->sink) {
		audio_system_destroy(out->sys);
		return r;
	}
	if (r == 0 && out->written == 0) {
		log_error("say: there is nothing to say (the text is empty)");
		r = -EINVAL;
	} else if (r == 0) {
		r = audio_sink_finish(out->sink, out->err, sizeof(out->err));
		if (r < 0)
			log_error("say: %s", out->err);
	}
	int out_rate = audio_sink_rate(out->sink);
	if (r < 0)
		audio_sink_discard(out->sink); /* the old file stays, not half a new one */
	audio_sink_destroy(out->sink);
	audio_system_destroy(out->sys);
	if (o->out && r == 0)
		printf("%s: %.2f s, %d Hz\n", o->out, (double)out->written / out->rate_hz, out_rate);
	return r;
}

int cmd_say(const struct app *app, int argc, char **argv)
{
	struct say_options o = {
		.rate = SYNTH_RATE_DEFAULT,
	};
	const char *language = NULL;
	struct synth_config sc;
	synth_config_defaults(&sc);
	o.pitch = sc.pitch;
	o.volume = sc.volume;
	const struct cli_option options[] = {
		{ "prompt", CLI_STRING, &o.prompt, "NAME", "say a prompt from prompts.txt" },
		{ "text", CLI_STRING, &o.text, "TEXT", "say this text (lexicon applied)" },
		{ "more", CLI_FLAG, &o.more, NULL, "say the topic's more: part instead of its answer" },
		{ "out", CLI_STRING, &o.out, "FILE.wav",
		  "write a 16-bit mono WAV instead of playing on the default speaker" },
		{ "rate", CLI_INT, &o.rate, "WPM",
		  "speaking rate in words a minute (" STR(SYNTH_RATE_MIN) "-" STR(SYNTH_RATE_MAX)
		  ", default " STR(SYNTH_RATE_DEFAULT) "; a recorded clip is stretched to match)",
		  SYNTH_RATE_MIN, SYNTH_RATE_MAX },
		{ "voice", CLI_STRING, &o.voice, "VOICE",
		  "eSpeak NG voice (en, en+f3, en+m3, ...; default: the language's, " SYNTH_VOICE_DEFAULT
		  ")" },
		{ "language", CLI_STRING, &language, "CODE",
		  "say it as that installed language does (\"pl\"): its topics and prompts, its voice "
		  "and its pronunciations" },
		{ "pitch", CLI_INT, &o.pitch, "N", "eSpeak NG pitch (0-100, default 50)", 0, 100 },
		{ "volume", CLI_INT, &o.volume, "N", "eSpeak NG volume (0-200, default 100)", 0, 200 },
		{ "phonemes", CLI_FLAG, &o.phonemes, NULL,
		  "print each sentence's eSpeak NG phonemes (lexicon applied) instead of playing" },
		{ "rate-hz", CLI_INT, &o.rate_hz, "HZ",
		  "sample rate of the output (default: the synthesiser's, " STR(SYNTH_SAMPLE_RATE_HZ) ")",
		  8000, 192000 },
		{ NULL },
	};
	const struct cli_command cmd = {
		"say", "TOPIC|--prompt NAME|--text TEXT [options]",
		"Speak a topic's answer (TOPIC is its id or its keys as talkleaf topics lists them,\n"
		"such as 3-4), a prompt, or some text, as the assistant would: into a WAV file with\n"
		"--out, else on the default speaker.",
		options,
	};
	char err[512], **pos;
	int npos;
	int r = cli_parse(&cmd, argc, argv, &pos, &npos, err, sizeof(err));
	if (r != 0) {
		if (r < 0)
			log_error("%s", err);
		return r < 0 ? 2 : 0;
	}
	int given = (npos > 0) + (o.prompt != NULL) + (o.text != NULL);
	if (given != 1 || npos > 1) {
		log_error("say: give one topic, --prompt NAME or --text TEXT (talkleaf say --help)");
		return 2;
	}
	if (o.more && npos == 0) {
		log_error("say: --more goes with a topic");
		return 2;
	}
	if (o.text && strlen(o.text) > SAY_MAX_TEXT_CHARS) {
		log_error("say: --text has %zu characters, more than %d (say it in parts)",
			  strlen(o.text), SAY_MAX_TEXT_CHARS);
		return 2;
	}

	int status = 1;
	struct diag d;
	diag_init(&d);
	struct script_set *set = NULL;
	struct lexicon *lex = NULL;
	struct synth *synth = NULL;
	struct utterance u = { 0 };
	struct pcm pcm = { 0 };
	struct say_output out = { 0 };
	struct languages *langs = NULL;
	size_t li = 0;

	/* The language's own folders, voice and pronunciations; the main one's without. */
	if (cmd_language_find(app, "say", language, &langs, &li, &d) < 0)
		goto done;
	if (!o.text && languages_load_set(&langs->items[li], &set, &d) < 0) {
		diag_print(&d, stderr);
		goto done;
	}
	/* A broken lexicon is not fatal for speaking: say it without the pronunciations. */
	if (session_language_lexicon(&langs->items[li], li == 0, app->assets.lexicon_dir, &lex,
				     &d) < 0)
		log_warn("say: the lexicon has errors; speaking without its pronunciations");
	bool voice_only = o.voice && !language;
	if (!o.voice)
		o.voice = langs->items[li].voice;
	diag_print(&d, stderr);
	if (o.text) {
		char *text = xstrdup(o.text);
		textfile_normalise(text); /* pasted from Word, as the scripts' text is */
		utterance_add(&u, text);
	} else if (pick(set, npos ? pos[0] : NULL, &o, &u) < 0)
		goto done;

	if (o.out && cmd_output_check(app, "--out", o.out, &u.clip, 1, err, sizeof(err)) < 0) {
		log_error("say: %s", err);
		goto done;
	}
	if (u.clip) {
		if (audio_clip_load(u.clip, &pcm, err, sizeof(err)) < 0) {
			log_error("say: %s", err);
			goto done;
		}
		/* As the assistant plays it at this rate (voice/loop/playback.c). */
		if (o.rate != SYNTH_RATE_DEFAULT &&
		    audio_stretch(&pcm, (double)SYNTH_RATE_DEFAULT / o.rate, err, sizeof(err)) < 0)
			log_warn("say: %s: played at its own speed: %s", u.clip, err);
		if ((r = output_open(app, &o, pcm.rate_hz, &out)) < 0)
			goto close;
		r = output_chunk(&out, pcm.samples, pcm.n) ? out.r : 0;
	} else {
		sc.voice = o.voice;
		/* A voice chosen with no language: its name is the only guide to its numbers. */
		sc.language = voice_only ? NULL : langs->items[li].code;
		sc.rate_wpm = o.rate;
		sc.pitch = o.pitch;
		sc.volume = o.volume;
		if (synth_create(&sc, lex, &synth, err, sizeof(err)) < 0) {
			log_error("say: %s", err);
			goto done;
		}
		if (o.phonemes && print_phonemes(synth, &u) < 0)
			goto done;
		if (o.phonemes && !o.out) {
			status = 0;
			goto done;
		}
		if ((r = output_open(app, &o, synth_sample_rate(synth), &out)) < 0)
			goto close;
		r = synth_speak_sentences_stream(synth, u.sentences, u.n, output_chunk, &out, err,
						 sizeof(err));
		if (r == 1) /* the sink failed */
			r = out.r;
		else if (r < 0)
			log_error("say: %s", err);
	}
	if (out.r < 0)
		log_error("say: %s", out.err);
	if (stop_requested())
		r = -EINTR; /* nothing half-said is kept or played */
close:
	if (output_close(&o, &out, r < 0 ? r : 0) == 0 && r >= 0)
		status = 0;
done:
	if (stop_requested())
		status = stop_status();
	pcm_done(&pcm);
	utterance_done(&u);
	synth_destroy(synth);
	lexicon_destroy(lex);
	script_set_destroy(set);
	languages_destroy(langs);
	diag_done(&d);
	return status;
}
