/* PocketSphinx (5prealpha, Debian 12) and sphinxbase: with pocketsphinx_align.c (the forced
 * alignment of the adaptation tools) the only files that include them, so a move to PocketSphinx
 * 5.x touches these two alone. The decoder set-up, the acoustic-scores file that
 * lets every search decode from one scoring of the model, the passes, and the grammar's
 * conversion to and from struct automaton. */
#include "recogniser_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <pocketsphinx.h>
#include <sphinxbase/ckd_alloc.h>
#include <sphinxbase/err.h>
#include <sphinxbase/fe.h>
#include <sphinxbase/fsg_model.h>
#include <sphinxbase/jsgf.h>

#include "audio.h"
#include "log.h"

/* The decoder's beams, for every search (-beam and -pbeam, and -wbeam): wider than PocketSphinx's
 * defaults (1e-48, 1e-48, 7e-29), which lost the right path for voices unlike the model's
 * (docs/recognition-tuning.md, "Beams"). */
#define SEARCH_BEAM "1e-80"
#define SEARCH_WORD_BEAM "1e-60"
/* Frames added to an utterance's count for the front end's last partial frames. */
#define SCORES_MARGIN_FRAMES 16
/* Room for scores is made for twice the frames asked, and at least this many. */
#define SCORES_RESERVE_MIN 1024
/* Frames the front end computes per call while it learns an utterance's noise. */
#define FE_CHUNK_FRAMES 64
/* PocketSphinx's log base: scores are in units of log(1.0001). */
#define LOGMATH_BASE 1.0001

static const char *const search_names[] = {
	[DECODER_LM] = "lm",
	[DECODER_GRAMMAR] = "grammar",
	[DECODER_NEUTRAL] = "neutral",
	[DECODER_PHONE] = "phone",
};

struct decoder {
	ps_decoder_t *ps;
	char dir[PATH_MAX]; /* the private folder: each utterance's scores */
	bool phone_loop;
	size_t frames_reserved; /* see scores_reserve */
	size_t header_bytes, frame_bytes; /* of a scores file (scores_room) */
	int frame_rate;
	/* The model's adaptation and the transform that undoes it (NULL without one), and which
	 * of the two the model has now (decoder_scores); the decoder holds its own reference. */
	ps_mllr_t *adapted, *as_is, *applied;
};

void decoder_log_quiet(void)
{
	err_set_logfp(NULL);
}

/* The acoustic model scored once an utterance, not once a search: the "scores" search (a grammar
 * of silence alone, nearly free) writes every senone of every frame (-compallsen) into a file
 * (-senlogdir, the only way 5prealpha offers), and the real searches decode from that file
 * (ps_decode_senscr). Costs and the two 5prealpha differences: docs/recognition-tuning.md,
 * "Scoring once". */
static int scores_search_add(ps_decoder_t *ps)
{
	fsg_model_t *fsg = fsg_model_init("scores", ps_get_logmath(ps), 1.0, 2);
	fsg->start_state = 0;
	fsg->final_state = 1;
	fsg_model_trans_add(fsg, 0, 1, 0, fsg_model_word_add(fsg, "<sil>"));
	int r = ps_set_fsg(ps, "scores", fsg);
	fsg_model_free(fsg);
	return r;
}

/* After a failed pass (the disk full, the folder gone: 5prealpha's ps_start_utt fails after it
 * has started the utterance), end the utterance so that the next one can start: otherwise every
 * later decode failed with "utterance already started". */
static void utterance_abandon(ps_decoder_t *ps)
{
	ps_end_utt(ps);
}

/* 5prealpha's whole-utterance front end (ps_process_raw with full_utt, which the model's batch
 * cepstral mean needs) enlarges the feature buffer but not the table of file positions that
 * reading scores back fills (acmod.c, framepos): reading an utterance longer than any before
 * then wrote past the table's end. Reading scores enlarges both, so the room is made first by
 * reading `frames` frames in which no senone is scored (a count of 0 each, after the file's
 * header, which an empty utterance of the scores search writes). */
