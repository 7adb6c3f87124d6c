/* The recognition benchmark's sentences and their audio: the questions read from the scripts and
 * tests/data, spoken by eSpeak NG and flite's voices; the recordings of real people; babble; the
 * channels of --speakers; and the coffee orders' and the school's contents. */
#include "bench_recognition.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "audio.h"
#include "diag.h"
#include "log.h"
#include "noise.h"
#include "real_voices.h"
#include "synthesiser.h"

const char *const voices[] = { "en", "en-us", "en+f3", "en+m3", "en-gb-scotland", "en+f4",
				"en-us+m2" };
const size_t n_voices = sizeof(voices) / sizeof(voices[0]);

uint32_t bench_rng = 12345;
double urand(void)
{
	return noise_urand(&bench_rng);
}

/* ---- sentences ---------------------------------------------------------------------------- */

int collect(void *data, const char *phrase)
{
	struct phrases *p = data;
	p->s = xreallocarray(p->s, p->n + 1, sizeof(*p->s));
	p->s[p->n++] = xstrdup(phrase);
	return 0;
}

void phrases_done(struct phrases *p)
{
	for (size_t i = 0; i < p->n; i++)
		free(p->s[i]);
	free(p->s);
}

struct item *items;
size_t n_items;

void item_add(enum set_kind set, const char *label, const char *text)
{
	items = xreallocarray(items, n_items + 1, sizeof(*items));
	items[n_items++] = (struct item){ set, FAMILY_ESPEAK, CONTENT_LEAFLET,
					  label ? xstrdup(label) : NULL, xstrdup(text), NULL, 0 };
}

int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Lines "label: sentence" (label NULL: lines are sentences), as items heard against `content`.
 * Comments and blanks skipped. */
int read_list(const char *path, enum set_kind set, bool labelled, struct phrases *templ,
		     enum content content)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return -1;
	}
	char line[512];
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		char *text = line, *label = NULL;
		if (labelled) {
			char *colon = strstr(line, ": ");
			if (!colon)
				continue;
			*colon = '\0';
			label = line;
			text = colon + 2;
		}
		char *key = text;
		if (templ && templ->n &&
		    bsearch(&key, templ->s, templ->n, sizeof(*templ->s), str_cmp)) {
			fprintf(stderr, "note: '%s' is now a template phrasing, not a paraphrase: skipped\n",
				text);
			continue;
		}
		char lab[600];
		if (labelled && set == SET_IN && content == CONTENT_LEAFLET) /* controls.txt */
			snprintf(lab, sizeof(lab), "control:%s", label);
		else
			snprintf(lab, sizeof(lab), "%s", label ? label : "");
		item_add(set, labelled ? lab : NULL, text);
		items[n_items - 1].content = content;
	}
	fclose(f);
	return 0;
}

/* ---- audio -------------------------------------------------------------------------------- */

