/* Endpointing by frame energy against an adaptive noise floor (see endpointer.h).
 *
 * The floor is "minimum statistics": the quietest frame energy of the last floor_window_ms.
 * Speech has gaps (between words, syllables), so while someone talks the window minimum stays
 * near the room's real noise; a steady sound (fan, hum, a vacuum cleaner) has no gaps, so after
 * one window it becomes the floor and stops counting as speech. A television has gaps too, so
 * it keeps counting as speech: the maximum utterance length cuts it. The floor falls at once to
 * a quieter minimum and rises at most floor_rise_db_s, so one loud window cannot lift it far. */
#include "endpointer.h"

#include "audio.h"
#include "log.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define FLOOR_MIN_DB -80.0 /* digital silence is clamped here */
#define FLOOR_BLOCKS 16    /* the window is kept as this many block minima */
/* Frame powers averaged for the decisions: single 10 ms frames of noise with low frequencies in
 * it (pink noise, a fan's rumble) swing by +-8 dB, enough to keep resetting the trailing-silence
 * count; over 30 ms the swing halves. */
#define SMOOTH_FRAMES 3
/* The energy is measured after a high-pass filter (two one-pole sections at this frequency):
 * a cheap microphone's DC offset, mains hum and the rumble of traffic or a fan carry much power
 * and little speech. The utterance's samples themselves are not filtered. */
#define HIGHPASS_HZ 120.0

enum ep_state { EP_IDLE, EP_LISTENING, EP_SPEECH };

struct endpointer {
	struct endpointer_config c;
	size_t frame;          /* samples per frame */
	int16_t *acc;          /* the frame being filled */
	size_t acc_n;
	uint64_t pos;          /* samples consumed */
	uint64_t frame_pos;    /* position of the first sample of `acc` */

	/* The last samples, for the pre-roll: pre[i % pre_cap] holds sample i. */
	int16_t *pre;
	size_t pre_cap;

	/* Noise floor. */
	double floor;
	bool floor_init;
	double block_min[FLOOR_BLOCKS];
	int n_blocks, next_block;
	int block_frames, block_count;
	double cur_min;
	double power[SMOOTH_FRAMES]; /* last frame powers (linear), for the smoothed energy */
	int n_power, next_power;
	double hp_a;                 /* high-pass coefficient */
	double hp_x1[2], hp_y1[2];   /* its state: previous input and output of each section */

	enum ep_state state;
	uint64_t listen_start;
	int above_run;
	uint64_t above_start;
	uint64_t speech_start, first_sample, last_loud_end;
	double peak_db; /* loudest smoothed frame since the utterance started */
	int quiet_run;
	int start_frames, trailing_frames;
	int pause_frames; /* quiet frames that hold kept_silence_ms (at least one) */

	int16_t *utt;
	size_t utt_n, utt_cap;
};

void endpointer_config_defaults(struct endpointer_config *c)
{
	memset(c, 0, sizeof(*c));
	c->rate_hz = AUDIO_RATE_HZ;
	c->frame_ms = 10;
	c->preroll_ms = 300;
	c->start_ms = 60;
	c->trailing_silence_ms = 700;
	c->kept_silence_ms = 200;
	c->pause_events = false;
	c->max_utterance_ms = 10000;
	c->no_speech_timeout_ms = 8000;
	c->start_db = 12;
	c->end_db = 8;
	c->end_below_peak_db = 15;
	c->min_speech_db = -55;
	c->floor_rise_db_s = 20;
	c->floor_window_ms = 1500;
	c->min_speech_ms = 150;
}