static int scores_reserve(struct decoder *dec, size_t frames)
{
	scratch_clear(dec->dir);
	if (ps_set_search(dec->ps, "scores") < 0 || ps_start_utt(dec->ps) < 0 ||
	    ps_end_utt(dec->ps) < 0) {
		utterance_abandon(dec->ps);
		return -1;
	}
	FILE *header = scratch_take(dec->dir);
	char text[4096];
	size_t len = header ? fread(text, 1, sizeof(text) - 1, header) : 0;
	text[len] = '\0';
	if (header)
		fclose(header);
	/* The header says how many senones a frame has: what room a frame's scores take. */
	const char *n_sen = strstr(text, "\nn_sen ");
	int senones = n_sen ? atoi(n_sen + 7) : 0;
	char path[PATH_MAX + 8];
	snprintf(path, sizeof(path), "%s/reserve", dec->dir);
	int fd = senones > 0 ? open(path, O_RDWR | O_CREAT | O_EXCL, 0600) : -1;
	FILE *f = fd >= 0 ? fdopen(fd, "w+b") : NULL;
	if (fd >= 0 && !f)
		close(fd);
	int r = f && fwrite(text, 1, len, f) == len ? 0 : -1;
	const int16 none = 0; /* a frame's count of senones scored */
	for (size_t i = 0; r == 0 && i < frames; i++)
		r = fwrite(&none, sizeof(none), 1, f) == 1 ? 0 : -1;
	if (r == 0 && (fflush(f) != 0 || fseek(f, 0, SEEK_SET) != 0 ||
		       ps_decode_senscr(dec->ps, f) != (int)frames)) {
		utterance_abandon(dec->ps);
		r = -1;
	}
	if (f)
		fclose(f);
	scratch_clear(dec->dir);
	if (r == 0) {
		dec->frames_reserved = frames;
		dec->header_bytes = len;
		dec->frame_bytes = sizeof(int16) * (1 + (size_t)senones);
	}
	return r;
}

/* 5prealpha crashes when writing scores fails (the disk full: acmod_score returns NULL and the
 * search uses it), so the room for an utterance's scores is taken first, and given back just
 * before they are written. */
static int scores_room(const struct decoder *dec, size_t frames, char *err, size_t errlen)
{
	char path[PATH_MAX + 8];
	snprintf(path, sizeof(path), "%s/room", dec->dir);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	int r = fd < 0 ? errno
		       : posix_fallocate(fd, 0, (off_t)(dec->header_bytes + frames * dec->frame_bytes));
	if (fd >= 0) {
		close(fd);
		unlink(path);
	}
	if (r == 0)
		return 0;
	return errf(err, errlen, -r, "%s: no room for the scores of %.1f s of audio (%.0f MB): %s",
		    dec->dir, (double)frames / dec->frame_rate,
		    (double)(frames * dec->frame_bytes) / 1e6, strerror(r));
}

/* The scores pass: returns the file of scores, already unlinked, or NULL with err. */
static FILE *scores_compute(struct decoder *dec, const int16_t *pcm, size_t n, char *err,
			    size_t errlen)
{
	if (scratch_ensure(dec->dir, err, errlen) < 0)
		return NULL;
	size_t frames = n * (size_t)dec->frame_rate / AUDIO_RATE_HZ + SCORES_MARGIN_FRAMES;
	size_t reserve = frames * 2 > SCORES_RESERVE_MIN ? frames * 2 : SCORES_RESERVE_MIN;
	if (frames > dec->frames_reserved && scores_reserve(dec, reserve) < 0) {
		errf(err, errlen, -EIO, "%s: the recogniser could not make room for %zu frames",
		     dec->dir, frames);
		return NULL;
	}
	scratch_clear(dec->dir);
	if (scores_room(dec, frames, err, errlen) < 0)
		return NULL;
	if (ps_set_search(dec->ps, "scores") < 0 || ps_start_utt(dec->ps) < 0 ||
	    ps_process_raw(dec->ps, pcm, n, FALSE, TRUE) < 0 || ps_end_utt(dec->ps) < 0) {
		utterance_abandon(dec->ps);
		scratch_clear(dec->dir);
		errf(err, errlen, -EIO,
		     "%s: the recogniser could not write the audio's scores there (is the disk full?)",
		     dec->dir);
		return NULL;
	}
	FILE *f = scratch_take(dec->dir);
	if (!f)
		errf(err, errlen, -EIO, "%s: the recogniser's scores are missing", dec->dir);
	return f;
}

static bool is_filler(const char *w)
{
	return w[0] == '<' || w[0] == '[' || w[0] == '+' || !strcmp(w, "SIL");
}

/* The front end's noise estimate (-remove_noise) carries over from one utterance to the next, so
 * what was heard depended on what was heard before: each utterance starts afresh and the front
 * end first hears the utterance itself, once, to learn its noise (docs/recognition-tuning.md,
 * "Noise estimate"). */
