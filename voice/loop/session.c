#include "session.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "json.h"
#include "log.h"
#include "phonemes.h"

/* The loop's step: 20 ms of microphone, or 20 ms of reply, at a time. Short enough that a key
 * stops speech at once, long enough that a conversation of minutes costs little. */
#define BLOCK_MS 20
#define IN_BLOCK (AUDIO_RATE_HZ * BLOCK_MS / 1000)
#define QUEUE_MAX 160
#define SAID_MAX 48
#define SAID_LEN 96
/* The listening tone: short, soft, and not a pitch a voice keeps (so it is not "speech"). */
#define TONE_HZ 880.0
#define TONE_MS 120
#define TONE_AMPLITUDE 3000.0
/* Before a turn (converse --turns): a little silence, so the endpointer has pre-roll. */
#define TURN_LEAD_S 0.2

enum entry_kind { ENTRY_ITEM, ENTRY_TONE };

/* One sentence of an item (or a whole clip, or the tone): synthesised just before it plays, so
 * the first sound of a reply waits for one sentence, not for the whole answer. */
struct entry {
	enum entry_kind kind;
	struct dialogue_item item;
	size_t sentence, n_sentences;
};

/* One line of the log: one event the person caused (or the start), and what was said back. */
struct turn_log {
	bool open;
	int number;
	const char *event; /* "start", "speech", "key", "silence" */
	bool has_speech;
	double speech_start_s, speech_end_s;
	double endpoint_s;
	bool has_heard;
	char heard[512];
	char intent[128];
	bool has_intent;
	double confidence;
	const char *decision;
	char key[KEYPAD_KEY_MAX];
	bool has_key;
	char said[SAID_MAX][SAID_LEN];
	size_t n_said;
	bool has_compute;
	double compute_ms;
	bool has_decode;
	double decode_ms; /* of compute_ms, the recogniser's share */
	bool has_speculative;
	double speculative_ms; /* wall time of the speculative decode whose result was used */
	int speculated;        /* speculative decodes run since the turn before */
	bool interrupted;
	bool reset;
};

/* The utterance heard so far, decoded ahead of the endpoint on a worker thread. While `running`,
 * the worker owns the recogniser, `pcm` and `result`; the loop touches none of them until it has
 * joined (spec_join). One decoder: a new decode starts only after the last one was joined. */
struct speculation {
	pthread_t thread;
	bool running;
	atomic_bool done;       /* the worker has finished: joining will not wait */
	int16_t *pcm;           /* the utterance it decodes (a copy: the endpointer's changes) */
	size_t n, cap;
	uint64_t end_sample;    /* the end of speech it assumes */
	unsigned dialogue_gen;  /* the dialogue's state it was decoded for */
	struct recognition result;
	int rc;
	double wall_ms;
	bool valid;             /* joined, and result holds the decode of (end_sample, gen) */
	/* A pause heard while the worker was busy: decoded when it finishes, if still current. */
	int16_t *next_pcm;
	size_t next_n, next_cap;
	uint64_t next_end;
	unsigned next_gen;
	bool next_pending;
};

struct session {
	struct session_config cfg;
	struct session_key *keys;
	size_t n_keys, next_key;
	const struct script_set *set;
	struct recogniser *rec;
	struct synth *synth;
	struct audio_source *src;
	struct audio_sink *sink;
	struct dialogue *dlg;
	struct endpointer *ep;

	bool started, exited, failed;
	bool narrowband_told; /* the sound lacks the band above 4 kHz: said once */

	struct speculation spec;
	unsigned dialogue_gen; /* counts the events given to the dialogue */
	int speculated;        /* speculative decodes run since the last turn began */

	/* What is being said: the queue of items, and the current one's samples. */
	struct entry queue[QUEUE_MAX];
	size_t q_n, q_pos;
	struct pcm cur;
	size_t cur_pos;
	bool have_cur;
	bool notify_done;    /* tell the dialogue PLAYBACK_DONE when the queue is empty */
	bool listen_pending; /* start listening when the queue is empty */
	double in_owed;      /* microphone samples owed for reply written (simulated) */

	/* converse --turns */
	size_t next_turn;
	uint64_t appended;   /* samples given to the memory source */
	uint64_t consumed;   /* samples read from the source */
	bool source_dry;

	/* A key caught by the sink's abort check (live), handled after the write returns. */
	char caught_key[KEYPAD_KEY_MAX];
	bool has_caught_key;

	double sentence_pause_s;
	double t_created;
	double t_decision;
	bool measuring;
	struct turn_log turn, prev;
	int turn_no;
	int n_recorded;
	struct session_stats stats;

	int16_t inbuf[4096];
};

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void session_config_defaults(struct session_config *config)
{
	*config = (struct session_config){
		.realtime = false, .turn_gap_s = 1.0, .item_gap_s = 0.3, .speculate = true
	};
	dialogue_config_defaults(&config->dialogue);
	endpointer_config_defaults(&config->endpointer);
	/* The synthesiser's rate bounds, in steps from its default. */
	config->dialogue.rate_step_min =
		-((SYNTH_RATE_DEFAULT - SYNTH_RATE_MIN + SYNTH_RATE_STEP - 1) / SYNTH_RATE_STEP);
	config->dialogue.rate_step_max =
		(SYNTH_RATE_MAX - SYNTH_RATE_DEFAULT + SYNTH_RATE_STEP - 1) / SYNTH_RATE_STEP;
}