int endpointer_create(const struct endpointer_config *config, struct endpointer **out, char *err,
		      size_t errlen)
{
	*out = NULL;
	const struct endpointer_config *c = config;
	if (c->rate_hz < 1000 || c->frame_ms < 1 || c->frame_ms > 100 || c->preroll_ms < 0 ||
	    c->start_ms < 0 || c->trailing_silence_ms < c->frame_ms || c->kept_silence_ms < 0 ||
	    c->max_utterance_ms < 100 ||
	    c->no_speech_timeout_ms < 0 || c->min_speech_ms < 0 || c->floor_rise_db_s < 0 ||
	    c->floor_window_ms < c->frame_ms || c->end_db > c->start_db || c->end_below_peak_db < 0)
		return errf(err, errlen, -EINVAL,
			    "endpointer: invalid settings (times must be positive, the trailing "
			    "silence at least one frame, the kept silence and end_below_peak_db not "
			    "negative, end_db at most start_db)");
	struct endpointer *ep = xcalloc(1, sizeof(*ep));
	ep->c = *c;
	ep->frame = (size_t)c->rate_hz * (size_t)c->frame_ms / 1000;
	ep->acc = xcalloc(ep->frame, sizeof(*ep->acc));
	ep->pre_cap = (size_t)c->rate_hz * (size_t)(c->preroll_ms + c->start_ms) / 1000 +
		      2 * ep->frame;
	ep->pre = xcalloc(ep->pre_cap, sizeof(*ep->pre));
	ep->start_frames = c->start_ms / c->frame_ms;
	if (ep->start_frames < 1)
		ep->start_frames = 1;
	ep->trailing_frames = c->trailing_silence_ms / c->frame_ms;
	ep->pause_frames = (c->kept_silence_ms + c->frame_ms - 1) / c->frame_ms;
	if (ep->pause_frames < 1)
		ep->pause_frames = 1;
	ep->block_frames = c->floor_window_ms / c->frame_ms / FLOOR_BLOCKS;
	if (ep->block_frames < 1)
		ep->block_frames = 1;
	ep->cur_min = INFINITY;
	ep->floor = FLOOR_MIN_DB;
	ep->hp_a = exp(-2.0 * M_PI * HIGHPASS_HZ / c->rate_hz);
	ep->state = EP_LISTENING;
	*out = ep;
	return 0;
}

void endpointer_destroy(struct endpointer *ep)
{
	if (!ep)
		return;
	free(ep->acc);
	free(ep->pre);
	free(ep->utt);
	free(ep);
}

/* Energy in dBFS of the frame averaged with the frames before it (SMOOTH_FRAMES). */
static double frame_db(struct endpointer *ep, const int16_t *x, size_t n)
{
	double sum = 0, a = ep->hp_a;
	for (size_t i = 0; i < n; i++) {
		double v = x[i];
		for (int k = 0; k < 2; k++) {
			double y = a * (ep->hp_y1[k] + v - ep->hp_x1[k]);
			ep->hp_x1[k] = v;
			ep->hp_y1[k] = y;
			v = y;
		}
		sum += v * v;
	}
	ep->power[ep->next_power] = sum / (double)n / (32768.0 * 32768.0);
	ep->next_power = (ep->next_power + 1) % SMOOTH_FRAMES;
	if (ep->n_power < SMOOTH_FRAMES)
		ep->n_power++;
	double mean = 0;
	for (int i = 0; i < ep->n_power; i++)
		mean += ep->power[i];
	return 10.0 * log10(mean / ep->n_power + 1e-12);
}

static void floor_update(struct endpointer *ep, double e)
{
	if (e < FLOOR_MIN_DB)
		e = FLOOR_MIN_DB;
	if (!ep->floor_init) {
		ep->floor = e;
		ep->floor_init = true;
	}
	if (e < ep->cur_min)
		ep->cur_min = e;
	if (++ep->block_count == ep->block_frames) {
		ep->block_min[ep->next_block] = ep->cur_min;
		ep->next_block = (ep->next_block + 1) % FLOOR_BLOCKS;
		if (ep->n_blocks < FLOOR_BLOCKS)
			ep->n_blocks++;
		ep->cur_min = INFINITY;
		ep->block_count = 0;
	}
	double m = ep->cur_min;
	for (int i = 0; i < ep->n_blocks; i++)
		if (ep->block_min[i] < m)
			m = ep->block_min[i];
	/* Until a whole window has been seen, a quiet start must not hold the floor too low: the
	 * minimum so far is all there is. */
	if (m < ep->floor) {
		ep->floor = m;
	} else {
		double step = ep->c.floor_rise_db_s * ep->c.frame_ms / 1000.0;
		ep->floor += m - ep->floor < step ? m - ep->floor : step;
	}
}