void decoder_noise_estimate_reset(ps_decoder_t *ps, const int16_t *pcm, size_t n)
{
	ps_start_stream(ps);
	fe_t *fe = ps_get_fe(ps);
	mfcc_t **cep = (mfcc_t **)ckd_calloc_2d(FE_CHUNK_FRAMES, (size_t)fe_get_output_size(fe),
						sizeof(mfcc_t));
	fe_start_utt(fe);
	const int16 *in = pcm;
	size_t left = n;
	int32 n_frames = FE_CHUNK_FRAMES;
	while (left > 0 && fe_process_frames(fe, &in, &left, cep, &n_frames, NULL) >= 0 && n_frames)
		n_frames = FE_CHUNK_FRAMES;
	fe_end_utt(fe, cep[0], &n_frames);
	ckd_free_2d(cep);
}

int decoder_pass(struct decoder *dec, enum decoder_search which, FILE *scores,
		 struct decoder_pass *p, char *words, size_t wordslen, char *err, size_t errlen)
{
	const char *search = search_names[which];
	memset(p, 0, sizeof(*p));
	if (fseek(scores, 0, SEEK_SET) < 0 || ps_set_search(dec->ps, search) < 0 ||
	    ps_decode_senscr(dec->ps, scores) < 0) {
		utterance_abandon(dec->ps);
		return errf(err, errlen, -EIO, "%s: the recogniser failed to decode the audio",
			    dec->dir);
	}
	p->frames = ps_get_n_frames(dec->ps);
	bool lattice = which == DECODER_LM && cmd_ln_boolean_r(ps_get_config(dec->ps), "-bestpath");
	if (words)
		words[0] = '\0';
	if (which != DECODER_LM) {
		/* The phone loop's segment iterator leaks in 5prealpha: take the path score instead
		 * (acoustic plus the phone model's), for the grammar too so the two compare. */
		int32 score = 0;
		const char *hyp = ps_get_hyp(dec->ps, &score);
		if (hyp && words) {
			size_t o = 0;
			for (const char *c = hyp; *c && o + 1 < wordslen; c++) {
				if (*c == '(') {
					while (*c && *c != ')')
						c++;
					if (!*c)
						break;
					continue;
				}
				words[o++] = *c;
			}
			words[o] = '\0';
		}
		p->ascr = hyp ? score : 0;
		return 0;
	}
	for (ps_seg_t *s = ps_seg_iter(dec->ps); s; s = ps_seg_next(s)) {
		int32 ascr = 0, lscr = 0, lback = 0;
		int sf = 0, ef = 0;
		const char *w = ps_seg_word(s);
		ps_seg_prob(s, &ascr, &lscr, &lback);
		ps_seg_frames(s, &sf, &ef);
		/* The LM search's segments come from its lattice, whose scores are shifted left by
		 * 10 bits (SENSCR_SHIFT) against the phone loop's and the grammar's. */
		p->ascr += lattice ? ascr >> 10 : ascr;
		if (is_filler(w))
			continue;
		p->word_frames += ef - sf + 1;
		if (words && strlen(words) + strlen(w) + 2 < wordslen) {
			if (words[0])
				strcat(words, " ");
			/* "word(2)" -> "word" */
			size_t len = strcspn(w, "(");
			strncat(words, w, len);
		}
	}
	p->posterior = logmath_exp(ps_get_logmath(dec->ps), ps_get_prob(dec->ps));
	return 0;
}

/* The grammar JSGF gives, made deterministic and minimal (grammar_minimise), or NULL when that
 * cannot be done as it is: a weighted arc (the grammar is built without weights, so none), or
 * too many states; the caller keeps the JSGF one. */
