/* What the microphone side found, heard and handed on: a pause decoded ahead of the endpoint on
 * the worker (speculative decoding), an utterance decoded and given to the dialogue, a silence. */
#include "session_internal.h"

#include <string.h>

#include "log.h"
#include "monotonic.h"

/* Tell the recogniser what the dialogue waits for (a yes or no while confirming). */
static void expect_from_dialogue(struct session *s)
{
	recogniser_set_expect(s->rec, dialogue_confirming(s->dlg) ? INTENT_EXPECT_CONFIRM
								  : INTENT_EXPECT_ANY);
}

/* --- speculative decoding --- */

void session_speculation_poll(struct session *s)
{
	if (!s->spec || !speculation_poll(s->spec, false) || !s->pause.pending)
		return;
	s->pause.pending = false;
	/* The pause still holds: the person has not spoken since, and the dialogue is where it
	 * was. */
	if (!endpointer_in_speech(s->ep) || endpointer_speech_end(s->ep) != s->pause.end_sample ||
	    s->pause.gen != s->dialogue_gen)
		return;
	/* The worker is idle: the recogniser is the loop's to set up. */
	expect_from_dialogue(s);
	if (speculation_start(s->spec, s->pause.pcm, s->pause.n, s->pause.end_sample,
			      s->pause.gen) < 0)
		return;
	s->speculated++;
	/* Simulated time does not run while the worker does: nothing to overlap with. Its wall time
	 * is reported against the window instead (session_stats). */
	if (!s->cfg.realtime)
		speculation_poll(s->spec, true);
}

/* The person paused: what the endpoint will hand over if the quiet lasts is known now. */
void session_on_pause(struct session *s, const struct endpointer_event *ev)
{
	if (!s->spec || session_microphone_closed(s))
		return;
	if (ev->n > s->pause.cap) {
		s->pause.pcm = xreallocarray(s->pause.pcm, ev->n, sizeof(*s->pause.pcm));
		s->pause.cap = ev->n;
	}
	memcpy(s->pause.pcm, ev->samples, ev->n * sizeof(*ev->samples));
	s->pause.n = ev->n;
	s->pause.end_sample = ev->end_sample;
	s->pause.gen = s->dialogue_gen;
	s->pause.pending = true;
	session_speculation_poll(s);
}

/* The utterance decoded: ahead of the endpoint if that guess still holds, now otherwise. */
static void decode_utterance(struct session *s, const struct endpointer_event *ev,
			     struct recognition *r)
{
	struct turn_log *t = &s->turn;
	char err[256] = "";
	double t0 = monotonic_s();
	int rr = 0;
	s->pause.pending = false;
	/* Live, this waits for a speculative decode still running: the wait is part of
	 * compute_ms, as it should be. */
	if (s->spec && speculation_take(s->spec, ev->end_sample, s->dialogue_gen, r,
					&t->speculative_ms)) {
		t->has_speculative = true;
	} else {
		expect_from_dialogue(s);
		rr = recogniser_decode(s->rec, ev->samples, ev->n, r, err, sizeof(err));
	}
	t->has_decode = true;
	t->decode_ms = (monotonic_s() - t0) * 1000.0;
	if (rr < 0) {
		log_warn("cannot decode an utterance: %s", err);
		memset(r, 0, sizeof(*r));
		r->kind = INTENT_NONE;
		r->decision = DECISION_REJECT;
	}
}

void session_on_utterance(struct session *s, const struct endpointer_event *ev)
{
	if (session_microphone_closed(s)) {
		/* Before the key (push to talk), or in a language nothing hears: unheard, unlogged;
		 * the no-speech window goes on. */
		log_debug(session_hearing(s)
			      ? "push to talk: speech at %.2f-%.2f s before a key, not heard"
			      : "speech at %.2f-%.2f s not heard (keypad only here)",
			  (double)ev->start_sample / AUDIO_RATE_HZ,
			  (double)ev->end_sample / AUDIO_RATE_HZ);
		endpointer_listen(s->ep);
		return;
	}
	s->ptt_open = false;
	session_turn_begin(s, "speech");
	s->stats.utterances++;
	struct turn_log *t = &s->turn;
	t->has_speech = true;
	t->speech_start_s = (double)ev->start_sample / AUDIO_RATE_HZ;
	t->speech_end_s = (double)ev->end_sample / AUDIO_RATE_HZ;
	t->endpoint_s = (double)ev->endpoint_sample / AUDIO_RATE_HZ;
	if (s->cfg.record_dir)
		session_record_utterance(s, ev);

	struct recognition r;
	memset(&r, 0, sizeof(r));
	r.kind = INTENT_NONE;
	r.decision = DECISION_REJECT;
	if (s->rec)
		decode_utterance(s, ev, &r);
	log_debug("heard '%s' (%.2f s of audio, decoded in %.3f s cpu, %.3f s since the endpoint)",
		  r.heard, r.audio_s, r.compute_s, monotonic_s() - s->t_decision);
	t->has_heard = true;
	snprintf(t->heard, sizeof(t->heard), "%s", r.heard);
	t->confidence = r.confidence;
	t->noisy = r.noisy;
	t->decision = recognition_decision_name(r.decision);
	t->has_intent = recognition_intent_name(&r, t->intent, sizeof(t->intent)) != NULL;
	status_emit(s->cfg.status, &(struct status_event){ .kind = STATUS_HEARD,
							   .intent = t->has_intent ? t->intent : NULL,
							   .decision = t->decision,
							   .words = r.heard });
	session_dispatch(s, &(struct dialogue_event){ .type = DIALOGUE_EVENT_UTTERANCE,
						      .heard = r.heard,
						      .kind = r.kind,
						      .topic_id = r.topic_id,
						      .control = r.control,
						      .confidence = r.confidence,
						      .decision = r.decision,
						      .second_topic_id = r.second_topic_id,
						      .noisy = r.noisy });
	s->measuring = playback_active(&s->pb);
	/* Said once a run: every utterance from such a microphone is the same. Measured once the
	 * dialogue has the utterance, not between hearing it and deciding the reply. */
	if (!s->narrowband_told && s->rec &&
	    audio_high_band_db(ev->samples, ev->n) < AUDIO_NARROWBAND_DB) {
		s->narrowband_told = true;
		log_warn("%s: " AUDIO_NARROWBAND_ADVICE, s->src ? audio_source_name(s->src) : "input");
	}
}

void session_on_silence(struct session *s, const struct endpointer_event *ev)
{
	if (s->choosing && !s->choice_quiet) {
		session_turn_begin(s, "silence");
		s->turn.endpoint_s = (double)ev->endpoint_sample / AUDIO_RATE_HZ;
		session_choice_silence(s);
		session_turn_write(s, &s->prev);
		s->measuring = playback_active(&s->pb);
		return;
	}
	if (dialogue_speaking(s->dlg)) {
		/* Barge-in listening while the assistant speaks: nobody's turn yet; listen on. */
		endpointer_listen(s->ep);
		return;
	}
	s->ptt_open = false;
	session_turn_begin(s, "silence");
	s->turn.endpoint_s = (double)ev->endpoint_sample / AUDIO_RATE_HZ;
	session_dispatch(s, &(struct dialogue_event){ .type = DIALOGUE_EVENT_SILENCE });
	s->measuring = playback_active(&s->pb);
}