static void pre_push(struct endpointer *ep, const int16_t *x, size_t n, uint64_t at)
{
	for (size_t i = 0; i < n; i++)
		ep->pre[(at + i) % ep->pre_cap] = x[i];
}

static void utt_append(struct endpointer *ep, const int16_t *x, size_t n)
{
	if (ep->utt_n + n > ep->utt_cap) {
		size_t cap = ep->utt_cap ? ep->utt_cap : AUDIO_RATE_HZ; /* a second */
		while (cap < ep->utt_n + n)
			cap *= 2;
		ep->utt = xreallocarray(ep->utt, cap, sizeof(*ep->utt));
		ep->utt_cap = cap;
	}
	memcpy(ep->utt + ep->utt_n, x, n * sizeof(*x));
	ep->utt_n += n;
}

/* The utterance so far as UTTERANCE and SPEECH_PAUSE hand it over: pre-roll, speech, and up to
 * kept_silence_ms after the end of speech `end`. */
static void utterance_event(struct endpointer *ep, struct endpointer_event *ev, uint64_t end)
{
	ev->start_sample = ep->speech_start;
	ev->end_sample = end;
	ev->first_sample = ep->first_sample;
	ev->samples = ep->utt;
	uint64_t keep = end - ep->first_sample +
			(uint64_t)ep->c.rate_hz * (uint64_t)ep->c.kept_silence_ms / 1000;
	ev->n = keep < ep->utt_n ? (size_t)keep : ep->utt_n;
}

