/* adaptation-prepare: the labelled features the adaptation is estimated from. Each recording of
 * the list (the tuning half of the real coffee orders) is mixed with noise of its own, not the
 * benchmark's, heard the way the recogniser hears it (recogniser.c: conditioned by
 * signal_condition, denoised by audio_denoise when steady noise was found, and also as it was
 * where the recogniser would hear it that way too), and force-aligned to its transcript
 * (align.h). Writes OUTDIR/<noise>_<hearing>.bin for each noise (steady12, steady6, kitchen12,
 * kitchen6) and hearing (plain, denoised, asis); progress on stderr. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "align.h"
#include "audio.h"
#include "config.h"
#include "log.h"
#include "noise.h"
#include "real_voices.h"
#include "recogniser.h"
#include "recogniser_internal.h"

/* Noise of its own, so that the benchmark's stays unseen: other seeds than its pink (12345) and
 * kitchen (NOISE_KITCHEN_SEED), other stretches (the benchmark's: index * 104729). */
#define PINK_SEED 777
#define KITCHEN_SEED 2026
#define NOISE_SECONDS 60
#define STRETCH_STEP 7919u
#define STRETCH_START 31337u

static const struct {
	const char *name;
	bool kitchen;
	double snr_db;
} noises[] = {
	{ "steady12", false, 12 },
	{ "steady6", false, 6 },
	{ "kitchen12", true, 12 },
	{ "kitchen6", true, 6 },
};
#define N_NOISES (sizeof(noises) / sizeof(*noises))

enum hearing { HEARING_PLAIN, HEARING_DENOISED, HEARING_AS_IS, N_HEARINGS };
static const char *const hearing_names[N_HEARINGS] = { "plain", "denoised", "asis" };

static const char usage[] =
	"usage: adaptation-prepare [options] TRANSCRIPTS OUTDIR\n"
	"Mix the recordings with noise, hear them as the recogniser does, align each to its words\n"
	"in TRANSCRIPTS (file<TAB>words lines) and write the labelled features into OUTDIR.\n"
	"  --list FILE        the recordings (default: the coffee orders' tune.txt)\n"
	"  --recordings DIR   their folder (default: the list's)\n"
	"  --model DIR        the acoustic model (default " POCKETSPHINX_MODEL_DIR "/en-us/en-us)\n"
	"  --dictionary FILE  pronunciations (default " POCKETSPHINX_MODEL_DIR "/en-us/cmudict-en-us.dict)\n"
	"  --help\n";

/* The words heard in each recording: file<TAB>words lines, '#' comments. */
struct transcript {
	char *file, *words;
	int line;
};

static void transcripts_free(struct transcript *t, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(t[i].file);
		free(t[i].words);
	}
	free(t);
}

/* Every line is checked and every error printed before failing. Returns the number read, or -1. */
static int transcripts_read(const char *path, struct transcript **out)
{
	*out = NULL;
	FILE *f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "%s: cannot open the transcripts: %s\n", path, strerror(errno));
		return -1;
	}
	struct transcript *t = NULL;
	size_t n = 0, cap = 0;
	char *line = NULL;
	size_t linecap = 0;
	int lineno = 0, errors = 0;
	while (getline(&line, &linecap, f) > 0) {
		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		char *tab = strchr(line, '\t');
		if (!tab || tab == line || !tab[1]) {
			fprintf(stderr,
				"%s:%d: error: expected a recording's file, a tab and its words\n",
				path, lineno);
			errors++;
			continue;
		}
		*tab = '\0';
		if (n == cap)
			t = xreallocarray(t, cap = cap ? cap * 2 : 128, sizeof(*t));
		t[n++] = (struct transcript){ xstrdup(line), xstrdup(tab + 1), lineno };
	}
	free(line);
	fclose(f);
	if (errors) {
		transcripts_free(t, n);
		return -1;
	}
	*out = t;
	return (int)n;
}

