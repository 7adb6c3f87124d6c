/* The loop itself: the dialogue's events in, its actions out (saying, listening, the rate),
 * playing the reply block by block while the microphone runs, and the turn log. The microphone
 * side is microphone.c; what it found, decoded and handed on, utterance.c; the queue of what is
 * said, playback.c. */
#include "session.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "monotonic.h"
#include "session_internal.h"

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

/* Each louder or quieter step changes the level by this much: a step a listener notices. The
 * loudest steps can reach full scale; pcm_scale saturates rather than wrapping. */
#define VOLUME_STEP_DB 3.0

static double volume_gain(int step)
{
	return pow(10.0, step * VOLUME_STEP_DB / 20.0);
}

/* --- the log --- */

void session_turn_write(struct session *s, struct turn_log *t)
{
	if (turn_log_write(t, s->cfg.log, s->cfg.log_words)) {
		s->stats.turns++;
		counts_add_turn(s->cfg.counts, s->set, t);
	}
}

/* The reply has been heard and nothing else waits: a moment to save the counts. */
static void counts_save_now(struct session *s)
{
	char err[512];
	if (counts_save(s->cfg.counts, err, sizeof(err)) != 0)
		log_warn("%s", err);
}

/* A new turn: the one before waits in `prev` until this event has been handled, because the
 * event may interrupt what that turn said. */
void session_turn_begin(struct session *s, const char *event)
{
	session_turn_write(s, &s->prev);
	s->prev = s->turn;
	s->turn = (struct turn_log){ .open = true, .number = s->turn_no++, .event = event };
	s->turn.speculated = s->speculated;
	s->speculated = 0;
	s->turn.endpoint_s = (double)endpointer_position(s->ep) / AUDIO_RATE_HZ;
	s->t_decision = monotonic_s();
	s->measuring = true;
}