/* Process the frame in acc (at frame_pos); fill ev and return true on an event. */
static bool process_frame(struct endpointer *ep, struct endpointer_event *ev)
{
	const struct endpointer_config *c = &ep->c;
	uint64_t at = ep->frame_pos, end = at + ep->frame;
	double e = frame_db(ep, ep->acc, ep->frame);
	floor_update(ep, e);
	pre_push(ep, ep->acc, ep->frame, at);

	double start_thr = fmax(ep->floor + c->start_db, c->min_speech_db);
	double end_thr = fmax(ep->floor + c->end_db, c->min_speech_db);
	if (ep->state == EP_SPEECH && c->end_below_peak_db > 0) {
		if (e > ep->peak_db)
			ep->peak_db = e;
		end_thr = fmax(end_thr, ep->peak_db - c->end_below_peak_db);
	}
	memset(ev, 0, sizeof(*ev));
	ev->noise_floor_db = ep->floor;
	ev->endpoint_sample = end;

	switch (ep->state) {
	case EP_IDLE:
		return false;
	case EP_LISTENING:
		if (e >= start_thr) {
			if (ep->above_run++ == 0)
				ep->above_start = at;
		} else {
			ep->above_run = 0;
		}
		if (ep->above_run >= ep->start_frames) {
			uint64_t pre = (uint64_t)c->rate_hz * (uint64_t)c->preroll_ms / 1000;
			uint64_t first = ep->above_start > pre ? ep->above_start - pre : 0;
			uint64_t oldest = end > ep->pre_cap ? end - ep->pre_cap : 0;
			if (first < oldest)
				first = oldest;
			ep->utt_n = 0;
			for (uint64_t i = first; i < end; i++)
				utt_append(ep, &ep->pre[i % ep->pre_cap], 1);
			ep->state = EP_SPEECH;
			ep->peak_db = e;
			ep->speech_start = ep->above_start;
			ep->first_sample = first;
			ep->last_loud_end = end;
			ep->quiet_run = 0;
			ev->type = ENDPOINTER_SPEECH_START;
			ev->start_sample = ep->speech_start;
			ev->first_sample = first;
			return true;
		}
		if (c->no_speech_timeout_ms > 0 && ep->above_run == 0 &&
		    end - ep->listen_start >=
			    (uint64_t)c->rate_hz * (uint64_t)c->no_speech_timeout_ms / 1000) {
			ep->state = EP_IDLE;
			ev->type = ENDPOINTER_TIMEOUT;
			return true;
		}
		return false;
	case EP_SPEECH:
		utt_append(ep, ep->acc, ep->frame);
		if (e >= end_thr) {
			ep->last_loud_end = end;
			ep->quiet_run = 0;
		} else {
			ep->quiet_run++;
		}
		bool cut = end - ep->speech_start >=
			   (uint64_t)c->rate_hz * (uint64_t)c->max_utterance_ms / 1000;
		bool click = ep->last_loud_end - ep->speech_start <
			     (uint64_t)c->rate_hz * (uint64_t)c->min_speech_ms / 1000;
		if (c->pause_events && !cut && !click && ep->quiet_run == ep->pause_frames &&
		    ep->quiet_run < ep->trailing_frames) {
			ev->type = ENDPOINTER_SPEECH_PAUSE;
			utterance_event(ep, ev, ep->last_loud_end);
			return true;
		}
		if (ep->quiet_run >= ep->trailing_frames || cut) {
			if (!cut && click) {
				/* A click: keep listening, the no-speech clock still runs. */
				ep->state = EP_LISTENING;
				ep->above_run = 0;
				ep->utt_n = 0;
				return false;
			}
			ep->state = EP_IDLE;
			ev->type = ENDPOINTER_UTTERANCE;
			utterance_event(ep, ev, cut ? end : ep->last_loud_end);
			ev->cut = cut;
			return true;
		}
		return false;
	}
	return false;
}

size_t endpointer_feed(struct endpointer *ep, const int16_t *samples, size_t n,
		       struct endpointer_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->type = ENDPOINTER_NONE;
	size_t used = 0;
	while (used < n) {
		size_t k = ep->frame - ep->acc_n;
		if (k > n - used)
			k = n - used;
		memcpy(ep->acc + ep->acc_n, samples + used, k * sizeof(*samples));
		ep->acc_n += k;
		used += k;
		ep->pos += k;
		if (ep->acc_n < ep->frame)
			break;
		bool event = process_frame(ep, ev);
		ep->frame_pos += ep->frame;
		ep->acc_n = 0;
		if (event)
			return used;
	}
	ev->type = ENDPOINTER_NONE;
	ev->noise_floor_db = ep->floor;
	ev->endpoint_sample = ep->pos;
	return used;
}

void endpointer_listen(struct endpointer *ep)
{
	ep->state = EP_LISTENING;
	ep->listen_start = ep->pos;
	ep->above_run = 0;
	ep->utt_n = 0;
}

void endpointer_listen_on(struct endpointer *ep)
{
	uint64_t start = ep->listen_start;
	endpointer_listen(ep);
	ep->listen_start = start;
}

void endpointer_pause(struct endpointer *ep)
{
	ep->state = EP_IDLE;
	ep->above_run = 0;
	ep->utt_n = 0;
}

bool endpointer_listening(const struct endpointer *ep)
{
	return ep->state != EP_IDLE;
}

bool endpointer_in_speech(const struct endpointer *ep)
{
	return ep->state == EP_SPEECH;
}

uint64_t endpointer_speech_end(const struct endpointer *ep)
{
	return ep->state == EP_SPEECH ? ep->last_loud_end : 0;
}

uint64_t endpointer_position(const struct endpointer *ep)
{
	return ep->pos;
}

double endpointer_noise_floor_db(const struct endpointer *ep)
{
	return ep->floor;
}
