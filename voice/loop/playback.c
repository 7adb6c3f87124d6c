#include "playback.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "keymap.h"
#include "script.h"
#include "stretch.h"

/* The listening tone: short, soft, and not a pitch a voice keeps (so it is not "speech"). */
#define TONE_HZ 880.0
#define TONE_MS 120
#define TONE_AMPLITUDE 3000.0

void playback_init(struct playback *pb, struct synth *synth, const struct script_set *set,
		   double item_gap_s)
{
	*pb = (struct playback){ .synth = synth, .speaker = { .set = set }, .gain = 1.0,
				 .item_gap_s = item_gap_s };
	struct synth_config sc;
	synth_config_defaults(&sc);
	pb->sentence_pause_s = sc.sentence_pause_ms / 1000.0;
}

void playback_done(struct playback *pb)
{
	pcm_done(&pb->cur);
}

static int on_chunk(void *userdata, const int16_t *samples, size_t n)
{
	struct pcm *out = userdata;
	if (n == 0)
		return 0;
	out->samples = xreallocarray(out->samples, out->n + n, sizeof(int16_t));
	memcpy(out->samples + out->n, samples, n * sizeof(int16_t));
	out->n += n;
	return 0;
}

static int speak_text(struct playback *pb, const char *text, struct pcm *out, char *err,
		      size_t errlen)
{
	out->rate_hz = synth_sample_rate(pb->synth);
	int r = synth_speak_stream(pb->synth, text, on_chunk, out, err, errlen);
	return r < 0 ? r : 0;
}

static void append_silence(struct pcm *out, double seconds)
{
	size_t gap = (size_t)lrint(seconds * out->rate_hz);
	if (out->n == 0 || gap == 0)
		return;
	out->samples = xreallocarray(out->samples, out->n + gap, sizeof(int16_t));
	memset(out->samples + out->n, 0, gap * sizeof(int16_t));
	out->n += gap;
}

/* The clip an item plays instead of its sentences, or NULL. */
static const char *item_clip(const struct dialogue_item *it)
{
	return it->type == DIALOGUE_ITEM_MORE ? it->entry->more_clip : it->entry->clip;
}

/* The sentences of an item (a topic's say: or more:, a prompt's say:). */
static char *const *item_lines(const struct dialogue_item *it, size_t *n)
{
	if (it->type == DIALOGUE_ITEM_MORE) {
		*n = it->entry->n_more;
		return it->entry->more;
	}
	*n = it->entry->n_say;
	return it->entry->say;
}

static void make_tone(struct playback *pb, struct pcm *out)
{
	int rate = synth_sample_rate(pb->synth);
	size_t n = (size_t)rate * TONE_MS / 1000;
	out->rate_hz = rate;
	out->samples = xcalloc(n, sizeof(int16_t));
	out->n = n;
	for (size_t i = 0; i < n; i++) {
		/* A raised-cosine envelope: no click at either end. */
		double env = 0.5 - 0.5 * cos(2.0 * M_PI * (double)i / (double)(n - 1));
		out->samples[i] = (int16_t)lrint(TONE_AMPLITUDE * env *
						 sin(2.0 * M_PI * TONE_HZ * (double)i / rate));
	}
}

/* A recorded clip at the current rate: as much longer (slower) or shorter (faster) as the
 * synthesiser's rate is against its default, at the clip's own pitch. */
static int load_clip(struct playback *pb, const char *path, struct pcm *out, char *err,
		     size_t errlen)
{
	int r = audio_clip_load(path, out, err, errlen);
	int rate = synth_rate(pb->synth);
	if (r < 0 || rate == SYNTH_RATE_DEFAULT || rate <= 0)
		return r;
	r = audio_stretch(out, (double)SYNTH_RATE_DEFAULT / rate, err, errlen);
	if (r < 0)
		log_warn("%s: played at its own speed: %s", path, err);
	return 0;
}

/* The entry's voice on the synthesiser (one engine speaks every language, one at a time). */
static int speaker_use(struct playback *pb, const struct playback_speaker *sp, char *err,
		       size_t errlen)
{
	if (!sp->voice || (pb->voice_now && strcmp(pb->voice_now, sp->voice) == 0 &&
			   pb->lex_now == sp->lex && pb->language_now == sp->language))
		return 0;
	int r = synth_set_voice(pb->synth, sp->voice, sp->language, sp->lex, err, errlen);
	if (r < 0)
		return r;
	log_debug("speaking with voice %s", sp->voice);
	pb->voice_now = sp->voice;
	pb->lex_now = sp->lex;
	pb->language_now = sp->language;
	return 0;
}