static void first_sample_ready(struct session *s)
{
	double t = monotonic_s();
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

/* --- the dialogue --- */

void session_stop_playback(struct session *s)
{
	playback_clear(&s->pb);
	s->notify_done = false;
	s->in_owed = 0;
}

void session_start_listening(struct session *s)
{
	s->listen_pending = false;
	/* Push to talk: without a key the endpointer only times the no-speech window. */
	s->ptt_open = s->ptt_armed;
	s->ptt_armed = false;
	endpointer_listen(s->ep);
	if (!s->cfg.push_to_talk || s->ptt_open)
		status_emit(s->cfg.status, &(struct status_event){ .kind = STATUS_LISTENING });
}

/* Listening on after the room's own sound: the no-speech window goes on. */
static void session_listen_on(struct session *s)
{
	endpointer_listen_on(s->ep);
	status_emit(s->cfg.status, &(struct status_event){ .kind = STATUS_LISTENING });
}

bool session_hearing(const struct session *s)
{
	return (!s->choosing || s->choice_quiet) && s->langs[s->lang].hears;
}

bool session_microphone_closed(const struct session *s)
{
	return (s->cfg.push_to_talk && !s->ptt_open) || !session_hearing(s);
}

/* Speech may interrupt the assistant: asked for, and heard. */
static bool barge_in(const struct session *s)
{
	return s->cfg.dialogue.voice_barge_in && session_hearing(s);
}

/* Remember which device a failure came from, for the status line. */
static int device_failed(struct session *s, int r, const char *device)
{
	if (r < 0)
		s->lost_device = device;
	return r;
}

static void do_action(struct session *s, const struct dialogue_action *a)
{
	switch (a->type) {
	case DIALOGUE_ACTION_STOP_SPEECH:
		audio_sink_stop(s->sink);
		session_stop_playback(s);
		s->listen_pending = false;
		if (s->prev.open)
			s->prev.interrupted = true;
		break;
	case DIALOGUE_ACTION_SAY: {
		size_t first = s->turn.n_said;
		for (size_t i = 0; i < a->n_items; i++) {
			playback_add(&s->pb, PLAYBACK_ITEM, &a->items[i]);
			if (s->turn.n_said < TURN_SAID_MAX)
				dialogue_item_name(&a->items[i], s->turn.said[s->turn.n_said++],
						   TURN_SAID_LEN);
		}
		const char *said[TURN_SAID_MAX];
		for (size_t i = first; i < s->turn.n_said; i++)
			said[i - first] = s->turn.said[i];
		status_emit(s->cfg.status,
			    &(struct status_event){ .kind = STATUS_SPEAKING,
						    .said = said,
						    .n_said = s->turn.n_said - first });
		s->notify_done = true;
		s->listen_pending = false;
		if (s->n_langs > 1)
			s->turn.language = s->langs[s->lang].code;
		if (!barge_in(s))
			endpointer_pause(s->ep);
		/* Say the first item now: its first sample ends the turn's compute time. */
		playback_fill(&s->pb);
		break;
	}
	case DIALOGUE_ACTION_TONE:
		/* Push to talk: the tone means "speak now", so only before an open microphone. */
		if (s->cfg.push_to_talk && !s->ptt_armed)
			break;
		playback_add(&s->pb, PLAYBACK_TONE, NULL);
		if (s->turn.n_said < TURN_SAID_MAX)
			snprintf(s->turn.said[s->turn.n_said++], TURN_SAID_LEN, "tone");
		break;
	case DIALOGUE_ACTION_LISTEN:
		if (playback_active(&s->pb))
			s->listen_pending = true;
		else if (a->same_window)
			session_listen_on(s);
		else
			session_start_listening(s);
		break;
	case DIALOGUE_ACTION_RATE:
		synth_set_rate(s->synth, SYNTH_RATE_DEFAULT + a->rate_step * SYNTH_RATE_STEP);
		break;
	case DIALOGUE_ACTION_VOLUME:
		s->pb.gain = volume_gain(a->volume_step);
		break;
	case DIALOGUE_ACTION_RESET:
		synth_set_rate(s->synth, SYNTH_RATE_DEFAULT);
		s->pb.gain = 1.0;
		s->turn.reset = true;
		/* The next person chooses their language (the choice itself resets nothing). */
		if (session_choice_on(s) && !s->choosing)
			s->to_choice = CHOICE_QUIET;
		break;
	case DIALOGUE_ACTION_EXIT:
		s->exited = true;
		break;
	case DIALOGUE_ACTION_LANGUAGE:
		if (session_choice_on(s))
			s->to_choice = CHOICE_SAY;
		break;
	}
}

void session_dispatch(struct session *s, const struct dialogue_event *ev)
{
	const struct dialogue_action *actions;
	size_t n = dialogue_handle(s->dlg, ev, &actions);
	/* Whatever was decoded ahead was decoded for the dialogue as it was. */
	s->dialogue_gen++;
	for (size_t i = 0; i < n; i++)
		do_action(s, &actions[i]);
	/* Barge-in: the microphone listens whenever the assistant speaks, the greeting and the
	 * reply to speech too (an utterance or a timeout stops the endpointer listening). */
	if (barge_in(s) && dialogue_speaking(s->dlg) && !endpointer_listening(s->ep))
		endpointer_listen(s->ep);
	/* The turn before this one is complete now (interrupted or not). */
	session_turn_write(s, &s->prev);
	/* Waiting for the next person, someone spoke to the main language: theirs it is. */
	if (s->choosing && s->choice_quiet && dialogue_state(s->dlg) != DIALOGUE_STATE_IDLE)
		s->choosing = s->choice_quiet = false;
	if (s->to_choice != CHOICE_NONE) {
		bool quiet = s->to_choice == CHOICE_QUIET;
		s->to_choice = CHOICE_NONE;
		session_choice_begin(s, quiet);
	}
}

void session_on_key(struct session *s, const char *key)
{
	session_turn_begin(s, "key");
	/* Push to talk: the microphone opens once the reply to this key has been said. */
	s->ptt_armed = s->cfg.push_to_talk;
	s->ptt_open = false;
	s->turn.has_key = true;
	snprintf(s->turn.key, sizeof(s->turn.key), "%s", key);
	status_emit(s->cfg.status, &(struct status_event){ .kind = STATUS_KEY, .key = key });
	if (s->choosing)
		session_choice_key(s, key);
	else
		session_dispatch(s, &(struct dialogue_event){ .type = DIALOGUE_EVENT_KEY,
							      .key = key });
	session_turn_write(s, &s->prev);
	s->measuring = playback_active(&s->pb);
}

/* --- playing --- */

static int sink_abort(void *userdata)
{
	struct session *s = userdata;
	if (s->cfg.stop && *s->cfg.stop)
		return 1;
	if (s->cfg.keypad && !s->has_caught_key) {
		char key[KEYPAD_KEY_MAX];
		if (keypad_read(s->cfg.keypad, key, sizeof(key)) == 1) {
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
		return device_failed(s, r, "speaker");
	/* What the microphone caught while the end of the reply played is the reply (or its echo),
	 * not the person: take it in before listening starts. */
	if (s->cfg.realtime && (r = session_read_input(s, 0, err, errlen)) < 0)
		return device_failed(s, r, "microphone");
	if (s->cfg.stop && *s->cfg.stop)
		return 0;
	if (s->has_caught_key) {
		/* Interrupted while the tail played: the key decides what comes next. */
		session_check_keys(s);
		return 0;
	}
	bool notify = s->notify_done;
	s->notify_done = false;
	playback_clear(&s->pb);
	if (notify && s->choosing && !s->choice_quiet)
		session_choice_said(s);
	else if (notify)
		session_dispatch(s, &(struct dialogue_event){ .type = DIALOGUE_EVENT_PLAYBACK_DONE });
	if (!playback_active(&s->pb)) {
		/* All the turn said has been heard: nothing can interrupt it now, so log it now
		 * (a station's log is then never a turn behind). */
		session_turn_write(s, &s->turn);
		counts_save_now(s);
		if (s->listen_pending)
			session_start_listening(s);
	}
	return 0;
}

/* Play one block of the reply and let the same time pass on the microphone. */
static int play_block(struct session *s, char *err, size_t errlen)
{
	const int16_t *samples;
	size_t n;
	int rate;
	if (!playback_next(&s->pb, SESSION_BLOCK_MS, &samples, &n, &rate))
		return finish_playback(s, err, errlen);
	size_t played = n;
	/* The reply's first sample goes out now: that ends the turn's compute time. */
	first_sample_ready(s);
	int r = audio_sink_write(s->sink, samples, n, rate, &played, err, errlen);
	if (r < 0)
		return device_failed(s, r, "speaker");
	playback_advance(&s->pb, played);
	s->stats.reply_s += (double)played / rate;
	s->in_owed += (double)played * AUDIO_RATE_HZ / rate;
	size_t want = (size_t)s->in_owed;
	s->in_owed -= (double)want;
	r = session_read_input(s, want, err, errlen);
	if (r < 0)
		return device_failed(s, r, "microphone");
	session_check_keys(s);
	return 0;
}

/* --- the session --- */

int session_create(const struct session_config *config, const struct script_set *set,
		   struct recogniser *rec, struct synth *synth, struct audio_source *src,
		   struct audio_sink *sink, struct session **out, char *err, size_t errlen)
{
	*out = NULL;
	if ((!set && !(config && config->n_languages)) || !synth || !src || !sink)
		return errf(err, errlen, -EINVAL,
			    "a session needs scripts, a synthesiser, a source and a sink");
	struct session *s = xcalloc(1, sizeof(*s));
	s->t_created = monotonic_s();
	if (config)
		s->cfg = *config;
	else
		session_config_defaults(&s->cfg);
	s->cfg.endpointer.rate_hz = AUDIO_RATE_HZ;
	if (s->cfg.push_to_talk) {
		/* Speech while it speaks would be speech before the key. */
		s->cfg.dialogue.listen_tone = true;
		s->cfg.dialogue.voice_barge_in = false;
		s->cfg.dialogue.push_to_talk = true;
	}
	s->stats.spec_window_ms =
		s->cfg.endpointer.trailing_silence_ms - s->cfg.endpointer.kept_silence_ms;
	if (s->cfg.speculate && rec &&
	    speculation_create(rec, s->stats.spec_window_ms, &s->spec, err, errlen) < 0)
		log_debug("%s: the endpoint decodes", err);
	s->cfg.endpointer.pause_events = s->spec != NULL;
	playback_init(&s->pb, synth, set, s->cfg.item_gap_s);
	s->rec = rec;
	s->synth = synth;
	s->src = src;
	s->sink = sink;
	int r;
	s->keys = session_keys_sorted(s->cfg.keys, s->cfg.n_keys);
	s->n_keys = s->cfg.n_keys;
	s->cfg.keys = NULL;
	if ((r = session_languages_init(s, set, err, errlen)) < 0)
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
	speculation_destroy(s->spec);
	free(s->pause.pcm);
	session_turn_write(s, &s->prev);
	session_turn_write(s, &s->turn);
	if (s->sink)
		audio_sink_set_abort(s->sink, NULL, NULL);
	playback_done(&s->pb);
	session_languages_done(s);
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
	if (s->spec) {
		struct speculation_stats sp;
		speculation_get_stats(s->spec, &sp);
		out->spec_n = sp.n;
		out->spec_used = sp.used;
		out->spec_discarded = sp.discarded;
		out->spec_over_window = sp.over_window;
		out->spec_ms_sum = sp.ms_sum;
		out->spec_ms_max = sp.ms_max;
	}
}

/* Wait for a speculative decode still running: the caller may use the recogniser next. */
static void speculation_wait(struct session *s)
{
	if (s->spec)
		speculation_poll(s->spec, true);
}

int session_set_languages(struct session *s, const struct session_language *langs, size_t n,
			  struct recogniser *rec, struct synth *synth, char *err, size_t errlen)
{
	struct dialogue **dlgs = NULL;
	bool same = n == s->n_langs;
	for (size_t i = 0; same && i < n; i++)
		same = langs[i].set == s->langs[i].set;
	int r;
	if (!same && (r = session_dialogues_create(s, langs, n, &dlgs, err, errlen)) < 0)
		return r;
	speculation_wait(s);
	if (rec != s->rec) {
		speculation_destroy(s->spec);
		s->spec = NULL;
		s->pause.pending = false;
		if (s->cfg.speculate && rec &&
		    speculation_create(rec, s->stats.spec_window_ms, &s->spec, err, errlen) < 0)
			log_debug("%s: the endpoint decodes", err);
		s->rec = rec;
	}
	session_stop_playback(s);
	playback_done(&s->pb);
	playback_init(&s->pb, synth, langs[0].set, s->cfg.item_gap_s);
	s->synth = synth;
	session_languages_set(s, langs, n, dlgs);
	s->pb.gain = volume_gain(dialogue_volume_step(s->dlg));
	synth_set_rate(synth, SYNTH_RATE_DEFAULT + dialogue_rate_step(s->dlg) * SYNTH_RATE_STEP);
	if (dlgs) {
		session_turn_begin(s, "reload");
		session_dispatch(s, &(struct dialogue_event){ .type = DIALOGUE_EVENT_WAIT });
		s->measuring = false;
	} else if (s->choosing && !s->choice_quiet) {
		session_choice_begin(s, false);
	} else if (dialogue_listening(s->dlg)) {
		session_start_listening(s);
	}
	return 0;
}

int session_run(struct session *s, char *err, size_t errlen)
{
	if (!s->started) {
		s->started = true;
		/* Push to talk: starting is pressing the first key (the greeting says "ask me"). */
		s->ptt_armed = s->cfg.push_to_talk;
		session_turn_begin(s, "start");
		if (session_choice_on(s))
			session_choice_begin(s, false);
		else
			session_dispatch(s, &(struct dialogue_event){ .type = DIALOGUE_EVENT_START });
	} else if (s->failed) {
		/* Back after a device failure: what was being said is gone; listen. The turn it
		 * cut off is logged now, as cut off. */
		s->failed = false;
		if (s->lost_device)
			status_emit(s->cfg.status,
				    &(struct status_event){ .kind = STATUS_DEVICE_BACK,
							    .device = s->lost_device });
		s->lost_device = NULL;
		bool was_speaking = dialogue_speaking(s->dlg);
		session_stop_playback(s);
		if (s->turn.cut_off)
			session_turn_write(s, &s->turn);
		if (was_speaking)
			session_dispatch(s, &(struct dialogue_event){
					    .type = DIALOGUE_EVENT_PLAYBACK_INTERRUPTED });
		else if (s->listen_pending || (s->choosing && !s->choice_quiet))
			session_start_listening(s); /* the choice cut off: a digit still chooses */
		else if (endpointer_listening(s->ep))
			status_emit(s->cfg.status,
				    &(struct status_event){ .kind = STATUS_LISTENING });
	}
	int r = 0;
	while (!s->exited) {
		if (s->cfg.stop && *s->cfg.stop)
			break;
		if (!s->cfg.realtime && s->cfg.max_seconds > 0 &&
		    (double)endpointer_position(s->ep) / AUDIO_RATE_HZ >= s->cfg.max_seconds)
			break;
		if (playback_active(&s->pb) || s->notify_done || s->listen_pending) {
			r = play_block(s, err, errlen);
		} else if (s->cfg.reload && *s->cfg.reload && !endpointer_in_speech(s->ep)) {
			/* Between turns: the caller may swap the recogniser. */
			speculation_wait(s);
			return SESSION_RELOAD;
		} else {
			r = device_failed(s, session_listen_block(s, err, errlen), "microphone");
			if (r == 1) {
				r = 0;
				break;
			}
		}
		if (r < 0) {
			s->failed = true;
			if (r == -EIO)
				status_emit(s->cfg.status,
					    &(struct status_event){ .kind = STATUS_DEVICE_LOST,
								    .device = s->lost_device,
								    .detail = err });
			else
				s->lost_device = NULL;
			if (s->turn.open && (playback_active(&s->pb) || s->notify_done))
				s->turn.cut_off = true;
			/* The caller may use the recogniser before it calls again. */
			speculation_wait(s);
			return r;
		}
	}
	speculation_wait(s);
	/* Let the goodbye (or whatever was said last) be heard to the end. */
	if (s->exited)
		audio_sink_finish(s->sink, NULL, 0);
	session_turn_write(s, &s->prev);
	session_turn_write(s, &s->turn);
	return 0;
}
