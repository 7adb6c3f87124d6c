#include "synthesiser.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "espeak.h"
#include "log.h"
#include "text.h"

/* Silence between sentences goes to the receiver in chunks of this many samples. */
#define PAUSE_CHUNK_SAMPLES 512

struct synth {
	struct synth_config config; /* strings point at the copies below */
	char *voice;
	char *data_dir;
	const struct lexicon *lex;
	enum numbers_language numbers; /* how the language spoken reads numbers */
	int rate_hz;
	int rate_wpm;
	bool owner; /* this synth claimed the engine */
};

static void pcm_append(struct pcm *pcm, const int16_t *samples, size_t n)
{
	if (n == 0)
		return;
	pcm->samples = xreallocarray(pcm->samples, pcm->n + n, sizeof *pcm->samples);
	if (samples)
		memcpy(pcm->samples + pcm->n, samples, n * sizeof *samples);
	else
		memset(pcm->samples + pcm->n, 0, n * sizeof *samples);
	pcm->n += n;
}

void synth_config_defaults(struct synth_config *config)
{
	*config = (struct synth_config){
		/* A female voice with a wide pitch range: less flat and less harsh than the plain
		 * voice or f4 (docs/speaking.md). */
		.voice = SYNTH_VOICE_DEFAULT,
		.language = SYNTH_LANGUAGE_DEFAULT,
		.rate_wpm = SYNTH_RATE_DEFAULT,
		.pitch = 50,
		.volume = 100,
		/* Long enough to mark a new sentence for a slow listener, short enough not to sound
		 * like the end of the answer. */
		.sentence_pause_ms = 400,
		.data_dir = NULL,
	};
}

/* A language's numbers by its code; by the voice's name only when no language is given. */
static enum numbers_language numbers_of(const char *language, const char *voice)
{
	return language ? numbers_language_of_code(language) : numbers_language_of_voice(voice);
}

static int clamp_rate(int wpm)
{
	return wpm < SYNTH_RATE_MIN ? SYNTH_RATE_MIN : wpm > SYNTH_RATE_MAX ? SYNTH_RATE_MAX : wpm;
}

int synth_create(const struct synth_config *config, const struct lexicon *lex, struct synth **out,
		 char *err, size_t errlen)
{
	struct synth *s = NULL;
	int r;
	*out = NULL;
	if (espeak_engine_busy())
		return errf(err, errlen, -EBUSY,
			    "the speech synthesiser is already in use (eSpeak NG allows one per "
			    "program)");
	if (!config->voice || !*config->voice)
		return errf(err, errlen, -EINVAL, "no voice given (use a voice such as en+f3)");
	if (config->pitch < 0 || config->pitch > 100)
		return errf(err, errlen, -EINVAL, "pitch %d is out of range (use 0 to 100)",
			    config->pitch);
	if (config->volume < 0 || config->volume > 200)
		return errf(err, errlen, -EINVAL, "volume %d is out of range (use 0 to 200)",
			    config->volume);
	if (config->sentence_pause_ms < 0 || config->sentence_pause_ms > 5000)
		return errf(err, errlen, -EINVAL,
			    "sentence pause %d ms is out of range (use 0 to 5000)",
			    config->sentence_pause_ms);

	s = xcalloc(1, sizeof *s);
	s->config = *config;
	s->voice = xstrdup(config->voice);
	s->numbers = numbers_of(config->language, config->voice);
	s->data_dir = config->data_dir ? xstrdup(config->data_dir) : NULL;
	s->config.voice = s->voice;
	s->config.data_dir = s->data_dir;
	s->config.language = NULL; /* the caller's string: only its numbers are kept */
	s->lex = lex;
	s->rate_wpm = clamp_rate(config->rate_wpm);

	r = espeak_engine_claim(s->data_dir, err, errlen);
	if (r < 0)
		goto fail;
	s->owner = true;
	s->rate_hz = espeak_engine_rate_hz();
	if (s->rate_hz <= 0) {
		r = errf(err, errlen, -EIO, "eSpeak NG reports no sample rate (reinstall espeak-ng)");
		goto fail;
	}
	r = espeak_voice_set(s->voice, s->rate_wpm, s->config.pitch, s->config.volume, err,
			     errlen);
	if (r < 0)
		goto fail;
	*out = s;
	return 0;
fail:
	synth_destroy(s);
	return r;
}

void synth_destroy(struct synth *s)
{
	if (!s)
		return;
	if (s->owner)
		espeak_engine_release();
	free(s->voice);
	free(s->data_dir);
	free(s);
}

int synth_set_voice(struct synth *s, const char *voice, const char *language,
		    const struct lexicon *lex, char *err, size_t errlen)
{
	if (!voice || !*voice)
		return errf(err, errlen, -EINVAL, "no voice given (use a voice such as en+f3)");
	int r = espeak_voice_set(voice, s->rate_wpm, s->config.pitch, s->config.volume, err,
				 errlen);
	if (r < 0) {
		/* The old voice goes on speaking: a bad voice name must not silence the session. */
		char ignored[256];
		espeak_voice_set(s->voice, s->rate_wpm, s->config.pitch, s->config.volume, ignored,
				 sizeof(ignored));
		return r;
	}
	free(s->voice);
	s->voice = xstrdup(voice);
	s->numbers = numbers_of(language, voice);
	s->config.voice = s->voice;
	s->lex = lex;
	return 0;
}

