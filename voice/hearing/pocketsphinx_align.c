/* Forced alignment with PocketSphinx and the model's features of each frame, for the tools that
 * make the acoustic model's adaptation (voice/hearing/adaptation/estimate/align.h; built into
 * them, not into talkleaf). The alignment is a grammar search over phones, each phone a "word" of
 * a dictionary of its own (phones.dict, written into the work folder), with wide beams so that
 * noisy speech still finds a path. The cepstra come from the decoder itself (-mfclogdir), so they
 * are the front end's exactly, and sphinxbase turns them into the model's 39 features (1s_c_d_dd,
 * batch CMN). */
#include "align.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <pocketsphinx.h>
#include <sphinxbase/ckd_alloc.h>
#include <sphinxbase/err.h>
#include <sphinxbase/fe.h>
#include <sphinxbase/feat.h>
#include <sphinxbase/fsg_model.h>
#include <sphinxbase/jsgf.h>

#include "acoustic_model.h"
#include "dictionary.h"
#include "log.h"
#include "recogniser_internal.h"

/* The en-us model's base phones in its order (mdef): a phone's index is its codebook. */
static const char *const base_phones[MODEL_CODEBOOKS] = {
	"+NSN+", "+SPN+", "AA", "AE", "AH", "AO", "AW", "AY", "B", "CH", "D", "DH", "EH", "ER",
	"EY", "F", "G", "HH", "IH", "IY", "JH", "K", "L", "M", "N", "NG", "OW", "OY",
	"P", "R", "S", "SH", "SIL", "T", "TH", "UH", "UW", "V", "W", "Y", "Z", "ZH",
};
#define PHONE_SIL 32
#define PHONE_NOISE 0
#define PHONE_SPEECH 1
/* The first phone of speech: +NSN+ and +SPN+ are fillers, not in the alignment's dictionary. */
#define PHONE_FIRST_SPOKEN 2

struct aligner {
	ps_decoder_t *ps;
	feat_t *feat;
	struct dictionary *dict;
	char phones_dict[4096], mfc_dir[4096];
	bool wrote_phones_dict, made_mfc_dir; /* what aligner_destroy removes */
};

/* The alignment's dictionary: "p_aa AA" for each spoken phone, and "sil SIL". */
static int phones_dict_write(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return errf(err, errlen, -EIO, "%s: cannot write the aligner's dictionary", path);
	for (int i = PHONE_FIRST_SPOKEN; i < MODEL_CODEBOOKS; i++) {
		if (i == PHONE_SIL) {
			fputs("sil SIL\n", f);
			continue;
		}
		fputs("p_", f);
		for (const char *c = base_phones[i]; *c; c++)
			fputc(tolower((unsigned char)*c), f);
		fprintf(f, " %s\n", base_phones[i]);
	}
	if (ferror(f) | fclose(f))
		return errf(err, errlen, -EIO, "%s: could not write (is the disk full?)", path);
	return 0;
}