static fsg_model_t *fsg_minimise(fsg_model_t *fsg)
{
	int n = fsg_model_n_state(fsg);
	struct automaton in = { .n_states = n, .start = fsg_model_start_state(fsg) };
	struct automaton min = { 0 };
	size_t cap = 0;
	bool weighted = false;
	in.final = xcalloc((size_t)n, sizeof(*in.final));
	in.final[fsg_model_final_state(fsg)] = true;
	for (int i = 0; i < n; i++)
		for (fsg_arciter_t *it = fsg_model_arcs(fsg, i); it; it = fsg_arciter_next(it)) {
			fsg_link_t *l = fsg_arciter_get(it);
			if (!l)
				continue;
			weighted |= fsg_link_logs2prob(l) != 0;
			if (in.n_arcs == cap) {
				cap = cap ? cap * 2 : 1024;
				in.arcs = xreallocarray(in.arcs, cap, sizeof(*in.arcs));
			}
			in.arcs[in.n_arcs++] = (struct automaton_arc){
				.from = i, .to = fsg_link_to_state(l),
				.word = fsg_link_wid(l) < 0 ? AUTOMATON_EPSILON : fsg_link_wid(l)
			};
		}
	fsg_model_t *out = NULL;
	if (!weighted && grammar_minimise(&in, &min) == 0) {
		/* PocketSphinx's grammar has one final state: a new one, reached without a word
		 * from every final state of the minimal automaton. */
		int final = min.n_states;
		out = fsg_model_init(fsg_model_name(fsg), fsg->lmath, fsg_model_lw(fsg), final + 1);
		out->start_state = min.start;
		out->final_state = final;
		for (size_t k = 0; k < min.n_arcs; k++)
			fsg_model_trans_add(out, min.arcs[k].from, min.arcs[k].to, 0,
					    fsg_model_word_add(out, fsg_model_word_str(fsg, min.arcs[k].word)));
		for (int q = 0; q < min.n_states; q++)
			if (min.final[q])
				fsg_model_null_trans_add(out, q, final, 0);
	}
	automaton_done(&in);
	automaton_done(&min);
	return out;
}

/* The grammar search from its JSGF text. Parsed here rather than with ps_set_jsgf_string, which
 * leaks the parsed grammar. Returns 0 or -1. */
static int grammar_search_add(ps_decoder_t *ps, const char *text, float lw)
{
	jsgf_t *jsgf = jsgf_parse_string(text, NULL);
	int r = -1;
	if (jsgf) {
		jsgf_rule_t *rule = jsgf_get_public_rule(jsgf);
		fsg_model_t *fsg = rule ? jsgf_build_fsg(jsgf, rule, ps_get_logmath(ps), lw) : NULL;
		fsg_model_t *small = fsg ? fsg_minimise(fsg) : NULL;
		if (small) {
			fsg_model_free(fsg);
			fsg = small;
		}
		if (fsg) {
			r = ps_set_fsg(ps, "grammar", fsg);
			fsg_model_free(fsg); /* the search holds its own reference */
		}
		jsgf_grammar_free(jsgf);
	}
	return r;
}

/* PocketSphinx's settings: the model, the task dictionary, the beams, and the caller's extras
 * last. -allphone_ci: context-independent phones keep the phone loop cheap. -compallsen and
 * -senlogdir: every senone's score into the scores file (scores_search_add); -pl_window 0: a
 * frame read back from that file with the phone-loop lookahead on comes back wrong. */
static cmd_ln_t *settings_parse(const struct decoder_config *config)
{
	const char *argv[64] = { "talkleaf", "-hmm", config->acoustic_model, "-dict",
				 config->dict_path, "-allphone_ci", "yes", "-beam", SEARCH_BEAM,
				 "-pbeam", SEARCH_BEAM, "-wbeam", SEARCH_WORD_BEAM,
				 "-compallsen", "yes", "-senlogdir", config->scratch_dir,
				 "-pl_window", "0" };
	int argc = 19;
	for (const char *const *a = config->ps_args; a && a[0] && a[1] && argc < 62; a += 2) {
		argv[argc++] = a[0];
		argv[argc++] = a[1];
	}
	return cmd_ln_parse_r(NULL, ps_args(), argc, (char **)argv, TRUE);
}

/* The transform that leaves the model as it is, for going back from the adaptation: PocketSphinx
 * has no call that removes one, and reads transforms from files alone. */
static ps_mllr_t *identity_read(const char *dir)
{
	char *path = xasprintf("%s/identity.mllr", dir);
	FILE *f = fopen(path, "w");
	ps_mllr_t *mllr = NULL;
	if (f) {
		fprintf(f, "1 %d\n", ADAPTATION_STREAMS);
		for (int s = 0; s < ADAPTATION_STREAMS; s++) {
			fprintf(f, "%d\n", ADAPTATION_STREAM_LENGTH);
			for (int i = 0; i < ADAPTATION_STREAM_LENGTH; i++)
				for (int j = 0; j < ADAPTATION_STREAM_LENGTH; j++)
					fprintf(f, "%d%c", i == j, j + 1 < ADAPTATION_STREAM_LENGTH ? ' ' : '\n');
			for (int i = 0; i < ADAPTATION_STREAM_LENGTH; i++)
				fputs(i + 1 < ADAPTATION_STREAM_LENGTH ? "0 " : "0\n", f);
			for (int i = 0; i < ADAPTATION_STREAM_LENGTH; i++)
				fputs(i + 1 < ADAPTATION_STREAM_LENGTH ? "1 " : "1\n", f);
		}
		if (fclose(f) == 0)
			mllr = ps_mllr_read(path);
	}
	unlink(path);
	free(path);
	return mllr;
}

