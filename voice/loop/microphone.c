/* The microphone side of the loop: read the source (the device as it arrives, or a recording
 * paced by the reply), deliver converse's turns, feed the endpointer and pass on what it finds,
 * and take the keys due. */
#include "session_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

/* Before a turn (converse --turns): a little silence, so the endpointer has pre-roll. */
#define TURN_LEAD_S 0.2

/* Feed microphone samples to the endpointer and act on what it finds. */
static void feed_heard(struct session *s, const int16_t *buf, size_t n)
{
	while (n > 0) {
		struct endpointer_event ev;
		size_t used = endpointer_feed(s->ep, buf, n, &ev);
		buf += used;
		n -= used;
		switch (ev.type) {
		case ENDPOINTER_UTTERANCE:
			session_on_utterance(s, &ev);
			break;
		case ENDPOINTER_TIMEOUT:
			session_on_silence(s, &ev);
			break;
		case ENDPOINTER_SPEECH_PAUSE:
			session_on_pause(s, &ev);
			break;
		case ENDPOINTER_SPEECH_START:
		case ENDPOINTER_NONE:
			break;
		}
		if (used == 0 && ev.type == ENDPOINTER_NONE)
			break; /* cannot happen; never spin */
	}
	session_speculation_poll(s);
}

/* As feed_heard, with the simulated room's sound under the samples. */
static void feed(struct session *s, const int16_t *buf, size_t n)
{
	if (s->cfg.realtime || !s->cfg.room_noise || !s->cfg.room_noise_n) {
		feed_heard(s, buf, n);
		return;
	}
	int16_t mixed[SESSION_IN_BLOCK];
	while (n > 0) {
		size_t k = n < SESSION_IN_BLOCK ? n : SESSION_IN_BLOCK;
		size_t at = endpointer_position(s->ep);
		for (size_t i = 0; i < k; i++)
			mixed[i] = pcm_clip16((double)buf[i] +
					      s->cfg.room_noise[(at + i) % s->cfg.room_noise_n]);
		feed_heard(s, mixed, k);
		buf += k;
		n -= k;
	}
}

static void feed_silence(struct session *s, size_t n)
{
	static const int16_t zeros[SESSION_IN_BLOCK];
	while (n > 0) {
		size_t k = n < SESSION_IN_BLOCK ? n : SESSION_IN_BLOCK;
		feed(s, zeros, k);
		n -= k;
	}
}

void session_record_utterance(struct session *s, const struct endpointer_event *ev)
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

void session_check_keys(struct session *s)
{
	if (s->has_caught_key) {
		s->has_caught_key = false;
		session_on_key(s, s->caught_key);
	}
	double t = (double)endpointer_position(s->ep) / AUDIO_RATE_HZ;
	while (s->next_key < s->n_keys && s->keys[s->next_key].at_s <= t + 1e-9)
		session_on_key(s, s->keys[s->next_key++].key);
	if (s->cfg.keypad) {
		char key[KEYPAD_KEY_MAX];
		while (keypad_read(s->cfg.keypad, key, sizeof(key)) == 1)
			session_on_key(s, key);
	}
}

/* Simulated: read up to k samples into inbuf, none once the input has ended or every turn
 * given so far has been heard. */
static int read_simulated(struct session *s, size_t k, size_t *got, char *err, size_t errlen)
{
	*got = 0;
	if (s->cfg.n_turns > 0 && s->consumed >= s->appended)
		s->source_dry = true;
	if (s->source_dry)
		return 0;
	int r = audio_source_read(s->src, s->inbuf, k, got, err, errlen);
	if (r < 0)
		return r;
	if (*got == 0)
		s->source_dry = true;
	return 0;
}

int session_read_input(struct session *s, size_t want, char *err, size_t errlen)
{
	if (s->cfg.realtime) {
		/* The microphone runs on its own: take what has arrived, but at most
		 * SESSION_DRAIN_MAX a call, so a microphone that delivers faster than the loop hears
		 * (an unpaced test device, an overloaded machine) cannot keep the reply from being
		 * played; the rest waits in the source's buffer, which counts what overflows. */
		for (size_t taken = 0; taken < SESSION_DRAIN_MAX;) {
			size_t got = 0, max = SESSION_DRAIN_MAX - taken;
			int r = audio_source_read_available(
				s->src, s->inbuf, max < SESSION_INBUF_MAX ? max : SESSION_INBUF_MAX, &got,
				err, errlen);
			if (r < 0)
				return r;
			if (got == 0)
				return 0;
			s->consumed += got;
			taken += got;
			feed(s, s->inbuf, got);
		}
		return 0;
	}
	while (want > 0) {
		size_t k = want < SESSION_INBUF_MAX ? want : SESSION_INBUF_MAX;
		size_t got;
		int r = read_simulated(s, k, &got, err, errlen);
		if (r < 0)
			return r;
		if (got < k)
			memset(s->inbuf + got, 0, (k - got) * sizeof(int16_t));
		s->consumed += got;
		feed(s, s->inbuf, k);
		want -= k;
	}
	return 0;
}

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

int session_listen_block(struct session *s, char *err, size_t errlen)
{
	if (s->cfg.realtime) {
		size_t got = 0;
		int r = audio_source_read(s->src, s->inbuf, SESSION_IN_BLOCK, &got, err, errlen);
		if (r < 0)
			return r;
		s->consumed += got;
		feed(s, s->inbuf, got);
		session_check_keys(s);
		return 0;
	}
	/* Turns: the next one when the assistant listens and the last one has been heard. */
	if (s->next_turn < s->cfg.n_turns && session_listening(s) &&
	    s->consumed >= s->appended) {
		double now = (double)endpointer_position(s->ep) / AUDIO_RATE_HZ;
		if (now < s->cfg.turns[s->next_turn].not_before_s) {
			/* The person waits: the room goes on meanwhile. */
			feed_silence(s, SESSION_IN_BLOCK);
			session_check_keys(s);
			return 0;
		}
		deliver_turn(s);
	}
	size_t got;
	int r = read_simulated(s, SESSION_IN_BLOCK, &got, err, errlen);
	if (r < 0)
		return r;
	if (got > 0) {
		s->consumed += got;
		feed(s, s->inbuf, got);
		session_check_keys(s);
		return 0;
	}
	/* The recording has ended. Let an utterance in progress end as if the person had stopped,
	 * and let keys still scheduled arrive; then the conversation is over. */
	if (endpointer_in_speech(s->ep)) {
		feed_silence(s, (size_t)s->cfg.endpointer.trailing_silence_ms * AUDIO_RATE_HZ / 1000 +
					SESSION_IN_BLOCK);
		session_check_keys(s);
		return 0;
	}
	if (s->next_key < s->n_keys) {
		feed_silence(s, SESSION_IN_BLOCK);
		session_check_keys(s);
		return 0;
	}
	return 1;
}