int aligner_create(const char *model_dir, const char *dictionary, const char *work_dir,
		   struct aligner **out, char *err, size_t errlen)
{
	*out = NULL;
	struct aligner *a = xcalloc(1, sizeof(*a));
	snprintf(a->phones_dict, sizeof(a->phones_dict), "%s/phones.dict", work_dir);
	snprintf(a->mfc_dir, sizeof(a->mfc_dir), "%s/mfc", work_dir);
	int r;
	char means[4096];
	snprintf(means, sizeof(means), "%s/means", model_dir);
	if (access(means, R_OK) != 0) {
		r = errf(err, errlen, -ENOENT,
			 "%s: the acoustic model is missing (is pocketsphinx-en-us installed?)",
			 means);
		goto fail;
	}
	if ((r = dictionary_load(dictionary, &a->dict, err, errlen)) < 0)
		goto fail;
	a->wrote_phones_dict = true;
	if ((r = phones_dict_write(a->phones_dict, err, errlen)) < 0)
		goto fail;
	if (mkdir(a->mfc_dir, 0700) == 0)
		a->made_mfc_dir = true;
	else if (errno != EEXIST) {
		r = errf(err, errlen, -EIO, "%s: cannot make the folder: %s", a->mfc_dir,
			 strerror(errno));
		goto fail;
	}
	const char *argv[] = { "adaptation-prepare", "-hmm", model_dir, "-dict", a->phones_dict,
			       "-beam", "1e-80", "-pbeam", "1e-80", "-wbeam", "1e-60", "-pl_window",
			       "0", "-fsgusefiller", "no", "-bestpath", "no", "-mfclogdir",
			       a->mfc_dir };
	err_set_logfp(NULL);
	cmd_ln_t *config =
	    cmd_ln_parse_r(NULL, ps_args(), sizeof(argv) / sizeof(*argv), (char **)argv, TRUE);
	a->ps = config ? ps_init(config) : NULL;
	cmd_ln_free_r(config);
	if (!a->ps) {
		r = errf(err, errlen, -EINVAL, "%s: PocketSphinx could not load the acoustic model",
			 model_dir);
		goto fail;
	}
	a->feat = feat_init("1s_c_d_dd", CMN_BATCH, FALSE, AGC_NONE, TRUE, MODEL_STREAM_LENGTH);
	if (!a->feat) {
		r = errf(err, errlen, -EINVAL, "sphinxbase could not set up the model's features");
		goto fail;
	}
	*out = a;
	return 0;
fail:
	aligner_destroy(a);
	return r;
}

void aligner_destroy(struct aligner *a)
{
	if (!a)
		return;
	if (a->feat)
		feat_free(a->feat);
	if (a->ps)
		ps_free(a->ps);
	dictionary_destroy(a->dict);
	if (a->made_mfc_dir)
		rmdir(a->mfc_dir);
	if (a->wrote_phones_dict)
		unlink(a->phones_dict);
	free(a);
}

char *aligner_grammar(const struct aligner *a, const char *words, char *err, size_t errlen)
{
	char *g = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&g, &len);
	if (!f)
		abort();
	fputs("#JSGF V1.0; grammar a; public <s> = [ sil ]", f);
	char *copy = xstrdup(words), *save = NULL;
	int ok = 1;
	for (char *w = strtok_r(copy, " ", &save); w && ok; w = strtok_r(NULL, " ", &save)) {
		const char *phones = dictionary_lookup(a->dict, w, 0);
		if (!phones) {
			errf(err, errlen, -EINVAL, "\"%s\" has no pronunciation in the dictionary",
			     w);
			ok = 0;
			break;
		}
		for (const char *c = phones; *c; c++) {
			if (*c == ' ')
				continue;
			if (c == phones || c[-1] == ' ')
				fputs(" p_", f);
			fputc(tolower((unsigned char)*c), f);
		}
		fputs(" [ sil ]", f);
	}
	fputc(';', f);
	fclose(f);
	free(copy);
	if (!ok) {
		free(g);
		return NULL;
	}
	return g;
}

/* The cepstra the decoder logged for the utterance (an int32 count of numbers, then 13 a frame),
 * read into *cep; every file there removed. Returns the number of frames, or -1. */
static int cepstra_take(const char *dir, float **cep)
{
	*cep = NULL;
	DIR *d = opendir(dir);
	if (!d)
		return -1;
	int frames = -1;
	struct dirent *e;
	char path[8192];
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		FILE *f = fopen(path, "rb");
		int32 count = 0;
		if (f && !*cep && fread(&count, sizeof(count), 1, f) == 1 && count > 0 &&
		    count % MODEL_STREAM_LENGTH == 0) {
			*cep = xmalloc((size_t)count * sizeof(float));
			if (fread(*cep, sizeof(float), (size_t)count, f) == (size_t)count)
				frames = count / MODEL_STREAM_LENGTH;
		}
		if (f)
			fclose(f);
		unlink(path);
	}
	closedir(d);
	if (frames < 0) {
		free(*cep);
		*cep = NULL;
	}
	return frames;
}

