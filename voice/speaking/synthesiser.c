#include "synthesiser.h"

#include <ctype.h>
#include <errno.h>
#include <espeak-ng/espeak_ng.h>
#include <espeak-ng/speak_lib.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lexicon.h"
#include "log.h"

/* A clip longer than this is refused: answers are short, and a wrong file (an hour of music)
 * must not fill the memory of a station. */

struct synth {
	struct synth_config config; /* strings point at the copies below */
	char *voice;
	char *data_dir;
	const struct lexicon *lex;
	int rate_hz;
	int rate_wpm;
	/* The receiver of the synthesis in progress (eSpeak NG's callback has no user pointer in
	 * synchronous mode that is reliable for every chunk, so it reads these through the owner). */
	synth_chunk_fn fn;
	void *fn_data;
	bool stopped;
};

/* eSpeak NG keeps its state in process-wide globals: the one synth that owns it. This is the
 * only mutable global of the module; it makes a second synth_create fail with -EBUSY instead of
 * silently sharing (and later terminating) the first one's engine. */
static struct synth *synth_owner;

static int synth_callback(short *wav, int n, espeak_EVENT *events);
static void espeak_message(espeak_ng_STATUS status, char *buf, size_t len);

/* eSpeak NG 1.51 cannot be started twice in one process: after espeak_ng_Terminate, a second
 * espeak_ng_Initialize works but the second Terminate hangs for ever (its event thread is not
 * restarted cleanly). So the engine starts once, with the first synth's data folder, and stops at
 * exit; a synth_destroy only gives up ownership. */
static bool engine_started;
static char *engine_data_dir; /* NULL: eSpeak NG's default */

static void engine_stop(void)
{
	espeak_ng_Terminate();
	free(engine_data_dir);
	engine_data_dir = NULL;
	engine_started = false;
}

static bool same_dir(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static int engine_start(const char *data_dir, char *err, size_t errlen)
{
	if (engine_started) {
		if (!same_dir(data_dir, engine_data_dir))
			return errf(err, errlen, -EBUSY,
				    "eSpeak NG already runs from %s and cannot switch to %s in the same "
				    "program (restart talkleaf)",
				    engine_data_dir ? engine_data_dir : "its default data folder",
				    data_dir ? data_dir : "its default data folder");
		return 0;
	}
	espeak_ng_InitializePath(data_dir);
	espeak_ng_ERROR_CONTEXT context = NULL;
	espeak_ng_STATUS st = espeak_ng_Initialize(&context);
	espeak_ng_ClearErrorContext(&context);
	if (st != ENS_OK) {
		char msg[256];
		espeak_message(st, msg, sizeof msg);
		return errf(err, errlen, st == ENOENT ? -ENOENT : -EIO,
			    "eSpeak NG could not start from %s: %s (install espeak-ng-data)",
			    data_dir ? data_dir : "its default data folder", msg);
	}
	st = espeak_ng_InitializeOutput(ENOUTPUT_MODE_SYNCHRONOUS, 0, NULL);
	if (st != ENS_OK) {
		char msg[256];
		espeak_message(st, msg, sizeof msg);
		espeak_ng_Terminate();
		return errf(err, errlen, -EIO, "eSpeak NG output: %s", msg);
	}
	espeak_SetSynthCallback(synth_callback);
	engine_started = true;
	engine_data_dir = data_dir ? xstrdup(data_dir) : NULL;
	atexit(engine_stop);
	return 0;
}

/* eSpeak NG's rate number does not give that many words a minute. Measured on every say:/more:
 * line of scripts/ (113 sentences, 1033 words, prompts included; each sentence synthesised on
 * its own, the pauses between sentences not counted) with en+f3 and en (identical timing),
 * eSpeak NG 1.51. tests/bench_synthesiser measures the topics' answers again at every step:
 * asked 100/120/140/160/180 gave 99.6/120.7/141.5/160.6/180.3 wpm. eSpeak NG does not slow
 * down below its number 80 (98 wpm), which is why SYNTH_RATE_MIN is 100. Sorted by wpm; linear
 * in between. */
static const struct {
	int wpm;
	int espeak;
} rate_table[] = {
	{ 98, 80 },   { 105, 90 },  { 116, 100 }, { 128, 110 }, { 139, 120 }, { 151, 130 },
	{ 163, 140 }, { 174, 150 }, { 186, 160 }, { 198, 170 }, { 209, 180 }, { 221, 190 },
};

static int rate_to_espeak(int wpm)
{
	size_t n = sizeof rate_table / sizeof rate_table[0];
	if (wpm <= rate_table[0].wpm)
		return rate_table[0].espeak;
	for (size_t i = 1; i < n; i++) {
		if (wpm <= rate_table[i].wpm) {
			int w0 = rate_table[i - 1].wpm, w1 = rate_table[i].wpm;
			int e0 = rate_table[i - 1].espeak, e1 = rate_table[i].espeak;
			return e0 + ((e1 - e0) * (wpm - w0) + (w1 - w0) / 2) / (w1 - w0);
		}
	}
	return rate_table[n - 1].espeak;
}

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
		/* The "en" voice file is British English (en-gb). Variant f3: a female voice with a
		 * wide pitch range (140-240) and light breath, which sounds less flat and less harsh
		 * than the plain voice or f4 (narrow range, echo); see the commit message. */
		.voice = SYNTH_VOICE_DEFAULT,
		.rate_wpm = SYNTH_RATE_DEFAULT,
		.pitch = 50,
		.volume = 100,
		/* Long enough to mark a new sentence for a slow listener, short enough not to sound
		 * like the end of the answer. */
		.sentence_pause_ms = 400,
		.data_dir = NULL,
	};
}