static int cmp_key(const void *a, const void *b)
{
	const struct session_key *x = a, *y = b;
	return x->at_s < y->at_s ? -1 : x->at_s > y->at_s;
}

int session_keys_parse(const char *text, struct session_key **out, char *err, size_t errlen)
{
	*out = NULL;
	struct session_key *keys = NULL;
	int n = 0;
	char *copy = xstrdup(text ? text : "");
	char *save = NULL;
	for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		while (*tok == ' ')
			tok++;
		char *colon = strchr(tok, ':');
		char *end = NULL;
		double at = colon ? strtod(tok, &end) : -1;
		const char *key = colon ? colon + 1 : "";
		size_t klen = strlen(key);
		while (klen > 0 && key[klen - 1] == ' ')
			klen--;
		if (!colon || end == tok || end != colon || !(at >= 0) || !isfinite(at) || klen == 0 ||
		    klen >= KEYPAD_KEY_MAX) {
			errf(err, errlen, -EINVAL,
			     "bad key '%s' in --keys (write SECONDS:KEY, e.g. \"2.5:6,9:*,12:backspace\")",
			     tok);
			free(keys);
			free(copy);
			return -EINVAL;
		}
		keys = xreallocarray(keys, (size_t)n + 1, sizeof(*keys));
		keys[n].at_s = at;
		snprintf(keys[n].key, sizeof(keys[n].key), "%.*s", (int)klen, key);
		n++;
	}
	free(copy);
	if (n == 0) {
		free(keys);
		return errf(err, errlen, -EINVAL,
			    "--keys is empty (write SECONDS:KEY, e.g. \"2.5:6,9:*\")");
	}
	*out = keys;
	return n;
}

/* --- the log --- */

static void json_double(FILE *f, const char *name, bool has, double v)
{
	fprintf(f, ",\"%s\":", name);
	if (has && isfinite(v))
		fprintf(f, "%.3f", v);
	else
		fputs("null", f);
}

static void turn_write(struct session *s, struct turn_log *t)
{
	if (!t->open)
		return;
	t->open = false;
	/* A station waiting for the next person hears silence all day: not a turn. */
	if (strcmp(t->event, "silence") == 0 && t->n_said == 0)
		return;
	s->stats.turns++;
	FILE *f = s->cfg.log;
	if (!f)
		return;
	fprintf(f, "{\"turn\":%d,\"event\":", t->number);
	json_write_string(f, t->event);
	json_double(f, "speech_start_s", t->has_speech, t->speech_start_s);
	json_double(f, "speech_end_s", t->has_speech, t->speech_end_s);
	json_double(f, "endpoint_s", true, t->endpoint_s);
	fputs(",\"heard\":", f);
	json_write_string(f, t->has_heard ? t->heard : NULL);
	fputs(",\"intent\":", f);
	json_write_string(f, t->has_intent ? t->intent : NULL);
	json_double(f, "confidence", t->has_heard, t->confidence);
	fputs(",\"decision\":", f);
	json_write_string(f, t->decision);
	fputs(",\"key\":", f);
	json_write_string(f, t->has_key ? t->key : NULL);
	fputs(",\"said\":[", f);
	for (size_t i = 0; i < t->n_said; i++) {
		if (i)
			fputc(',', f);
		json_write_string(f, t->said[i]);
	}
	fputc(']', f);
	json_double(f, "compute_ms", t->has_compute, t->compute_ms);
	json_double(f, "decode_ms", t->has_decode, t->decode_ms);
	json_double(f, "speculative_ms", t->has_speculative, t->speculative_ms);
	fprintf(f, ",\"speculated\":%d", t->speculated);
	fprintf(f, ",\"interrupted\":%s,\"reset\":%s}\n", t->interrupted ? "true" : "false",
		t->reset ? "true" : "false");
	fflush(f);
}

/* A new turn: the one before waits in `prev` until this event has been handled, because the
 * event may interrupt what that turn said. */
static void turn_begin(struct session *s, const char *event)
{
	turn_write(s, &s->prev);
	s->prev = s->turn;
	s->turn = (struct turn_log){ .open = true, .number = s->turn_no++, .event = event };
	s->turn.speculated = s->speculated;
	s->speculated = 0;
	s->turn.endpoint_s = (double)endpointer_position(s->ep) / AUDIO_RATE_HZ;
	s->t_decision = now_s();
	s->measuring = true;
}

/* --- saying things --- */

struct stream_ctx {
	struct session *s;
	struct pcm *out;
};

static void first_sample_ready(struct session *s)
{
	double t = now_s();
	if (s->stats.first_reply_wall_s == 0)
		s->stats.first_reply_wall_s = t - s->t_created;
	if (!s->measuring)
		return;
	s->measuring = false;
	double ms = (t - s->t_decision) * 1000.0;
	s->turn.has_compute = true;
	s->turn.compute_ms = ms;
	if (ms > s->stats.compute_ms_max)
		s->stats.compute_ms_max = ms;
	s->stats.compute_ms_sum += ms;
	s->stats.compute_n++;
}