static const struct transcript *transcript_find(const struct transcript *t, size_t n,
						const char *file)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(t[i].file, file))
			return &t[i];
	return NULL;
}

struct counts {
	int utterances[N_HEARINGS];
	long frames;
	int failed;
};

/* Align one hearing and count it. Returns 0 or a negative errno (printed). */
static int hear(struct aligner *a, const int16_t *pcm, size_t n, const char *grammar, FILE *out,
		enum hearing h, struct counts *c)
{
	char err[4096];
	int r = aligner_hear(a, pcm, n, grammar, out, err, sizeof(err));
	if (r < 0) {
		fprintf(stderr, "%s\n", err);
		return r;
	}
	if (r == 0)
		c->failed++;
	c->utterances[h] += r > 0;
	c->frames += r;
	return 0;
}

/* One noise over every recording, into its three files. Returns 0 or -1. */
static int prepare_noise(struct aligner *a, size_t which, const float *noise, size_t n_noise,
			 const struct real_voice *v, size_t n_v, char *const *grammar,
			 const char *outdir)
{
	FILE *out[N_HEARINGS] = { NULL };
	int r = 0;
	for (int h = 0; h < N_HEARINGS && r == 0; h++) {
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s_%s.bin", outdir, noises[which].name,
			 hearing_names[h]);
		if (!(out[h] = fopen(path, "wb"))) {
			fprintf(stderr, "%s: cannot write there: %s\n", path, strerror(errno));
			r = -1;
		}
	}
	struct recogniser_config rc;
	recogniser_config_defaults(&rc);
	struct counts c = { { 0 } };
	for (size_t i = 0; i < n_v && r == 0; i++) {
		int16_t *mix = xmalloc(v[i].n * sizeof(*mix));
		noise_mix(v[i].pcm, v[i].n, noise, n_noise, noises[which].snr_db,
			  ((size_t)i * STRETCH_STEP + STRETCH_START) % n_noise, mix);
		struct room room;
		int16_t *pcm = signal_condition(&rc, mix, v[i].n, &room);
		if (!room.steady_noise) {
			r = hear(a, pcm, v[i].n, grammar[i], out[HEARING_PLAIN], HEARING_PLAIN, &c);
		} else {
			int16_t *clean = xmalloc(v[i].n * sizeof(*clean));
			memcpy(clean, pcm, v[i].n * sizeof(*clean));
			audio_denoise(clean, v[i].n);
			r = hear(a, clean, v[i].n, grammar[i], out[HEARING_DENOISED],
				 HEARING_DENOISED, &c);
			free(clean);
			if (r == 0 && !rc.denoise && room.quiet_sd_db >= HEAR_AS_IS_MIN_SD_DB)
				r = hear(a, pcm, v[i].n, grammar[i], out[HEARING_AS_IS],
					 HEARING_AS_IS, &c);
		}
		free(pcm);
		free(mix);
	}
	for (int h = 0; h < N_HEARINGS; h++)
		if (out[h] && fclose(out[h]) != 0 && r == 0) {
			fprintf(stderr,
				"%s: could not write the labelled features (is the disk full?)\n",
				outdir);
			r = -1;
		}
	if (r == 0)
		fprintf(
		    stderr,
		    "%s: plain %d, denoised %d, as-is %d utterances, %ld frames, %d not aligned\n",
		    noises[which].name, c.utterances[HEARING_PLAIN], c.utterances[HEARING_DENOISED],
		    c.utterances[HEARING_AS_IS], c.frames, c.failed);
	return r < 0 ? -1 : 0;
}