/* A segment's word to its base phone: "p_aa" to AA, silence to SIL; -1 for none. */
static int segment_phone(const char *w)
{
	if (!strncmp(w, "p_", 2)) {
		for (int i = PHONE_FIRST_SPOKEN; i < MODEL_CODEBOOKS; i++)
			if (!strcasecmp(base_phones[i], w + 2))
				return i;
		return -1;
	}
	if (!strcmp(w, "<sil>") || !strcmp(w, "sil") || !strcmp(w, "<s>") || !strcmp(w, "</s>"))
		return PHONE_SIL;
	if (!strcmp(w, "[NOISE]"))
		return PHONE_NOISE;
	if (!strcmp(w, "[SPEECH]"))
		return PHONE_SPEECH;
	return -1;
}

/* As ps_set_jsgf_string does it, without its leak of the parsed grammar (5prealpha). */
static int alignment_search_set(ps_decoder_t *ps, const char *text)
{
	jsgf_t *jsgf = jsgf_parse_string(text, NULL);
	int r = -1;
	if (jsgf) {
		jsgf_rule_t *rule = jsgf_get_public_rule(jsgf);
		fsg_model_t *fsg = rule ? jsgf_build_fsg(jsgf, rule, ps_get_logmath(ps),
							 cmd_ln_float32_r(ps_get_config(ps), "-lw"))
					: NULL;
		if (fsg) {
			r = ps_set_fsg(ps, "align", fsg);
			fsg_model_free(fsg); /* the search holds its own reference */
		}
		jsgf_grammar_free(jsgf);
	}
	return r < 0 ? r : ps_set_search(ps, "align");
}

int aligner_hear(struct aligner *a, const int16_t *pcm, size_t n, const char *grammar, FILE *out,
		 char *err, size_t errlen)
{
	if (alignment_search_set(a->ps, grammar) < 0)
		return errf(err, errlen, -EIO, "PocketSphinx rejected the alignment grammar: %s",
			    grammar);
	decoder_noise_estimate_reset(a->ps, pcm, n);
	if (ps_start_utt(a->ps) < 0 || ps_process_raw(a->ps, pcm, n, FALSE, TRUE) < 0 ||
	    ps_end_utt(a->ps) < 0) {
		ps_end_utt(a->ps);
		return errf(err, errlen, -EIO,
			    "%s: PocketSphinx could not decode the utterance there", a->mfc_dir);
	}
	float *cep = NULL;
	int frames = cepstra_take(a->mfc_dir, &cep);
	int32 score;
	const char *hyp = ps_get_hyp(a->ps, &score);
	if (frames <= 0 || !hyp || !hyp[0]) {
		free(cep);
		return 0;
	}
	int *label = xmalloc((size_t)frames * sizeof(*label));
	for (int i = 0; i < frames; i++)
		label[i] = -1;
	for (ps_seg_t *s = ps_seg_iter(a->ps); s; s = ps_seg_next(s)) {
		int first, last, phone = segment_phone(ps_seg_word(s));
		ps_seg_frames(s, &first, &last);
		for (int f = first < 0 ? 0 : first; f <= last && f < frames; f++)
			label[f] = phone;
	}
	mfcc_t **c = (mfcc_t **)ckd_calloc_2d((size_t)frames, MODEL_STREAM_LENGTH, sizeof(mfcc_t));
	for (int i = 0; i < frames; i++)
		memcpy(c[i], cep + (size_t)i * MODEL_STREAM_LENGTH,
		       MODEL_STREAM_LENGTH * sizeof(float));
	mfcc_t ***feat = feat_array_alloc(a->feat, frames);
	int32 n_cep = frames;
	int32 n_feat = feat_s2mfc2feat_live(a->feat, c, &n_cep, TRUE, TRUE, feat);
	int r = n_feat;
	if (fwrite(&n_feat, sizeof(n_feat), 1, out) != 1)
		r = -1;
	for (int i = 0; r >= 0 && i < n_feat; i++) {
		int32 l = i < frames ? label[i] : -1;
		if (fwrite(&l, sizeof(l), 1, out) != 1 ||
		    fwrite(feat[i][0], sizeof(mfcc_t), MODEL_FEATURE_LENGTH, out) !=
			MODEL_FEATURE_LENGTH)
			r = -1;
	}
	if (r < 0)
		r = errf(err, errlen, -EIO,
			 "could not write the labelled features (is the disk full?)");
	feat_array_free(feat);
	ckd_free_2d(c);
	free(label);
	free(cep);
	return r;
}