static int on_chunk(void *userdata, const int16_t *samples, size_t n)
{
	struct stream_ctx *c = userdata;
	if (n == 0)
		return 0;
	c->out->samples = xreallocarray(c->out->samples, c->out->n + n, sizeof(int16_t));
	memcpy(c->out->samples + c->out->n, samples, n * sizeof(int16_t));
	c->out->n += n;
	return 0;
}

static int speak_text(struct session *s, const char *text, struct pcm *out, char *err,
		      size_t errlen)
{
	struct stream_ctx c = { .s = s, .out = out };
	out->rate_hz = synth_sample_rate(s->synth);
	int r = synth_speak_stream(s->synth, text, on_chunk, &c, err, errlen);
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

static void make_tone(struct session *s, struct pcm *out)
{
	int rate = synth_sample_rate(s->synth);
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

/* Turn the queue's next entry into samples (cur). */
static void prepare_entry(struct session *s, const struct entry *e, bool last)
{
	char err[256] = "";
	int r = 0;
	struct pcm *out = &s->cur;
	pcm_done(out);
	out->rate_hz = synth_sample_rate(s->synth);
	if (e->kind == ENTRY_TONE) {
		make_tone(s, out);
	} else if (item_clip(&e->item)) {
		r = audio_clip_load(item_clip(&e->item), out, err, sizeof(err));
	} else {
		size_t n;
		char *const *lines = item_lines(&e->item, &n);
		if (e->sentence < n) {
			if (e->item.type == DIALOGUE_ITEM_PROMPT) {
				char *text = script_fill(lines[e->sentence], e->item.topic);
				r = speak_text(s, text, out, err, sizeof(err));
				free(text);
			} else {
				r = speak_text(s, lines[e->sentence], out, err, sizeof(err));
			}
		}
	}
	if (r < 0) {
		/* A station keeps going: the sentence is skipped, the operator is told. */
		log_warn("cannot say %s: %s", e->kind == ENTRY_ITEM ? e->item.entry->id : "tone",
			 err);
		pcm_done(out);
		return;
	}
	/* A pause between sentences, a slightly shorter one between items. */
	if (e->sentence + 1 < e->n_sentences)
		append_silence(out, s->sentence_pause_s);
	else if (!last)
		append_silence(out, s->cfg.item_gap_s);
	s->cur_pos = 0;
	s->have_cur = out->n > 0;
}

static bool playing(const struct session *s)
{
	return s->have_cur || s->q_pos < s->q_n;
}

static void queue_clear(struct session *s)
{
	s->q_n = s->q_pos = 0;
	pcm_done(&s->cur);
	s->have_cur = false;
	s->notify_done = false;
	s->in_owed = 0;
}

static void queue_add(struct session *s, enum entry_kind kind, const struct dialogue_item *it)
{
	if (s->q_pos == s->q_n)
		s->q_n = s->q_pos = 0;
	size_t n = 1;
	if (it && !item_clip(it)) {
		item_lines(it, &n);
		if (n == 0)
			return;
	}
	for (size_t i = 0; i < n && s->q_n < QUEUE_MAX; i++) {
		struct entry *e = &s->queue[s->q_n++];
		*e = (struct entry){ .kind = kind, .sentence = i, .n_sentences = n };
		if (it)
			e->item = *it;
	}
}

/* Make sure there are samples to play, if anything is left to say. */
static void fill_current(struct session *s)
{
	while (!s->have_cur && s->q_pos < s->q_n) {
		size_t i = s->q_pos++;
		prepare_entry(s, &s->queue[i], s->q_pos == s->q_n);
	}
}

static void start_listening(struct session *s)
{
	s->listen_pending = false;
	endpointer_listen(s->ep);
}

/* --- the dialogue --- */

static void dispatch(struct session *s, const struct dialogue_event *ev);

static void do_action(struct session *s, const struct dialogue_action *a)
{
	switch (a->type) {
	case DIALOGUE_ACTION_STOP_SPEECH:
		audio_sink_stop(s->sink);
		queue_clear(s);
		s->listen_pending = false;
		if (s->prev.open)
			s->prev.interrupted = true;
		break;
	case DIALOGUE_ACTION_SAY:
		for (size_t i = 0; i < a->n_items; i++) {
			queue_add(s, ENTRY_ITEM, &a->items[i]);
			if (s->turn.n_said < SAID_MAX)
				dialogue_item_name(&a->items[i], s->turn.said[s->turn.n_said++],
						   SAID_LEN);
		}
		s->notify_done = true;
		s->listen_pending = false;
		if (!s->cfg.dialogue.voice_barge_in)
			endpointer_pause(s->ep);
		/* Say the first item now: its first sample ends the turn's compute time. */
		fill_current(s);
		break;
	case DIALOGUE_ACTION_TONE:
		queue_add(s, ENTRY_TONE, NULL);
		break;
	case DIALOGUE_ACTION_LISTEN:
		if (playing(s))
			s->listen_pending = true;
		else
			start_listening(s);
		break;
	case DIALOGUE_ACTION_RATE:
		synth_set_rate(s->synth, SYNTH_RATE_DEFAULT + a->rate_step * SYNTH_RATE_STEP);
		break;
	case DIALOGUE_ACTION_RESET:
		synth_set_rate(s->synth, SYNTH_RATE_DEFAULT);
		s->turn.reset = true;
		break;
	case DIALOGUE_ACTION_EXIT:
		s->exited = true;
		break;
	}
}

static void dispatch(struct session *s, const struct dialogue_event *ev)
{
	const struct dialogue_action *actions;
	size_t n = dialogue_handle(s->dlg, ev, &actions);
	/* Whatever was decoded ahead was decoded for the dialogue as it was. */
	s->dialogue_gen++;
	for (size_t i = 0; i < n; i++)
		do_action(s, &actions[i]);
	/* The turn before this one is complete now (interrupted or not). */
	turn_write(s, &s->prev);
}

static void handle_key(struct session *s, const char *key)
{
	turn_begin(s, "key");
	s->turn.has_key = true;
	snprintf(s->turn.key, sizeof(s->turn.key), "%s", key);
	dispatch(s, &(struct dialogue_event){ .type = DIALOGUE_EVENT_KEY, .key = key });
	s->measuring = playing(s);
}

static void record_utterance(struct session *s, const struct endpointer_event *ev)
{
	char path[4096], err[256];
	snprintf(path, sizeof(path), "%s/utterance-%04d.wav", s->cfg.record_dir, ++s->n_recorded);
	struct audio_sink *rec;
	if (audio_sink_open_file(path, AUDIO_RATE_HZ, &rec, err, sizeof(err)) < 0) {
		log_warn("cannot record the utterance: %s", err);
		return;
	}
	if (audio_sink_write(rec, ev->samples, ev->n, AUDIO_RATE_HZ, NULL, err, sizeof(err)) < 0)
		log_warn("cannot record the utterance: %s", err);
	audio_sink_destroy(rec);
}

/* Tell the recogniser what the dialogue waits for (a yes or no while confirming). */
static void expect_from_dialogue(struct session *s)
{
	recogniser_set_expect(s->rec, dialogue_confirming(s->dlg) ? INTENT_EXPECT_CONFIRM
								  : INTENT_EXPECT_ANY);
}

/* --- speculative decoding --- */

static void *spec_worker(void *arg)
{
	struct session *s = arg;
	struct speculation *sp = &s->spec;
	char err[256] = "";
	double t0 = now_s();
	sp->rc = recogniser_decode(s->rec, sp->pcm, sp->n, &sp->result, err, sizeof(err));
	sp->wall_ms = (now_s() - t0) * 1000.0;
	atomic_store(&sp->done, true);
	return NULL;
}

/* Wait for the worker, if one runs: afterwards the loop owns the recogniser again. */
static void spec_join(struct session *s)
{
	struct speculation *sp = &s->spec;
	if (!sp->running)
		return;
	pthread_join(sp->thread, NULL);
	sp->running = false;
	sp->valid = sp->rc == 0;
	struct session_stats *st = &s->stats;
	st->spec_n++;
	st->spec_ms_sum += sp->wall_ms;
	if (sp->wall_ms > st->spec_ms_max)
		st->spec_ms_max = sp->wall_ms;
	if (sp->wall_ms > st->spec_window_ms)
		st->spec_over_window++;
}

/* Forget a result that will not be used. */
static void spec_discard(struct session *s)
{
	if (s->spec.valid)
		s->stats.spec_discarded++;
	s->spec.valid = false;
}

static void copy_pcm(int16_t **dst, size_t *n, size_t *cap, const int16_t *src, size_t count)
{
	if (count > *cap) {
		*dst = xreallocarray(*dst, count, sizeof(**dst));
		*cap = count;
	}
	memcpy(*dst, src, count * sizeof(*src));
	*n = count;
}

/* Start decoding the pause waiting in next_*, if the worker is free and the pause still holds:
 * the person has not spoken since, and the dialogue is where it was. */
static void spec_poll(struct session *s)
{
	struct speculation *sp = &s->spec;
	if (sp->running) {
		if (!atomic_load(&sp->done))
			return;
		spec_join(s);
	}
	if (!sp->next_pending)
		return;
	sp->next_pending = false;
	if (!endpointer_in_speech(s->ep) || endpointer_speech_end(s->ep) != sp->next_end ||
	    sp->next_gen != s->dialogue_gen)
		return;
	spec_discard(s);
	/* Swap the buffers: the pause's copy becomes the worker's. */
	int16_t *pcm = sp->pcm;
	size_t cap = sp->cap;
	sp->pcm = sp->next_pcm;
	sp->n = sp->next_n;
	sp->cap = sp->next_cap;
	sp->next_pcm = pcm;
	sp->next_cap = cap;
	sp->end_sample = sp->next_end;
	sp->dialogue_gen = sp->next_gen;
	expect_from_dialogue(s);
	atomic_store(&sp->done, false);
	if (pthread_create(&sp->thread, NULL, spec_worker, s) != 0) {
		log_debug("no thread for a speculative decode: the endpoint decodes");
		return;
	}
	sp->running = true;
	s->speculated++;
	/* Simulated time does not run while the worker does: nothing to overlap with. Its wall time
	 * is reported against the window instead (session_stats). */
	if (!s->cfg.realtime)
		spec_join(s);
}

/* The person paused: what the endpoint will hand over if the quiet lasts is known now. */
static void speculate(struct session *s, const struct endpointer_event *ev)
{
	struct speculation *sp = &s->spec;
	copy_pcm(&sp->next_pcm, &sp->next_n, &sp->next_cap, ev->samples, ev->n);
	sp->next_end = ev->end_sample;
	sp->next_gen = s->dialogue_gen;
	sp->next_pending = true;
	spec_poll(s);
}

/* At the endpoint: the speculative result for this utterance, if there is one. */
static bool spec_take(struct session *s, const struct endpointer_event *ev,
		      struct recognition *r)
{
	struct speculation *sp = &s->spec;
	spec_join(s);
	sp->next_pending = false;
	if (!sp->valid || sp->end_sample != ev->end_sample || sp->dialogue_gen != s->dialogue_gen) {
		spec_discard(s);
		return false;
	}
	*r = sp->result;
	sp->valid = false;
	s->stats.spec_used++;
	return true;
}

static void handle_utterance(struct session *s, const struct endpointer_event *ev)
{
	turn_begin(s, "speech");
	s->stats.utterances++;
	struct turn_log *t = &s->turn;
	t->has_speech = true;
	t->speech_start_s = (double)ev->start_sample / AUDIO_RATE_HZ;
	t->speech_end_s = (double)ev->end_sample / AUDIO_RATE_HZ;
	t->endpoint_s = (double)ev->endpoint_sample / AUDIO_RATE_HZ;
	if (s->cfg.record_dir)
		record_utterance(s, ev);

	struct recognition r;
	memset(&r, 0, sizeof(r));
	r.kind = INTENT_NONE;
	r.decision = DECISION_REJECT;
	if (s->rec) {
		char err[256] = "";
		double t0 = now_s();
		int rr = 0;
		/* Live, this waits for a speculative decode still running: the wait is part of
		 * compute_ms, as it should be. */
		if (spec_take(s, ev, &r)) {
			t->has_speculative = true;
			t->speculative_ms = s->spec.wall_ms;
		} else {
			expect_from_dialogue(s);
			rr = recogniser_decode(s->rec, ev->samples, ev->n, &r, err, sizeof(err));
		}
		t->has_decode = true;
		t->decode_ms = (now_s() - t0) * 1000.0;
		if (rr < 0) {
			log_warn("cannot decode an utterance: %s", err);
			memset(&r, 0, sizeof(r));
			r.kind = INTENT_NONE;
			r.decision = DECISION_REJECT;
		}
	}
	log_debug("heard '%s' (%.2f s of audio, decoded in %.3f s cpu, %.3f s since the endpoint)",
		  r.heard, r.audio_s, r.compute_s, now_s() - s->t_decision);
	t->has_heard = true;
	snprintf(t->heard, sizeof(t->heard), "%s", r.heard);
	t->confidence = r.confidence;
	t->decision = recognition_decision_name(r.decision);
	t->has_intent = recognition_intent_name(&r, t->intent, sizeof(t->intent)) != NULL;
	dispatch(s, &(struct dialogue_event){ .type = DIALOGUE_EVENT_UTTERANCE,
					      .heard = r.heard,
					      .kind = r.kind,
					      .topic_id = r.topic_id,
					      .control = r.control,
					      .confidence = r.confidence,
					      .decision = r.decision });
	s->measuring = playing(s);
	/* Said once a run: every utterance from such a microphone is the same. Measured once the
	 * dialogue has the utterance, not between hearing it and deciding the reply. */
	if (!s->narrowband_told && s->rec &&
	    audio_high_band_db(ev->samples, ev->n) < AUDIO_NARROWBAND_DB) {
		s->narrowband_told = true;
		log_warn("%s: " AUDIO_NARROWBAND_ADVICE, s->src ? audio_source_name(s->src) : "input");
	}
}

static void handle_silence(struct session *s, const struct endpointer_event *ev)
{
	turn_begin(s, "silence");
	s->turn.endpoint_s = (double)ev->endpoint_sample / AUDIO_RATE_HZ;
	dispatch(s, &(struct dialogue_event){ .type = DIALOGUE_EVENT_SILENCE });
	s->measuring = playing(s);
}

/* --- the microphone --- */

/* Feed microphone samples to the endpointer and act on what it finds. */
static void feed(struct session *s, const int16_t *buf, size_t n)
{
	while (n > 0) {
		struct endpointer_event ev;
		size_t used = endpointer_feed(s->ep, buf, n, &ev);
		buf += used;
		n -= used;
		switch (ev.type) {
		case ENDPOINTER_UTTERANCE:
			handle_utterance(s, &ev);
			break;
		case ENDPOINTER_TIMEOUT:
			handle_silence(s, &ev);
			break;
		case ENDPOINTER_SPEECH_PAUSE:
			speculate(s, &ev);
			break;
		case ENDPOINTER_SPEECH_START:
		case ENDPOINTER_NONE:
			break;
		}
		if (used == 0 && ev.type == ENDPOINTER_NONE)
			break; /* cannot happen; never spin */
	}
	/* A pause that came while the worker was busy starts once it is free. */
	if (s->spec.running || s->spec.next_pending)
		spec_poll(s);
}

static void feed_silence(struct session *s, size_t n)
{
	static const int16_t zeros[IN_BLOCK];
	while (n > 0) {
		size_t k = n < IN_BLOCK ? n : IN_BLOCK;
		feed(s, zeros, k);
		n -= k;
	}
}

/* Keys due now: scheduled ones (simulated) or the keypad's (live). */
static void check_keys(struct session *s)
{
	if (s->has_caught_key) {
		s->has_caught_key = false;
		handle_key(s, s->caught_key);
	}
	double t = (double)endpointer_position(s->ep) / AUDIO_RATE_HZ;
	while (s->next_key < s->n_keys && s->keys[s->next_key].at_s <= t + 1e-9)
		handle_key(s, s->keys[s->next_key++].key);
	if (s->cfg.keypad) {
		char key[KEYPAD_KEY_MAX];
		double wall = now_s();
		/* Asking yes or no: 1 and 2 are answers, not the start of 10-12. */
		keypad_set_wait(s->cfg.keypad, !dialogue_confirming(s->dlg));
		while (keypad_read(s->cfg.keypad, (long)(wall * 1000.0), key, sizeof(key)) == 1)
			handle_key(s, key);
	}
}

/* Read up to `want` samples (simulated: exactly `want`, silence after the end). */
static int read_input(struct session *s, size_t want, char *err, size_t errlen)
{
	if (s->cfg.realtime) {
		/* The microphone runs on its own: take what has arrived. */
		for (;;) {
			size_t got = 0;
			int r = audio_source_read_available(s->src, s->inbuf,
							    sizeof(s->inbuf) / sizeof(s->inbuf[0]),
							    &got, err, errlen);
			if (r < 0)
				return r;
			if (got == 0)
				return 0;
			s->consumed += got;
			feed(s, s->inbuf, got);
		}
	}
	while (want > 0) {
		size_t max = sizeof(s->inbuf) / sizeof(s->inbuf[0]);
		size_t k = want < max ? want : max;
		size_t got = 0;
		if (s->cfg.n_turns > 0 && s->consumed >= s->appended)
			s->source_dry = true; /* every turn given so far has been heard */
		if (!s->source_dry) {
			int r = audio_source_read(s->src, s->inbuf, k, &got, err, errlen);
			if (r < 0)
				return r;
			if (got == 0)
				s->source_dry = true;
		}
		if (got < k)
			memset(s->inbuf + got, 0, (k - got) * sizeof(int16_t));
		s->consumed += got;
		feed(s, s->inbuf, k);
		want -= k;
	}
	return 0;
}

/* --- playing --- */

static int sink_abort(void *userdata)
{
	struct session *s = userdata;
	if (s->cfg.stop && *s->cfg.stop)
		return 1;
	if (s->cfg.keypad && !s->has_caught_key) {
		char key[KEYPAD_KEY_MAX];
		keypad_set_wait(s->cfg.keypad, !dialogue_confirming(s->dlg));
		if (keypad_read(s->cfg.keypad, (long)(now_s() * 1000.0), key, sizeof(key)) == 1) {
			snprintf(s->caught_key, sizeof(s->caught_key), "%s", key);
			s->has_caught_key = true;
			return 1;
		}
	}
	return 0;
}

/* Everything queued has been played: let the end be heard, then tell the dialogue. */
static int finish_playback(struct session *s, char *err, size_t errlen)
{
	int r = audio_sink_finish(s->sink, err, errlen);
	if (r < 0)
		return r;
	/* What the microphone caught while the end of the reply played is the reply (or its echo),
	 * not the person: take it in before listening starts. */
	if (s->cfg.realtime && (r = read_input(s, 0, err, errlen)) < 0)
		return r;
	if (s->cfg.stop && *s->cfg.stop)
		return 0;
	if (s->has_caught_key) {
		/* Interrupted while the tail played: the key decides what comes next. */
		check_keys(s);
		return 0;
	}
	bool notify = s->notify_done;
	s->notify_done = false;
	s->q_n = s->q_pos = 0;
	if (notify)
		dispatch(s, &(struct dialogue_event){ .type = DIALOGUE_EVENT_PLAYBACK_DONE });
	if (!playing(s)) {
		/* All the turn said has been heard: nothing can interrupt it now, so log it now
		 * (a station's log is then never a turn behind). */
		turn_write(s, &s->turn);
		if (s->listen_pending)
			start_listening(s);
	}
	return 0;
}

/* Play one block of the reply and let the same time pass on the microphone. */
static int play_block(struct session *s, char *err, size_t errlen)
{
	fill_current(s);
	if (!s->have_cur)
		return finish_playback(s, err, errlen);
	int rate = s->cur.rate_hz;
	size_t block = (size_t)rate * BLOCK_MS / 1000;
	if (block == 0)
		block = 1;
	size_t n = s->cur.n - s->cur_pos;
	if (n > block)
		n = block;
	size_t played = n;
	/* The reply's first sample goes out now: that ends the turn's compute time. */
	first_sample_ready(s);
	int r = audio_sink_write(s->sink, s->cur.samples + s->cur_pos, n, rate, &played, err,
				 errlen);
	if (r < 0)
		return r;
	s->cur_pos += played;
	s->stats.reply_s += (double)played / rate;
	if (s->cur_pos >= s->cur.n) {
		pcm_done(&s->cur);
		s->have_cur = false;
	}
	s->in_owed += (double)played * AUDIO_RATE_HZ / rate;
	size_t want = (size_t)s->in_owed;
	s->in_owed -= (double)want;
	r = read_input(s, want, err, errlen);
	if (r < 0)
		return r;
	check_keys(s);
	return 0;
}

/* --- listening --- */

static void deliver_turn(struct session *s)
{
	const struct session_turn *t = &s->cfg.turns[s->next_turn++];
	char err[256];
	size_t lead = (size_t)lrint(TURN_LEAD_S * AUDIO_RATE_HZ);
	size_t gap = (size_t)lrint(s->cfg.turn_gap_s * AUDIO_RATE_HZ);
	size_t body = t->samples ? t->n : (size_t)lrint(t->silence_s * AUDIO_RATE_HZ);
	size_t total = t->samples ? lead + body + gap : body;
	int16_t *buf = xcalloc(total ? total : 1, sizeof(int16_t));
	if (t->samples)
		memcpy(buf + lead, t->samples, t->n * sizeof(int16_t));
	if (audio_source_memory_append(s->src, buf, total, AUDIO_RATE_HZ, err, sizeof(err)) < 0)
		log_warn("cannot deliver turn %s: %s", t->name ? t->name : "", err);
	else
		s->appended += total;
	s->source_dry = false;
	free(buf);
	log_debug("turn %zu (%s) delivered at %.2f s", s->next_turn,
		  t->name ? t->name : "silence", (double)endpointer_position(s->ep) / AUDIO_RATE_HZ);
}

/* Listen for one block. Returns 1 when the (simulated) input has ended. */
static int listen_block(struct session *s, char *err, size_t errlen)
{
	if (s->cfg.realtime) {
		size_t got = 0;
		int r = audio_source_read(s->src, s->inbuf, IN_BLOCK, &got, err, errlen);
		if (r < 0)
			return r;
		s->consumed += got;
		feed(s, s->inbuf, got);
		check_keys(s);
		return 0;
	}
	/* Turns: the next one when the assistant listens and the last one has been heard. */
	if (s->next_turn < s->cfg.n_turns && dialogue_listening(s->dlg) &&
	    s->consumed >= s->appended)
		deliver_turn(s);
	size_t got = 0;
	if (s->cfg.n_turns > 0 && s->consumed >= s->appended)
		s->source_dry = true;
	if (!s->source_dry) {
		int r = audio_source_read(s->src, s->inbuf, IN_BLOCK, &got, err, errlen);
		if (r < 0)
			return r;
		if (got == 0)
			s->source_dry = true;
	}
	if (got > 0) {
		s->consumed += got;
		feed(s, s->inbuf, got);
		check_keys(s);
		return 0;
	}
	/* The recording has ended. Let an utterance in progress end as if the person had stopped,
	 * and let keys still scheduled arrive; then the conversation is over. */
	if (endpointer_in_speech(s->ep)) {
		feed_silence(s, (size_t)s->cfg.endpointer.trailing_silence_ms * AUDIO_RATE_HZ / 1000 +
					IN_BLOCK);
		check_keys(s);
		return 0;
	}
	if (s->next_key < s->n_keys) {
		feed_silence(s, IN_BLOCK);
		check_keys(s);
		return 0;
	}
	return 1;
}

/* --- the session --- */

int session_create(const struct session_config *config, const struct script_set *set,
		   struct recogniser *rec, struct synth *synth, struct audio_source *src,
		   struct audio_sink *sink, struct session **out, char *err, size_t errlen)
{
	*out = NULL;
	if (!set || !synth || !src || !sink)
		return errf(err, errlen, -EINVAL,
			    "a session needs scripts, a synthesiser, a source and a sink");
	struct session *s = xcalloc(1, sizeof(*s));
	s->t_created = now_s();
	if (config)
		s->cfg = *config;
	else
		session_config_defaults(&s->cfg);
	s->cfg.endpointer.rate_hz = AUDIO_RATE_HZ;
	s->cfg.endpointer.pause_events = s->cfg.speculate && rec;
	s->stats.spec_window_ms =
		s->cfg.endpointer.trailing_silence_ms - s->cfg.endpointer.kept_silence_ms;
	struct synth_config sc;
	synth_config_defaults(&sc);
	s->sentence_pause_s = sc.sentence_pause_ms / 1000.0;
	s->set = set;
	s->rec = rec;
	s->synth = synth;
	s->src = src;
	s->sink = sink;
	int r;
	if (s->cfg.n_keys > 0) {
		s->keys = xcalloc(s->cfg.n_keys, sizeof(*s->keys));
		memcpy(s->keys, s->cfg.keys, s->cfg.n_keys * sizeof(*s->keys));
		qsort(s->keys, s->cfg.n_keys, sizeof(*s->keys), cmp_key);
		s->n_keys = s->cfg.n_keys;
	}
	s->cfg.keys = NULL;
	if ((r = dialogue_create(set, &s->cfg.dialogue, &s->dlg, err, errlen)) < 0)
		goto fail;
	if ((r = endpointer_create(&s->cfg.endpointer, &s->ep, err, errlen)) < 0)
		goto fail;
	/* Nothing is heard until the dialogue asks to listen. */
	endpointer_pause(s->ep);
	s->stats.endpoint_window_s = s->cfg.endpointer.trailing_silence_ms / 1000.0;
	audio_sink_set_abort(sink, sink_abort, s);
	*out = s;
	return 0;
fail:
	session_destroy(s);
	return r;
}

void session_destroy(struct session *s)
{
	if (!s)
		return;
	spec_join(s);
	free(s->spec.pcm);
	free(s->spec.next_pcm);
	turn_write(s, &s->prev);
	turn_write(s, &s->turn);
	if (s->sink)
		audio_sink_set_abort(s->sink, NULL, NULL);
	pcm_done(&s->cur);
	dialogue_destroy(s->dlg);
	endpointer_destroy(s->ep);
	free(s->keys);
	free(s);
}

bool session_exited(const struct session *s)
{
	return s->exited;
}

void session_get_stats(const struct session *s, struct session_stats *out)
{
	*out = s->stats;
	out->conversation_s = (double)endpointer_position(s->ep) / AUDIO_RATE_HZ;
}

int session_run(struct session *s, char *err, size_t errlen)
{
	if (!s->started) {
		s->started = true;
		turn_begin(s, "start");
		dispatch(s, &(struct dialogue_event){ .type = DIALOGUE_EVENT_START });
	} else if (s->failed) {
		/* Back after a device failure: what was being said is gone; listen. */
		s->failed = false;
		bool was_speaking = dialogue_speaking(s->dlg);
		queue_clear(s);
		if (was_speaking)
			dispatch(s, &(struct dialogue_event){
					    .type = DIALOGUE_EVENT_PLAYBACK_INTERRUPTED });
		else if (s->listen_pending)
			start_listening(s);
	}
	int r = 0;
	while (!s->exited) {
		if (s->cfg.stop && *s->cfg.stop)
			break;
		if (!s->cfg.realtime && s->cfg.max_seconds > 0 &&
		    (double)endpointer_position(s->ep) / AUDIO_RATE_HZ >= s->cfg.max_seconds)
			break;
		if (playing(s) || s->notify_done || s->listen_pending) {
			r = play_block(s, err, errlen);
		} else {
			r = listen_block(s, err, errlen);
			if (r == 1) {
				r = 0;
				break;
			}
		}
		if (r < 0) {
			s->failed = true;
			/* The caller may use the recogniser before it calls again. */
			spec_join(s);
			return r;
		}
	}
	spec_join(s);
	/* Let the goodbye (or whatever was said last) be heard to the end. */
	if (s->exited)
		audio_sink_finish(s->sink, NULL, 0);
	turn_write(s, &s->prev);
	turn_write(s, &s->turn);
	return 0;
}

int session_assets_load(const struct session_assets_config *config, struct session_assets *out,
			struct diag *d, char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	int r = script_set_load(config->scripts_dir, config->user_scripts_dir, &out->set, d);
	if (r < 0) {
		errf(err, errlen, r, "the scripts cannot be loaded (fix the errors above)");
		goto fail;
	}
	r = lexicon_load(config->lexicon_dir, NULL, &out->lex, d);
	if (r < 0) {
		errf(err, errlen, r, "the lexicon cannot be loaded (fix the errors above)");
		goto fail;
	}
	struct synth_config sc;
	synth_config_defaults(&sc);
	if ((r = synth_create(&sc, out->lex, &out->synth, err, errlen)) < 0)
		goto fail;
	if (!config->no_recogniser) {
		struct recogniser_config rc;
		recogniser_config_defaults(&rc);
		rc.acoustic_model = config->acoustic_model;
		rc.dictionary = config->dictionary;
		rc.scratch_parent = config->scratch_parent;
		rc.verbose = config->verbose;
		/* As `talkleaf ask`: words neither the dictionary nor the lexicon knows get eSpeak
		 * NG's pronunciation, so live, converse and ask hear alike. */
		rc.pronounce = phonemes_pronounce;
		rc.pronounce_data = out->synth;
		rc.accent = phonemes_pronounce_british;
		if ((r = recogniser_create(&rc, out->set, out->lex, &out->rec, d, err, errlen)) < 0)
			goto fail;
	}
	return 0;
fail:
	session_assets_done(out);
	return r;
}

void session_assets_done(struct session_assets *assets)
{
	recogniser_destroy(assets->rec);
	synth_destroy(assets->synth);
	lexicon_destroy(assets->lex);
	script_set_destroy(assets->set);
	memset(assets, 0, sizeof(*assets));
}