int main(int argc, char **argv)
{
	char list_default[4096], model_default[4096], dict_default[4096];
	snprintf(list_default, sizeof(list_default), "%s/tests/data/real-speech/coffee/tune.txt",
		 TALKLEAF_SOURCE_DIR);
	snprintf(model_default, sizeof(model_default), "%s/en-us/en-us", POCKETSPHINX_MODEL_DIR);
	snprintf(dict_default, sizeof(dict_default), "%s/en-us/cmudict-en-us.dict",
		 POCKETSPHINX_MODEL_DIR);
	const char *list = list_default, *recordings = NULL, *model = model_default;
	const char *dictionary = dict_default;
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *o = argv[i];
		if (!strcmp(o, "--help")) {
			fputs(usage, stdout);
			return 0;
		}
		if (i + 1 >= argc) {
			fprintf(stderr, "adaptation-prepare: %s needs a value\n%s", o, usage);
			return 2;
		}
		if (!strcmp(o, "--list"))
			list = argv[++i];
		else if (!strcmp(o, "--recordings"))
			recordings = argv[++i];
		else if (!strcmp(o, "--model"))
			model = argv[++i];
		else if (!strcmp(o, "--dictionary"))
			dictionary = argv[++i];
		else {
			fprintf(stderr, "adaptation-prepare: unknown option %s\n%s", o, usage);
			return 2;
		}
	}
	if (argc - i != 2) {
		fputs(usage, stderr);
		return 2;
	}
	const char *transcripts_path = argv[i], *outdir = argv[i + 1];
	char list_dir[4096];
	if (!recordings) {
		snprintf(list_dir, sizeof(list_dir), "%s", list);
		char *slash = strrchr(list_dir, '/');
		if (slash)
			*slash = '\0';
		recordings = slash ? list_dir : ".";
	}

	int status = 1;
	struct transcript *t = NULL;
	struct real_voice *v = NULL;
	struct aligner *a = NULL;
	char **grammar = NULL;
	float *pink = NULL, *kitchen = NULL;
	char err[4096];
	int n_v = 0, n_t = transcripts_read(transcripts_path, &t);
	if (n_t < 0)
		goto done;
	n_v = real_voices_load(list, recordings, &v, err, sizeof(err));
	if (n_v < 0) {
		fprintf(stderr, "%s\n", err);
		goto done;
	}
	if (mkdir(outdir, 0777) != 0 && errno != EEXIST) {
		fprintf(stderr, "%s: cannot make the folder: %s\n", outdir, strerror(errno));
		goto done;
	}
	if (aligner_create(model, dictionary, outdir, &a, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
		goto done;
	}
	/* Every recording's grammar first, so that a transcript's error shows before the work. */
	grammar = xcalloc((size_t)n_v + 1, sizeof(*grammar));
	int errors = 0;
	for (int k = 0; k < n_v; k++) {
		const struct transcript *tr = transcript_find(t, (size_t)n_t, v[k].file);
		if (!tr) {
			fprintf(stderr, "%s: error: no words for %s (listed in %s)\n",
				transcripts_path, v[k].file, list);
			errors++;
		} else if (!(grammar[k] = aligner_grammar(a, tr->words, err, sizeof(err)))) {
			fprintf(stderr, "%s:%d: error: %s\n", transcripts_path, tr->line, err);
			errors++;
		}
	}
	if (errors)
		goto done;
	size_t n_noise = (size_t)AUDIO_RATE_HZ * NOISE_SECONDS;
	uint32_t rng = PINK_SEED;
	pink = noise_pink_create(n_noise, &rng);
	kitchen = noise_kitchen_create(pink, n_noise, KITCHEN_SEED);
	for (size_t k = 0; k < N_NOISES; k++)
		if (prepare_noise(a, k, noises[k].kitchen ? kitchen : pink, n_noise, v, (size_t)n_v,
				  grammar, outdir) < 0)
			goto done;
	status = 0;
done:
	for (int k = 0; grammar && k < n_v; k++)
		free(grammar[k]);
	free(grammar);
	free(pink);
	free(kitchen);
	aligner_destroy(a);
	if (v)
		real_voices_free(v, (size_t)n_v);
	transcripts_free(t, t ? (size_t)n_t : 0);
	return status;
}
