/* The synthesiser: script text -> 16-bit mono PCM in memory, with eSpeak NG. The text is prepared
 * in text.c (pure, fuzzed) and spoken by espeak.c (the only file that includes eSpeak NG). The
 * audio layer decides where the samples go.
 *
 * eSpeak NG is a process-wide singleton: exactly one struct synth may exist at a time (the owner
 * of eSpeak NG); a second synth_create while one exists fails with -EBUSY. A synth is not
 * thread-safe: use it from one thread.
 *
 * Script text is spoken as text, never as markup: SSML mode is never used (so "<speak>" is the
 * word "speak" and "&amp;" is "and amp"), and the characters that would start phoneme input or an
 * embedded command ("[", "]", control characters) are dropped. Words found in the lexicon are
 * replaced, whole-word and case-insensitive, by their `speak:` phonemes (as [[...]]) or their
 * `sounds-like:` respelling; other words are left to eSpeak NG. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "audio.h"

struct lexicon;
struct synth;

/* eSpeak NG's sample rate with the stock voices; synth_sample_rate() gives the engine's own. */
#define SYNTH_SAMPLE_RATE_HZ 22050

/* Speaking rates are in words per minute as measured on talkleaf's answers (eSpeak NG's own rate
 * number gives a different real speed; espeak.c converts, see its calibration table). */
#define SYNTH_VOICE_DEFAULT "en+f3" /* British English (the "en" voice file), a female variant */
#define SYNTH_LANGUAGE_DEFAULT "en" /* the default voice's language */
#define SYNTH_RATE_DEFAULT 140
#define SYNTH_RATE_MIN 100 /* slowest "slower" goes: eSpeak NG cannot go much slower (98) */
#define SYNTH_RATE_MAX 180 /* fastest "faster" goes: still clear for the audience */
#define SYNTH_RATE_STEP 20 /* one "slower"/"faster": clearly audible, bounds two steps away */

struct synth_config {
	const char *voice;     /* eSpeak NG voice file name ("en", "en+f3") */
	/* The code of the language spoken ("en", "pl": language.txt's language:), which says how
	 * numbers are written out (numbers.h); NULL: guessed from the voice's name, for a voice
	 * chosen with no language (talkleaf say --voice). */
	const char *language;
	int rate_wpm;          /* SYNTH_RATE_MIN..SYNTH_RATE_MAX; other values are clamped */
	int pitch;             /* eSpeak NG pitch 0-100, 50 normal */
	int volume;            /* eSpeak NG volume 0-200, 100 normal */
	int sentence_pause_ms; /* silence between sentences at the default rate (longer when slower) */
	const char *data_dir;  /* eSpeak NG data folder (holding "phontab"), NULL for the system's */
};

/* Fill `config` with the defaults (British English, language "en", ~140 wpm measured, short
 * pauses). */
void synth_config_defaults(struct synth_config *config);

/* Initialise eSpeak NG (synchronous, into memory) with `config`. `lex` may be NULL; if given it
 * must outlive the synth. Returns 0, -EBUSY (another synth exists), -ENOENT (data folder or voice
 * missing, named in err), -EINVAL (bad config), -EIO (other eSpeak NG errors, its message in
 * err). *out is owned by the caller: synth_destroy. */
int synth_create(const struct synth_config *config, const struct lexicon *lex, struct synth **out,
		 char *err, size_t errlen);
/* Give up eSpeak NG and free. Accepts NULL. (eSpeak NG 1.51 cannot be restarted in a process,
 * so the engine itself stays loaded until exit; the next synth_create reuses it, and fails with
 * -EBUSY if it asks for another data_dir.) */
void synth_destroy(struct synth *synth);

/* Speak from now on language `language` (its code, as synth_config's) with eSpeak NG voice
 * `voice` and pronunciations `lex` (may be NULL; must outlive the synth), keeping the rate,
 * pitch and volume: one engine serves every language of a session (eSpeak NG allows one a
 * process). Returns 0, or -ENOENT (voice missing, named in err) with the old voice kept. */
int synth_set_voice(struct synth *synth, const char *voice, const char *language,
		    const struct lexicon *lex, char *err, size_t errlen);
/* The voice in use ("en+f3", "pl"). */
const char *synth_voice(const struct synth *synth);

/* eSpeak NG's native sample rate (SYNTH_SAMPLE_RATE_HZ for the stock voices). */
int synth_sample_rate(const struct synth *synth);

/* Speak `text` (script text, UTF-8) and APPEND its samples to `out` (out->rate_hz is set; if it
 * already holds samples at another rate, -EINVAL). Returns 0 or a negative errno with err. */
int synth_speak(struct synth *synth, const char *text, struct pcm *out, char *err, size_t errlen);

/* Speak each sentence, with config.sentence_pause_ms of silence between them (not after the last
 * one), appending to `out`. */
int synth_speak_sentences(struct synth *synth, char *const *sentences, size_t n, struct pcm *out,
			  char *err, size_t errlen);

/* Streaming: `fn` gets each chunk of samples as eSpeak NG produces them (at
 * synth_sample_rate()); return non-zero from fn to stop at once (a key press). The samples are
 * valid only during the call; fn must not call back into the synth (eSpeak NG is mid-utterance).
 * Returns 0, 1 when fn stopped it, or a negative errno with err. */
typedef int (*synth_chunk_fn)(void *userdata, const int16_t *samples, size_t n);
int synth_speak_stream(struct synth *synth, const char *text, synth_chunk_fn fn, void *userdata,
		       char *err, size_t errlen);
/* The same for several sentences with the pause between them (the pause is passed to fn as
 * zero samples). */
int synth_speak_sentences_stream(struct synth *synth, char *const *sentences, size_t n,
				 synth_chunk_fn fn, void *userdata, char *err, size_t errlen);

/* Spoken duration in seconds of `sentences` at the current settings, pauses included (for
 * `talkleaf check`). Returns >= 0, or a negative errno with err. */
double synth_measure_seconds(struct synth *synth, char *const *sentences, size_t n, char *err,
			     size_t errlen);

/* Rate in measured words per minute. synth_set_rate clamps to [SYNTH_RATE_MIN, SYNTH_RATE_MAX]
 * and returns 0, or -ERANGE when it had to clamp. */
int synth_set_rate(struct synth *synth, int wpm);
int synth_rate(const struct synth *synth);
/* One SYNTH_RATE_STEP slower (direction < 0) or faster (> 0). Returns 0, or -ERANGE when already
 * at the bound (the rate is unchanged: the dialogue says "this is the slowest"). */
int synth_step_rate(struct synth *synth, int direction);

/* eSpeak NG phonemes (its ASCII notation, as `espeak-ng -x`) of `text`, after the lexicon and
 * escaping, as synth_speak would say it: words separated by spaces, clauses too; "_:" and "_"
 * mark pauses, "'" and "," stress (e.g. "attunement" -> "a#tj'u:nm@nt"). For the recogniser's
 * automatic pronunciations and for tests. Returns 0, or -ENOSPC when out is too small
 * (truncated), -EINVAL. */
int synth_text_to_phonemes(struct synth *synth, const char *text, char *out, size_t outlen);

/* The text actually given to eSpeak NG for `text` (lexicon applied, markup escaped). A new
 * string owned by the caller (free). For tests and --verbose. */
char *synth_prepare_text(const struct synth *synth, const char *text);