/* eSpeak NG's status as a message for a person. */
static void espeak_message(espeak_ng_STATUS status, char *buf, size_t len)
{
	espeak_ng_GetStatusCodeMessage(status, buf, len);
}

/* Synchronous mode: eSpeak NG calls this with each chunk, on the caller's thread. */
static int synth_callback(short *wav, int n, espeak_EVENT *events)
{
	(void)events;
	struct synth *s = synth_owner;
	if (!s || !s->fn)
		return 0;
	if (s->stopped)
		return 1;
	if (wav && n > 0 && s->fn(s->fn_data, (const int16_t *)wav, (size_t)n)) {
		s->stopped = true;
		return 1;
	}
	return 0;
}

static int check_data_dir(const char *dir, char *err, size_t errlen)
{
	struct stat st;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return errf(err, errlen, -ENOENT,
			    "eSpeak NG data folder %s not found (install espeak-ng-data, or give the "
			    "folder that holds phontab)",
			    dir);
	char *phontab = xasprintf("%s/phontab", dir);
	int ok = access(phontab, R_OK) == 0;
	free(phontab);
	if (!ok)
		return errf(err, errlen, -ENOENT,
			    "%s holds no eSpeak NG data (phontab is missing; give the folder that "
			    "holds phontab, such as /usr/lib/x86_64-linux-gnu/espeak-ng-data)",
			    dir);
	return 0;
}

