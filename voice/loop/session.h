/* The one loop: source -> endpointer -> recogniser -> dialogue -> synthesiser -> sink, with keys
 * from a keypad or a schedule. The live assistant and `talkleaf converse` run this same code;
 * only the source, the sink and the pacing differ.
 *
 * Time is the microphone's: the count of 16 kHz samples read from the source. The microphone
 * keeps running while the assistant speaks:
 * - realtime (live): the sink plays in real time and the source is read as it arrives;
 * - simulated (converse): for every block of reply written, the same duration is read from the
 *   source (silence once it has ended), so a recording runs "as in life", as fast as the CPU
 *   allows (nothing sleeps).
 * With turns (converse --turns), each turn is appended to a memory source the next time the
 * assistant listens.
 *
 * One owner: the command that created it. It borrows everything given to it (set, recogniser,
 * synthesiser, source, sink, keypad), which must outlive it. Not thread-safe. While it runs, a
 * worker thread of its own may be decoding with the recogniser (speculative decoding): nobody
 * else may use the recogniser until session_run returns (it joins the worker). */
#pragma once

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "audio.h"
#include "counts.h"
#include "diag.h"
#include "dialogue.h"
#include "endpointer.h"
#include "keypad.h"
#include "languages.h"
#include "lexicon.h"
#include "recogniser.h"
#include "script.h"
#include "status.h"
#include "synthesiser.h"

/* A key pressed at a moment of the conversation (converse --keys "SECONDS:KEY,..."). */
struct session_key {
	double at_s;
	char key[KEYPAD_KEY_MAX];
};

/* One thing the person says (converse --turns): samples at AUDIO_RATE_HZ, or, when samples is
 * NULL, silence_s seconds of silence. Said when the assistant listens and the turn before has
 * been heard, and not before not_before_s (a person who waits for a prompt to end). */
struct session_turn {
	const int16_t *samples;
	size_t n;
	double silence_s;
	double not_before_s;
	const char *name; /* for messages */
};

/* One language the session speaks. Everything is borrowed (session_assets owns it). */
struct session_language {
	const char *code;  /* "en", "pl": logs */
	const char *voice; /* eSpeak NG voice; NULL: the synthesiser's as it is */
	const struct script_set *set;
	const struct lexicon *lex; /* its pronunciations (synth_set_voice) */
	/* The session's recogniser hears this language. Otherwise keypad only: speech is dropped
	 * unheard (no reply, no "not heard", no barge-in). */
	bool hears;
};

struct session_config {
	struct dialogue_config dialogue;
	struct endpointer_config endpointer;
	/* Live: the sink plays in real time and the source is a device. Otherwise simulated. */
	bool realtime;
	/* Keys at given times (simulated); sorted by time here. Copied. */
	const struct session_key *keys;
	size_t n_keys;
	/* Turns delivered to the (memory) source when the assistant listens. Borrowed. */
	const struct session_turn *turns;
	size_t n_turns;
	/* Silence appended after each turn so the endpointer can hear its end (1.0 s). */
	double turn_gap_s;
	/* Silence between the items of one reply, e.g. an answer and "say more" (0.3 s). */
	double item_gap_s;
	/* Live keypad, or NULL. Borrowed. */
	struct keypad *keypad;
	/* One JSON object per turn, or NULL. Borrowed, not closed. */
	FILE *log;
	/* The log has the words heard too (--log-words); else ids, decisions and timings only. */
	bool log_words;
	/* Per-day counts of the turns (counts.h), saved when the station listens again, or NULL.
	 * Borrowed: its owner saves what is left after session_destroy. */
	struct counts *counts;
	/* Save each utterance as a WAV file here (live --record-dir), or NULL: nothing is written. */
	const char *record_dir;
	/* The status line (live on a terminal: listening, heard, speaking, a device lost and
	 * back), or NULL. Borrowed. */
	struct status *status;
	/* Set by a signal handler: the loop returns soon after (within one block). May be NULL. */
	volatile sig_atomic_t *stop;
	/* Set by a signal handler (SIGHUP): session_run returns SESSION_RELOAD at the next moment
	 * nobody is speaking. May be NULL. */
	volatile sig_atomic_t *reload;
	/* Simulated: stop after this much conversation time even if input remains (0: never). */
	double max_seconds;
	/* Simulated: the room's sound, a loop added under everything the microphone gives, turns
	 * and the silence between them alike (a kitchen is noisy before the question too); NULL:
	 * none. Borrowed. */
	const int16_t *room_noise;
	size_t room_noise_n;
	/* Speculative decoding (true; needs a recogniser): once the person has been quiet for
	 * endpointer.kept_silence_ms after speech, a worker thread decodes the utterance so far
	 * while the rest of the trailing window runs; at the endpoint its result is used if the
	 * utterance ended there (the person stayed quiet and nothing happened meanwhile), otherwise
	 * the utterance is decoded again. Simulated runs join the worker at once (time is not real)
	 * and report its wall time against the window it must fit in (session_stats). */
	bool speculate;
	/* Push to talk (--push-to-talk, for noisy rooms and handsets): the microphone opens for
	 * one utterance only after a key (and the greeting at the start), once what the key asked
	 * for has been said and a tone has played. Speech at any other time is dropped unheard
	 * (not decoded, not logged); the no-speech window still runs, so a station still resets.
	 * Implies the tone (only before an open microphone), no voice barge-in, and the prompts'
	 * push-to-talk variants (dialogue_config.push_to_talk). */
	bool push_to_talk;
	/* The installed languages, [0] the main one (borrowed; NULL and 0: only the set given to
	 * session_create, heard by its recogniser). */
	const struct session_language *languages;
	size_t n_languages;
	/* With two or more languages: begin with the language choice (each language's
	 * "language-choice" prompt in its own voice, a digit chooses), go back to it from the help
	 * menu's language control and at a station's idle reset. Otherwise languages[language]
	 * is spoken throughout (--language). */
	bool choose_language;
	size_t language;
};