/* Both transforms read, or -EINVAL with the file in err. */
static int adaptation_load(struct decoder *dec, const char *path, char *err, size_t errlen)
{
	dec->adapted = ps_mllr_read(path);
	if (!dec->adapted)
		return errf(err, errlen, -EINVAL,
			    "%s: the recogniser could not read its adaptation (--verbose shows why)",
			    path);
	dec->as_is = identity_read(dec->dir);
	if (!dec->as_is)
		return errf(err, errlen, -EINVAL,
			    "%s: the recogniser could not write a file there (is the disk full?)",
			    dec->dir);
	return 0;
}

int decoder_create(const struct decoder_config *config, struct decoder **out, char *err,
		   size_t errlen)
{
	*out = NULL;
	struct decoder *dec = xcalloc(1, sizeof(*dec));
	snprintf(dec->dir, sizeof(dec->dir), "%s", config->scratch_dir);
	dec->phone_loop = config->phone_lm != NULL;
	int r = 0;
	cmd_ln_t *cmdln = settings_parse(config);
	if (!cmdln) {
		r = errf(err, errlen, -EINVAL, "the recogniser rejected its settings");
		goto fail;
	}
	dec->ps = ps_init(cmdln);
	if (!dec->ps) {
		r = errf(err, errlen, -EINVAL,
			 "the recogniser could not load its model from %s (reinstall pocketsphinx-en-us; --verbose shows why)",
			 config->acoustic_model);
		goto fail;
	}
	if (grammar_search_add(dec->ps, config->grammar, cmd_ln_float32_r(cmdln, "-lw")) < 0) {
		r = errf(err, errlen, -EINVAL,
			 "the recogniser could not build its grammar from the scripts (--verbose shows why)");
		goto fail;
	}
	if (scores_search_add(dec->ps) < 0 ||
	    ps_set_lm_file(dec->ps, "lm", config->lm_path) < 0 ||
	    (dec->phone_loop && ps_set_allphone_file(dec->ps, "phone", config->phone_lm) < 0) ||
	    ps_set_lm_file(dec->ps, "neutral", config->neutral_path) < 0 ||
	    ps_set_search(dec->ps, "lm") < 0) {
		r = errf(err, errlen, -EINVAL,
			 "the recogniser could not build its search from the scripts (--verbose shows why)");
		goto fail;
	}
	if (config->adaptation && (r = adaptation_load(dec, config->adaptation, err, errlen)) < 0)
		goto fail;
	dec->frame_rate = cmd_ln_int32_r(cmdln, "-frate");
	cmd_ln_free_r(cmdln);
	*out = dec;
	return 0;
fail:
	cmd_ln_free_r(cmdln);
	decoder_destroy(dec);
	return r;
}

void decoder_destroy(struct decoder *dec)
{
	if (!dec)
		return;
	if (dec->ps) {
		/* The phone loop keeps its last utterance's phone list until the next one and never
		 * frees it (5prealpha): decode nothing so that the list it keeps is empty. */
		if (dec->phone_loop && ps_set_search(dec->ps, "phone") == 0 &&
		    ps_start_utt(dec->ps) == 0 &&
		    ps_end_utt(dec->ps) == 0)
			ps_get_hyp(dec->ps, NULL);
		ps_free(dec->ps);
	}
	ps_mllr_free(dec->adapted);
	ps_mllr_free(dec->as_is);
	free(dec);
}

const char *decoder_dir(const struct decoder *dec)
{
	return dec->dir;
}

FILE *decoder_scores(struct decoder *dec, const int16_t *pcm, size_t n, bool adapted, char *err,
		     size_t errlen)
{
	/* Switching reloads the model's means and variances (about 15 ms), so only on a change. */
	ps_mllr_t *want = adapted ? dec->adapted : dec->as_is;
	if (want && want != dec->applied && (adapted || dec->applied)) {
		ps_update_mllr(dec->ps, ps_mllr_retain(want));
		dec->applied = want;
	}
	decoder_noise_estimate_reset(dec->ps, pcm, n);
	return scores_compute(dec, pcm, n, err, errlen);
}

double decoder_score_ratio(long ascr, long other, int frames)
{
	return (double)(ascr - other) / (double)frames * log(LOGMATH_BASE);
}