static int apply_voice_settings(struct synth *s, char *err, size_t errlen)
{
	espeak_ng_STATUS st = espeak_ng_SetVoiceByName(s->voice);
	if (st != ENS_OK) {
		char msg[256];
		espeak_message(st, msg, sizeof msg);
		return errf(err, errlen, st == ENS_VOICE_NOT_FOUND ? -ENOENT : -EIO,
			    "eSpeak NG voice %s: %s (use a voice file name such as en or en+f3; "
			    "espeak-ng --voices lists them)",
			    s->voice, msg);
	}
	const struct {
		espeak_PARAMETER p;
		int value;
	} params[] = {
		{ espeakRATE, rate_to_espeak(s->rate_wpm) },
		{ espeakPITCH, s->config.pitch },
		{ espeakVOLUME, s->config.volume },
	};
	for (size_t i = 0; i < sizeof params / sizeof params[0]; i++) {
		st = espeak_ng_SetParameter(params[i].p, params[i].value, 0);
		if (st != ENS_OK) {
			char msg[256];
			espeak_message(st, msg, sizeof msg);
			return errf(err, errlen, -EIO, "eSpeak NG settings: %s", msg);
		}
	}
	return 0;
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
	if (synth_owner)
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
	if (config->data_dir) {
		r = check_data_dir(config->data_dir, err, errlen);
		if (r < 0)
			return r;
	}

	s = xcalloc(1, sizeof *s);
	s->config = *config;
	s->voice = xstrdup(config->voice);
	s->data_dir = config->data_dir ? xstrdup(config->data_dir) : NULL;
	s->config.voice = s->voice;
	s->config.data_dir = s->data_dir;
	s->lex = lex;
	s->rate_wpm = clamp_rate(config->rate_wpm);
	synth_owner = s;

	r = engine_start(s->data_dir, err, errlen);
	if (r < 0)
		goto fail;
	s->rate_hz = espeak_ng_GetSampleRate();
	if (s->rate_hz <= 0) {
		r = errf(err, errlen, -EIO, "eSpeak NG reports no sample rate (reinstall espeak-ng)");
		goto fail;
	}
	r = apply_voice_settings(s, err, errlen);
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
	if (synth_owner == s)
		synth_owner = NULL;
	free(s->voice);
	free(s->data_dir);
	free(s);
}

int synth_sample_rate(const struct synth *s)
{
	return s->rate_hz;
}

/* --- preparing script text for eSpeak NG --- */

struct strbuf {
	char *s;
	size_t len, cap;
};

static void sb_putn(struct strbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->s = xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

static void sb_puts(struct strbuf *b, const char *s)
{
	sb_putn(b, s, strlen(s));
}

/* Length of the valid UTF-8 sequence at s (at most n bytes) and its code point, or 0 when the
 * bytes are not UTF-8 (stray continuation bytes, overlong forms, surrogates, cut sequences). */
static size_t utf8_decode(const unsigned char *s, size_t n, unsigned long *cp)
{
	static const unsigned long min[] = { 0, 0, 0x80, 0x800, 0x10000 };
	size_t len = s[0] < 0x80 ? 1 : (s[0] & 0xe0) == 0xc0 ? 2 : (s[0] & 0xf0) == 0xe0 ? 3
		   : (s[0] & 0xf8) == 0xf0 ? 4 : 0;
	if (len == 0 || len > n)
		return 0;
	unsigned long c = len == 1 ? s[0] : s[0] & (0x3f >> (len - 1));
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min[len] || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

/* Plain text that eSpeak NG cannot read as anything but text: without espeakSSML, "<", ">" and
 * "&" are ordinary characters (spoken or skipped as punctuation); what remains special is "[["
 * (phoneme input, on because the lexicon inserts phonemes) and control characters (embedded
 * commands). Brackets are dropped (they are never spoken anyway); control characters, bytes that
 * are not UTF-8, and "_" become spaces: valgrind shows eSpeak NG 1.51 reading uninitialised
 * memory on broken UTF-8 and on a text ending in "a _" (the letter a, then an underscore). */
static void sb_put_text(struct strbuf *b, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	while (i < n) {
		unsigned long cp;
		size_t len = utf8_decode(u + i, n - i, &cp);
		if (len == 0) {
			sb_putn(b, " ", 1);
			i++;
			continue;
		}
		if (cp == '[' || cp == ']')
			; /* dropped */
		else if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) || cp == '_')
			sb_putn(b, " ", 1);
		else
			sb_putn(b, s + i, len);
		i += len;
	}
}

/* eSpeak NG phonemes from the lexicon, in [[ ]]: only characters of its phoneme notation. */
static void sb_put_phonemes(struct strbuf *b, const char *ph)
{
	sb_puts(b, "[[");
	for (const char *p = ph; *p; p++) {
		/* eSpeak NG's phoneme names are printable ASCII */
		unsigned char c = (unsigned char)*p;
		if (c == '[' || c == ']' || c < 0x20 || c >= 0x7f)
			continue;
		sb_putn(b, p, 1);
	}
	sb_puts(b, "]]");
}