/* Turn the queue's next entry into samples (cur). */
static void prepare_entry(struct playback *pb, const struct playback_entry *e, bool last)
{
	char err[256] = "";
	int r = 0;
	struct pcm *out = &pb->cur;
	pcm_done(out);
	if (e->kind == PLAYBACK_ITEM && !item_clip(&e->item) &&
	    speaker_use(pb, &e->speaker, err, sizeof(err)) < 0)
		log_warn("cannot speak with voice %s: %s", e->speaker.voice, err);
	out->rate_hz = synth_sample_rate(pb->synth);
	if (e->kind == PLAYBACK_TONE) {
		make_tone(pb, out);
	} else if (item_clip(&e->item)) {
		r = load_clip(pb, item_clip(&e->item), out, err, sizeof(err));
	} else {
		size_t n;
		char *const *lines = item_lines(&e->item, &n);
		if (e->sentence < n) {
			if (e->item.type == DIALOGUE_ITEM_PROMPT) {
				char *text = keymap_fill(e->speaker.set, lines[e->sentence],
							 e->item.topic, e->item.key);
				r = speak_text(pb, text, out, err, sizeof(err));
				free(text);
			} else {
				r = speak_text(pb, lines[e->sentence], out, err, sizeof(err));
			}
		}
	}
	if (r < 0) {
		/* A station keeps going: the sentence is skipped, the operator is told. */
		log_warn("cannot say %s: %s", e->kind == PLAYBACK_ITEM ? e->item.entry->id : "tone",
			 err);
		pcm_done(out);
		return;
	}
	if (pb->gain != 1.0)
		pcm_scale(out, pb->gain);
	/* A pause between sentences, a slightly shorter one between items. */
	if (e->sentence + 1 < e->n_sentences)
		append_silence(out, pb->sentence_pause_s);
	else if (!last)
		append_silence(out, pb->item_gap_s);
	pb->cur_pos = 0;
	pb->have_cur = out->n > 0;
}

bool playback_active(const struct playback *pb)
{
	return pb->have_cur || pb->pos < pb->n;
}

void playback_clear(struct playback *pb)
{
	pb->n = pb->pos = 0;
	pcm_done(&pb->cur);
	pb->have_cur = false;
}

void playback_add(struct playback *pb, enum playback_kind kind, const struct dialogue_item *it)
{
	if (pb->pos == pb->n)
		pb->n = pb->pos = 0;
	size_t n = 1;
	if (it && !item_clip(it)) {
		item_lines(it, &n);
		if (n == 0)
			return;
	}
	for (size_t i = 0; i < n && pb->n < PLAYBACK_QUEUE_MAX; i++) {
		struct playback_entry *e = &pb->queue[pb->n++];
		*e = (struct playback_entry){
			.kind = kind, .sentence = i, .n_sentences = n, .speaker = pb->speaker
		};
		if (it)
			e->item = *it;
	}
}

void playback_fill(struct playback *pb)
{
	while (!pb->have_cur && pb->pos < pb->n) {
		size_t i = pb->pos++;
		prepare_entry(pb, &pb->queue[i], pb->pos == pb->n);
	}
}

bool playback_next(struct playback *pb, int block_ms, const int16_t **samples, size_t *n,
		   int *rate_hz)
{
	playback_fill(pb);
	if (!pb->have_cur)
		return false;
	int rate = pb->cur.rate_hz;
	size_t block = (size_t)rate * (size_t)block_ms / 1000;
	if (block == 0)
		block = 1;
	size_t left = pb->cur.n - pb->cur_pos;
	*samples = pb->cur.samples + pb->cur_pos;
	*n = left < block ? left : block;
	*rate_hz = rate;
	return true;
}

void playback_advance(struct playback *pb, size_t played)
{
	pb->cur_pos += played;
	if (pb->cur_pos >= pb->cur.n) {
		pcm_done(&pb->cur);
		pb->have_cur = false;
	}
}