static int to_16k(const struct pcm *in, int16_t **out, size_t *n)
{
	char err[256];
	struct audio_source *src;
	if (audio_source_open_memory(in->samples, in->n, in->rate_hz, "bench", &src, err,
				     sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	size_t cap = (size_t)((double)in->n * 16000.0 / in->rate_hz) + 32000;
	*out = xmalloc(cap * sizeof(**out));
	*n = 0;
	size_t got;
	while (audio_source_read(src, *out + *n, cap - *n, &got, err, sizeof(err)) == 0 && got)
		*n += got;
	audio_source_destroy(src);
	return 0;
}

int speak(const struct lexicon *lex, const char *voice, int rate, int pitch,
		 const char *text, int16_t **out, size_t *n)
{
	struct synth_config sc;
	synth_config_defaults(&sc);
	sc.voice = voice;
	sc.rate_wpm = rate;
	sc.pitch = pitch;
	struct synth *s;
	char err[256];
	struct pcm pcm = { 0 };
	/* The lexicon is not applied: people say words their own way, not as the lexicon spells. */
	(void)lex;
	if (synth_create(&sc, NULL, &s, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	int r = synth_speak(s, text, &pcm, err, sizeof(err));
	synth_destroy(s);
	if (r < 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	/* Half a second of silence either side, as an endpointer delivers an utterance. */
	struct pcm padded = { .rate_hz = pcm.rate_hz };
	size_t pad = (size_t)pcm.rate_hz / 2;
	padded.n = pcm.n + 2 * pad;
	padded.samples = xcalloc(padded.n, sizeof(int16_t));
	memcpy(padded.samples + pad, pcm.samples, pcm.n * sizeof(int16_t));
	r = to_16k(&padded, out, n);
	pcm_done(&pcm);
	pcm_done(&padded);
	return r;
}

#ifdef HAVE_FLITE
#include <flite/flite.h>
cst_voice *register_cmu_us_slt(const char *voxdir);
cst_voice *register_cmu_us_rms(const char *voxdir);
cst_voice *register_cmu_us_awb(const char *voxdir);

/* Speak `text` with flite voice `voice` (0..2) at `stretch` times its own duration, padded and
 * resampled as speak() does. */
int speak_flite(int voice, double stretch, const char *text, int16_t **out, size_t *n)
{
	static cst_voice *v[3];
	if (!v[0]) {
		flite_init();
		v[0] = register_cmu_us_slt(NULL);
		v[1] = register_cmu_us_rms(NULL);
		v[2] = register_cmu_us_awb(NULL);
		if (!v[0] || !v[1] || !v[2]) {
			fprintf(stderr, "flite: a voice could not be loaded\n");
			return -1;
		}
	}
	feat_set_float(v[voice]->features, "duration_stretch", (float)stretch);
	cst_wave *w = flite_text_to_wave(text, v[voice]);
	if (!w) {
		fprintf(stderr, "flite: could not say '%s'\n", text);
		return -1;
	}
	struct pcm padded = { .rate_hz = w->sample_rate };
	size_t pad = (size_t)w->sample_rate / 2;
	padded.n = (size_t)w->num_samples + 2 * pad;
	padded.samples = xcalloc(padded.n, sizeof(int16_t));
	memcpy(padded.samples + pad, w->samples, (size_t)w->num_samples * sizeof(int16_t));
	delete_wave(w);
	int r = to_16k(&padded, out, n);
	pcm_done(&padded);
	return r;
}
#endif

float *pink, *babble, *kitchen;
size_t n_noise;

/* Four talkers at once, each a voice reading sentences back to back. */
int make_babble(const struct lexicon *lex, size_t n, const char *const *texts,
		       size_t n_texts)
{
	babble = xcalloc(n, sizeof(*babble));
	for (int talker = 0; talker < 4; talker++) {
		size_t pos = (size_t)talker * 4000, t = (size_t)talker * 7;
		while (pos < n) {
			int16_t *x;
			size_t m;
			if (speak(lex, voices[(talker * 2 + t) % n_voices], 150, 40 + talker * 8,
				  texts[t % n_texts], &x, &m) < 0)
				return -1;
			for (size_t i = 0; i < m && pos < n; i++)
				babble[pos++] += x[i];
			free(x);
			t += 3;
		}
	}
	return 0;
}

/* Where in the noise an utterance's mix starts: random for the synthesised voices; for the real
 * recordings fixed by their place, so that adding them left the other voices' noise (and so
 * their figures) as it was: at 5 dB, drawing other stretches of the same noise moved flite's
 * in-domain figure from 33% to 16%. */
size_t noise_offset(const struct item *it, size_t index)
{
	if (it->family == FAMILY_REAL || it->family == FAMILY_COFFEE)
		return index * 104729u % n_noise;
	return (size_t)(urand() * (double)n_noise);
}

/* `in` through the channel, into `out` (n samples; the slow channel is spoken, not made here). */
void through_channel(enum channel ch, const int16_t *in, size_t n, int16_t *out)
{
	switch (ch) {
	case CHANNEL_QUIET:
		for (size_t i = 0; i < n; i++)
			out[i] = (int16_t)lrint(in[i] * 0.0178);
		return;
	case CHANNEL_TELEPHONE: {
		int16_t *mid = NULL, *back = NULL;
		size_t n_mid = 0, n_back = 0;
		audio_resample_all(in, n, 16000, 8000, &mid, &n_mid);
		audio_resample_all(mid, n_mid, 8000, 16000, &back, &n_back);
		for (size_t i = 0; i < n; i++)
			out[i] = i < n_back ? back[i] : 0;
		free(mid);
		free(back);
		return;
	}
	case CHANNEL_ECHO: {
		/* A sparse impulse response: the direct sound, then 300 echoes at random delays up to
		 * 0.5 s, each 60 dB quieter by 0.5 s, their energy equal to the direct sound's. */
		enum { N_ECHO = 300 };
		size_t delay[N_ECHO];
		double gain[N_ECHO], energy = 0;
		for (int k = 0; k < N_ECHO; k++) {
			delay[k] = 16 + (size_t)(urand() * 8000);
			gain[k] = (urand() - 0.5) * exp(-6.9 * (double)delay[k] / 8000.0);
			energy += gain[k] * gain[k];
		}
		double norm = 1.0 / sqrt(energy);
		for (size_t i = 0; i < n; i++) {
			double v = in[i];
			for (int k = 0; k < N_ECHO; k++)
				if (i >= delay[k])
					v += norm * gain[k] * in[i - delay[k]];
			out[i] = pcm_clip16(v * 0.5); /* room for the echoes */
		}
		return;
	}
	case CHANNEL_AS_MADE:
	case CHANNEL_SLOW:
	default:
		memcpy(out, in, n * sizeof(*out));
		return;
	}
}

/* The recordings listed in `list` (tests/support/real_voices.h) as items of family `fam`:
 * FAMILY_REAL, out-of-domain speech with its words as the text; FAMILY_COFFEE, orders with the
 * drink's topic as the label and the file as the text. Returns how many, or -1. */
int recordings_add(const char *list, const char *dir, enum family fam)
{
	char err[1024];
	struct real_voice *v;
	int n = real_voices_load(list, dir, &v, err, sizeof(err));
	if (n < 0) {
		fprintf(stderr, "%s\n", err);
		return -1;
	}
	bool order = fam == FAMILY_COFFEE;
	for (int i = 0; i < n; i++) {
		item_add(order ? SET_IN : SET_OOD, order ? v[i].text : NULL,
			 order ? v[i].file : v[i].text);
		struct item *it = &items[n_items - 1];
		it->family = fam;
		it->content = order ? CONTENT_COFFEE : CONTENT_LEAFLET;
		it->pcm = v[i].pcm;
		it->n = v[i].n;
		v[i].pcm = NULL;
	}
	real_voices_free(v, (size_t)n);
	return n;
}

/* The built-in scripts with the topics of SRC/tests/data/FOLDER, as `ask --scripts` loads them. */
static int content_load(const char *src, const char *folder, struct script_set **out)
{
	char builtin[1024], topics[1024];
	snprintf(builtin, sizeof(builtin), "%s/scripts", src);
	snprintf(topics, sizeof(topics), "%s/tests/data/%s", src, folder);
	struct diag d;
	diag_init(&d);
	int r = script_set_load(builtin, topics, out, &d);
	for (size_t i = 0; r < 0 && i < d.n_lines; i++)
		fprintf(stderr, "%s\n", d.lines[i]);
	diag_done(&d);
	return r < 0 ? -1 : 0;
}

/* ---- real people's coffee orders (issue 19) ----------------------------------------------- */

/* The orders of tests/data/real-speech/coffee/PART.txt as items (label: the drink's topic) and
 * their content, the built-in scripts with tests/data/scripts-drinks' topics, as `ask
 * --scripts` loads it. */
int coffee_load(const char *src, const char *part, struct script_set **drinks,
		       size_t *n_orders)
{
	char list[2048], dir[1024];
	snprintf(dir, sizeof(dir), "%s/tests/data/real-speech/coffee", src);
	snprintf(list, sizeof(list), "%s/%s.txt", dir, part);
	if (content_load(src, "scripts-drinks", drinks) < 0)
		return -1;
	int n = recordings_add(list, dir, FAMILY_COFFEE);
	if (n < 0)
		return -1;
	*n_orders = (size_t)n;
	return 0;
}

/* ---- a school's own topics (issue 19) ------------------------------------------------------ */

/* The school's questions (tests/data/school-questions.txt, school-out-of-domain.txt) as items,
 * spoken by eSpeak NG and flite's voices, and their content, the built-in scripts with
 * tests/data/scripts-school's topics. Their voices, speeds and pitches come from a generator of
 * their own, so the leaflet's tables do not move. */
int school_add(const char *src, const struct lexicon *lex, struct script_set **school)
{
	char path[1024];
	if (content_load(src, "scripts-school", school) < 0)
		return -1;
	size_t first = n_items;
	snprintf(path, sizeof(path), "%s/tests/data/school-questions.txt", src);
	if (read_list(path, SET_IN, true, NULL, CONTENT_SCHOOL) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/tests/data/school-out-of-domain.txt", src);
	if (read_list(path, SET_OOD, false, NULL, CONTENT_SCHOOL) < 0)
		return -1;
#ifdef HAVE_FLITE
	for (size_t i = first, end = n_items; i < end; i++) {
		item_add(items[i].set, items[i].label, items[i].text);
		items[n_items - 1].family = FAMILY_FLITE;
		items[n_items - 1].content = CONTENT_SCHOOL;
	}
#endif
	uint32_t state = 20;
	for (size_t i = first; i < n_items; i++) {
		struct item *it = &items[i];
		double u1 = noise_urand(&state), u2 = noise_urand(&state);
		if (it->family == FAMILY_ESPEAK) {
			if (speak(lex, voices[i % n_voices], 120 + (int)(u1 * 50), 30 + (int)(u2 * 40),
				  it->text, &it->pcm, &it->n) < 0)
				return -1;
		}
#ifdef HAVE_FLITE
		else if (speak_flite((int)(i % 3), 0.9 + u1 * 0.35, it->text, &it->pcm, &it->n) < 0)
			return -1;
#endif
	}
	return 0;
}