static bool is_word_byte(unsigned char c)
{
	return isalnum(c) || c >= 0x80;
}

/* Length of the word at s (letters, digits, UTF-8; inner apostrophes and hyphens). */
static size_t word_length(const char *s)
{
	size_t i = 0;
	for (;;) {
		while (is_word_byte((unsigned char)s[i]))
			i++;
		if ((s[i] == '\'' || s[i] == '-') && is_word_byte((unsigned char)s[i + 1])) {
			i++;
			continue;
		}
		return i;
	}
}

static const struct lexicon_entry *find_word(const struct lexicon *lex, const char *w, size_t n)
{
	if (!lex || lex->n_entries == 0 || n == 0 || n > 64)
		return NULL;
	char lower[65];
	for (size_t i = 0; i < n; i++)
		lower[i] = (char)tolower((unsigned char)w[i]);
	lower[n] = '\0';
	const struct lexicon_entry *e = lexicon_find(lex, lower);
	return e && (e->speak || e->sounds_like) ? e : NULL;
}

/* One segment of prepared text: plain text, or eSpeak NG phonemes for one word. */
struct segment {
	char *text;
	bool phonemes;
};

struct segments {
	struct segment *items;
	size_t n;
};

static void segments_add(struct segments *sg, char *text, bool phonemes)
{
	if (!phonemes && sg->n > 0 && !sg->items[sg->n - 1].phonemes) {
		/* merge consecutive text */
		struct strbuf b = { sg->items[sg->n - 1].text, 0, 0 };
		b.len = strlen(b.s);
		b.cap = b.len + 1;
		sb_puts(&b, text);
		free(text);
		sg->items[sg->n - 1].text = b.s;
		return;
	}
	sg->items = xreallocarray(sg->items, sg->n + 1, sizeof *sg->items);
	sg->items[sg->n++] = (struct segment){ text, phonemes };
}

static void segments_done(struct segments *sg)
{
	for (size_t i = 0; i < sg->n; i++)
		free(sg->items[i].text);
	free(sg->items);
	sg->items = NULL;
	sg->n = 0;
}

static char *text_copy(const char *s, size_t n)
{
	struct strbuf b = { 0 };
	sb_putn(&b, "", 0);
	sb_put_text(&b, s, n);
	return b.s;
}

/* One word (maybe hyphenated) through the lexicon: the whole word first, then its parts. */
static void segment_word(const struct lexicon *lex, const char *w, size_t n, struct segments *sg)
{
	const struct lexicon_entry *e = find_word(lex, w, n);
	if (!e && memchr(w, '-', n)) {
		size_t start = 0;
		for (size_t i = 0; i <= n; i++) {
			if (i == n || w[i] == '-') {
				segment_word(lex, w + start, i - start, sg);
				if (i < n)
					segments_add(sg, xstrdup("-"), false);
				start = i + 1;
			}
		}
		return;
	}
	if (!e)
		segments_add(sg, text_copy(w, n), false);
	else if (e->speak)
		segments_add(sg, xstrdup(e->speak), true);
	else
		segments_add(sg, text_copy(e->sounds_like, strlen(e->sounds_like)), false);
}

static void segment_text(const struct lexicon *lex, const char *text, struct segments *sg)
{
	const char *p = text;
	while (*p) {
		if (is_word_byte((unsigned char)*p)) {
			size_t n = word_length(p);
			segment_word(lex, p, n, sg);
			p += n;
		} else {
			const char *q = p;
			while (*q && !is_word_byte((unsigned char)*q))
				q++;
			/* A hyphen between words is a dash: a pause, said as a comma. (eSpeak NG
			 * 1.51 also reads uninitialised memory on "a -" followed by punctuation.) */
			char *run = text_copy(p, (size_t)(q - p));
			for (char *c = run; *c; c++)
				if (*c == '-')
					*c = ',';
			segments_add(sg, run, false);
			p = q;
		}
	}
}