const char *synth_voice(const struct synth *s)
{
	return s->voice;
}

int synth_sample_rate(const struct synth *s)
{
	return s->rate_hz;
}

char *synth_prepare_text(const struct synth *s, const char *text)
{
	bool phonemes;
	return text_prepare_for(s ? s->lex : NULL, text, s ? s->numbers : NUMBERS_ENGLISH,
				&phonemes);
}

/* Synthesise one text into fn. Returns 0, 1 (fn stopped it) or a negative errno. */
static int speak_into(struct synth *s, const char *text, synth_chunk_fn fn, void *fn_data,
		      char *err, size_t errlen)
{
	if (!text)
		return errf(err, errlen, -EINVAL, "nothing to say (no text given)");
	bool phonemes;
	char *prepared = text_prepare_for(s->lex, text, s->numbers, &phonemes);
	int r = 0;
	if (!text_is_blank(prepared))
		r = espeak_say(prepared, phonemes, fn, fn_data, err, errlen);
	free(prepared);
	return r;
}

static int collect_chunk(void *userdata, const int16_t *samples, size_t n)
{
	pcm_append(userdata, samples, n);
	return 0;
}

static int check_out(const struct synth *s, struct pcm *out, char *err, size_t errlen)
{
	if (out->n > 0 && out->rate_hz != s->rate_hz)
		return errf(err, errlen, -EINVAL,
			    "cannot append speech at %d Hz to audio at %d Hz (resample first)",
			    s->rate_hz, out->rate_hz);
	out->rate_hz = s->rate_hz;
	return 0;
}

int synth_speak(struct synth *s, const char *text, struct pcm *out, char *err, size_t errlen)
{
	int r = check_out(s, out, err, errlen);
	if (r < 0)
		return r;
	return speak_into(s, text, collect_chunk, out, err, errlen);
}

static size_t pause_samples(const struct synth *s)
{
	/* The pause grows when speech is slowed down, so slower speech is slower throughout. */
	double ms = (double)s->config.sentence_pause_ms * SYNTH_RATE_DEFAULT / s->rate_wpm;
	return (size_t)(ms * s->rate_hz / 1000.0);
}

int synth_speak_sentences_stream(struct synth *s, char *const *sentences, size_t n,
				 synth_chunk_fn fn, void *userdata, char *err, size_t errlen)
{
	static const int16_t zeros[PAUSE_CHUNK_SAMPLES];
	for (size_t i = 0; i < n; i++) {
		if (i > 0) {
			size_t left = pause_samples(s);
			while (left > 0) {
				size_t k = left < PAUSE_CHUNK_SAMPLES ? left : PAUSE_CHUNK_SAMPLES;
				if (fn(userdata, zeros, k))
					return 1;
				left -= k;
			}
		}
		int r = speak_into(s, sentences[i], fn, userdata, err, errlen);
		if (r != 0)
			return r;
	}
	return 0;
}

int synth_speak_sentences(struct synth *s, char *const *sentences, size_t n, struct pcm *out,
			  char *err, size_t errlen)
{
	int r = check_out(s, out, err, errlen);
	if (r < 0)
		return r;
	return synth_speak_sentences_stream(s, sentences, n, collect_chunk, out, err, errlen);
}

int synth_speak_stream(struct synth *s, const char *text, synth_chunk_fn fn, void *userdata,
		       char *err, size_t errlen)
{
	return speak_into(s, text, fn, userdata, err, errlen);
}

static int count_chunk(void *userdata, const int16_t *samples, size_t n)
{
	(void)samples;
	*(size_t *)userdata += n;
	return 0;
}

double synth_measure_seconds(struct synth *s, char *const *sentences, size_t n, char *err,
			     size_t errlen)
{
	size_t count = 0;
	int r = synth_speak_sentences_stream(s, sentences, n, count_chunk, &count, err, errlen);
	if (r < 0)
		return r;
	return (double)count / s->rate_hz;
}

/* --- rate --- */

int synth_set_rate(struct synth *s, int wpm)
{
	int clamped = clamp_rate(wpm);
	if (espeak_rate_set(clamped) < 0)
		return -EIO;
	s->rate_wpm = clamped;
	return clamped == wpm ? 0 : -ERANGE;
}

int synth_rate(const struct synth *s)
{
	return s->rate_wpm;
}

int synth_step_rate(struct synth *s, int direction)
{
	if (direction == 0)
		return 0;
	int target = s->rate_wpm + (direction < 0 ? -SYNTH_RATE_STEP : SYNTH_RATE_STEP);
	if ((direction < 0 && s->rate_wpm <= SYNTH_RATE_MIN) ||
	    (direction > 0 && s->rate_wpm >= SYNTH_RATE_MAX))
		return -ERANGE;
	/* A step that passes the bound lands on it: the next one reports -ERANGE. */
	int r = synth_set_rate(s, target);
	return r == -ERANGE ? 0 : r;
}

/* --- phonemes --- */

int synth_text_to_phonemes(struct synth *s, const char *text, char *out, size_t outlen)
{
	if (!text || !out || outlen == 0)
		return -EINVAL;
	char *ph = text_to_phonemes(s->lex, text, s->numbers, espeak_clause_phonemes, NULL);
	int r = 0;
	if (strlen(ph) >= outlen) {
		r = -ENOSPC;
		ph[outlen - 1] = '\0';
	}
	strcpy(out, ph);
	free(ph);
	return r;
}