/* Defaults: the dialogue's and the endpointer's, simulated, 1.0 s turn gap, 0.3 s item gap,
 * speculative decoding on. */
void session_config_defaults(struct session_config *config);

/* Figures of a run, for `converse` and the benchmark. */
struct session_stats {
	size_t turns;             /* turns logged */
	size_t utterances;        /* utterances decoded */
	double compute_ms_max;    /* slowest end-of-speech decision to first reply sample */
	double compute_ms_sum;    /* over the turns that had a reply */
	size_t compute_n;
	double endpoint_window_s; /* the trailing-silence window (part of every response gap) */
	double first_reply_wall_s; /* wall seconds from session_create to the greeting's first
				    * sample ready: the loop is live */
	double conversation_s;    /* conversation time at the end */
	double reply_s;           /* seconds of speech written to the sink */
	/* Speculative decodes: how many ran, how many results were used at the endpoint and how
	 * many thrown away (speech came back, a key, the dialogue moved on); their wall time, and
	 * how many took longer than the window they must fit in to cost nothing (the trailing
	 * window minus the kept silence, spec_window_ms). In a simulated run compute_ms does not
	 * include them: these are the figures that say whether live would keep up. */
	size_t spec_n, spec_used, spec_discarded, spec_over_window;
	double spec_ms_sum, spec_ms_max, spec_window_ms;
};

struct session;

/* Create a session over `set` (or, with config->languages, over those: set is then ignored) with
 * a recogniser (may be NULL: keys only, every utterance is "not heard"), a synthesiser, a source
 * and a sink. Returns 0, or -EINVAL with err (bad configuration, scripts missing a prompt).
 * *out is owned by the caller: session_destroy. */
int session_create(const struct session_config *config, const struct script_set *set,
		   struct recogniser *rec, struct synth *synth, struct audio_source *src,
		   struct audio_sink *sink, struct session **out, char *err, size_t errlen);
void session_destroy(struct session *s);

/* Run the conversation: greet, then loop until the dialogue exits, the input ends (simulated),
 * or *config.stop is set. Returns 0 then, SESSION_RELOAD when *config.reload was set. Returns -EIO with err when the source or sink fails
 * (a device lost): reopen it (audio_*_reopen) and call session_run again to go on where it
 * was (what was being said is dropped; the assistant listens). Other negative errnos for
 * failures of the synthesiser or recogniser. */
int session_run(struct session *s, char *err, size_t errlen);

/* session_run's return when *config.reload was set: swap the assets (session_set_assets) if
 * the new ones load, then call session_run again. */
#define SESSION_RELOAD 1

/* Serve from a new set, recogniser and synthesiser (between two session_run calls; the old
 * ones may be gone already, the new ones are borrowed as in session_create). A new set starts
 * a new dialogue, waiting quietly for the next person (as after the idle reset); the same set
 * keeps the conversation where it was. Returns 0, or -EINVAL with err when the set lacks a
 * prompt the dialogue needs (then nothing changed). */
int session_set_assets(struct session *s, const struct script_set *set, struct recogniser *rec,
		       struct synth *synth, char *err, size_t errlen);

/* session_set_assets for a session of several languages (as config->languages; borrowed): the
 * same sets keep the conversation where it was, new ones start over (at the language choice
 * when there is one, waiting quietly). Returns 0, or -EINVAL with err (nothing changed). */