/* The string for espeak_ng_Synthesize; *phonemes tells whether [[ ]] input is needed. */
static char *prepare(const struct lexicon *lex, const char *text, bool *phonemes)
{
	struct segments sg = { 0 };
	struct strbuf b = { 0 };
	sb_putn(&b, "", 0);
	*phonemes = false;
	segment_text(lex, text, &sg);
	for (size_t i = 0; i < sg.n; i++) {
		if (sg.items[i].phonemes) {
			/* spaces keep eSpeak NG from joining the phonemes to a neighbouring word */
			sb_puts(&b, " ");
			sb_put_phonemes(&b, sg.items[i].text);
			sb_puts(&b, " ");
			*phonemes = true;
		} else {
			sb_puts(&b, sg.items[i].text);
		}
	}
	segments_done(&sg);
	return b.s;
}

char *synth_prepare_text(const struct synth *s, const char *text)
{
	bool phonemes;
	return prepare(s ? s->lex : NULL, text, &phonemes);
}

static bool blank(const char *s)
{
	for (; *s; s++)
		if (!isspace((unsigned char)*s))
			return false;
	return true;
}

/* Synthesise one text into fn. Returns 0, 1 (fn stopped it) or a negative errno. */
static int speak_into(struct synth *s, const char *text, synth_chunk_fn fn, void *fn_data,
		      char *err, size_t errlen)
{
	if (!text)
		return errf(err, errlen, -EINVAL, "nothing to say (no text given)");
	bool phonemes;
	char *prepared = prepare(s->lex, text, &phonemes);
	if (blank(prepared)) {
		free(prepared);
		return 0;
	}
	s->fn = fn;
	s->fn_data = fn_data;
	s->stopped = false;
	unsigned int flags = espeakCHARS_UTF8 | (phonemes ? espeakPHONEMES : 0);
	espeak_ng_STATUS st = espeak_ng_Synthesize(prepared, strlen(prepared) + 1, 0, POS_CHARACTER,
						   0, flags, NULL, NULL);
	bool stopped = s->stopped;
	s->fn = NULL;
	s->fn_data = NULL;
	s->stopped = false;
	free(prepared);
	if (stopped)
		return 1;
	if (st != ENS_OK) {
		char msg[256];
		espeak_message(st, msg, sizeof msg);
		return errf(err, errlen, -EIO, "eSpeak NG could not speak: %s", msg);
	}
	return 0;
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
	static const int16_t zeros[512];
	for (size_t i = 0; i < n; i++) {
		if (i > 0) {
			size_t left = pause_samples(s);
			while (left > 0) {
				size_t k = left < 512 ? left : 512;
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
	espeak_ng_STATUS st = espeak_ng_SetParameter(espeakRATE, rate_to_espeak(clamped), 0);
	if (st != ENS_OK)
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
	struct segments sg = { 0 };
	struct strbuf b = { 0 };
	sb_putn(&b, "", 0);
	segment_text(s->lex, text, &sg);
	for (size_t i = 0; i < sg.n; i++) {
		if (sg.items[i].phonemes) {
			if (b.len > 0)
				sb_puts(&b, " ");
			sb_puts(&b, sg.items[i].text);
			continue;
		}
		if (blank(sg.items[i].text))
			continue;
		/* espeak_TextToPhonemes ignores [[ ]] input, so phoneme segments are added above,
		 * and each run of text is converted clause by clause. */
		const void *p = sg.items[i].text;
		while (p) {
			const char *ph = espeak_TextToPhonemes(&p, espeakCHARS_UTF8, 0);
			if (!ph || !*ph)
				continue;
			while (*ph == ' ')
				ph++;
			if (b.len > 0)
				sb_puts(&b, " ");
			sb_puts(&b, ph);
		}
	}
	segments_done(&sg);
	int r = 0;
	if (b.len >= outlen) {
		r = -ENOSPC;
		b.s[outlen - 1] = '\0';
	}
	strcpy(out, b.s);
	free(b.s);
	return r;
}