int session_set_languages(struct session *s, const struct session_language *langs, size_t n,
			  struct recogniser *rec, struct synth *synth, char *err, size_t errlen);

/* True once the dialogue asked to exit ("goodbye" in live, not station). */
bool session_exited(const struct session *s);

void session_get_stats(const struct session *s, struct session_stats *out);

/* Parse "SECONDS:KEY,SECONDS:KEY" (keys as the scripts spell them, e.g. "2.5:6,9:*,12:#").
 * Returns the number of keys (>= 0) with *out an array owned by the caller (free), or -EINVAL
 * with "what is wrong (what to do)" in err. */
int session_keys_parse(const char *text, struct session_key **out, char *err, size_t errlen);

/* What a session speaks from and listens with, loaded once: the scripts, the lexicon, the
 * recogniser and the synthesiser. Owned by the caller: session_assets_done. */
struct session_assets {
	struct script_set *set; /* the main language's */
	struct lexicon *lex;
	struct recogniser *rec; /* NULL when no_recogniser, or no language to hear */
	struct synth *synth;
	/* Every installed language (voice/content/languages.h), [0] the main one (set, lex), and
	 * the one config->language names (0 without). */
	struct session_language *languages;
	size_t n_languages, language;
	struct languages *installed;
	struct script_set **sets; /* languages[i]'s, owned: [0] is set */
	struct lexicon **lexes;   /* languages[i]'s, owned: [0] is lex */
};

struct session_assets_config {
	const char *scripts_dir;      /* built-in scripts */
	const char *user_scripts_dir; /* --scripts DIR, or NULL */
	const char *lexicon_dir;
	/* The recogniser's models, folder and verbosity; its synth is the session's own, given by
	 * session_assets_load (leave it NULL). */
	struct recogniser_setup_config hearing;
	bool no_recogniser;           /* keys only (faster start, no model needed) */
	const char *state_dir;        /* the last good set is kept here (station), or NULL */
	/* The language spoken (--language CODE), or NULL: the choice. An unknown code fails the
	 * load with the installed codes; a keypad-only one needs no recogniser. */
	const char *language;
};

/* Load everything. Content problems (and warnings) go to `d` as "path:line: ..."; other errors
 * to err. Returns 0, or a negative errno with *out emptied. */
int session_assets_load(const struct session_assets_config *config, struct session_assets *out,
			struct diag *d, char *err, size_t errlen);

/* A station never stops for its content: load as session_assets_load, and when the scripts or
 * the lexicon have errors (in `d`), the last good copy in config->state_dir, else the built-in
 * scripts and lexicon, else the built-in scripts alone. Returns 0 with *served naming what was
 * loaded and, when it was not what config names, "what failed; serving X instead" in err; or
 * a negative errno (nothing loads) with *out emptied. */
int session_assets_load_any(const struct session_assets_config *config,
			    struct session_assets *out, const char **served, struct diag *d,
			    char *err, size_t errlen);

/* Keep the folders config names (built-in scripts, --scripts, lexicon) as the last good copy in
 * config->state_dir/last-good, replaced whole (a new copy, then an exchange of names): the main
 * language only (its folder's files, not its language sub-folders). No effect without a
 * state_dir. Returns 0 or a negative errno with err. */
int session_assets_keep(const struct session_assets_config *config, char *err, size_t errlen);

/* Reload the scripts and lexicon config names into `cur` and serve them in `s` (between two
 * session_run calls, see SESSION_RELOAD). When they have errors (in `d`) or anything fails,
 * the set in service stays (its synthesiser made again, as eSpeak NG is one engine a process)
 * and a negative errno is returned with err. Returns 0 when the new set serves. */
int session_assets_reload(const struct session_assets_config *config,
			  struct session_assets *cur, struct session *s, struct diag *d,
			  char *err, size_t errlen);
void session_assets_done(struct session_assets *assets);
/* The pronunciations of language l: the main one's (main) from lexicon_dir (NULL: none) with
 * its --scripts folder's words; another's from its own lexicon folders, or none. Returns as
 * lexicon_load, *out owned by the caller (lexicon_destroy). */
int session_language_lexicon(const struct language *l, bool main, const char *lexicon_dir,
			     struct lexicon **out, struct diag *d);
/* The index of the language `code` in langs; or -EINVAL with err listing the installed codes. */
int session_language_find(const struct languages *langs, const char *code, size_t *index,
			  char *err, size_t errlen);
/* Give a session's config the languages of `assets`: the choice between them, or with `fixed`
 * (--language) only the one config->language named. */
void session_assets_languages(const struct session_assets *assets, bool fixed,
			      struct session_config *config);
