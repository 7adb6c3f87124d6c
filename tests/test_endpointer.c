/* The endpointer on generated signals: tone bursts, silence, steady and fluctuating noise.
 * Positions are checked in samples at 16 kHz with a tolerance of a few 10 ms frames. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "audio.h"
#include "endpointer.h"
#include "log.h"
#include "spoken.h"
#include "synthesiser.h"

#define RATE 16000
#define MS(x) ((uint64_t)(x) * RATE / 1000)
#define TOL MS(30)

struct signal {
	int16_t *s;
	size_t n, cap;
	unsigned seed;
};

static void sig_reserve(struct signal *g, size_t more)
{
	if (g->n + more > g->cap) {
		g->cap = (g->n + more) * 2;
		g->s = xrealloc(g->s, g->cap * sizeof(*g->s));
	}
}

/* Uniform noise in [-1, 1), deterministic. */
static double noise1(struct signal *g)
{
	g->seed = g->seed * 1103515245u + 12345u;
	return (double)(g->seed >> 8 & 0xffff) / 32768.0 - 1.0;
}

static double db_to_amp(double db)
{
	return pow(10.0, db / 20.0);
}

/* Room noise at `noise_db` dBFS RMS (white), plus a tone at `tone_db` (or none when tone_db is
 * below -200), for `ms` milliseconds. */
static void add(struct signal *g, double ms, double noise_db, double tone_db, double freq)
{
	size_t n = MS(ms);
	sig_reserve(g, n);
	/* Uniform noise in [-a, a) has RMS a / sqrt(3); a sine of peak p has RMS p / sqrt(2). */
	double na = db_to_amp(noise_db) * sqrt(3.0),
	       ta = tone_db > -200 ? db_to_amp(tone_db) * sqrt(2.0) : 0;
	for (size_t i = 0; i < n; i++) {
		double v = na * noise1(g) + ta * sin(2 * M_PI * freq * (double)(g->n + i) / RATE);
		double s = v * 32767.0;
		g->s[g->n + i] = (int16_t)(s > 32767 ? 32767 : s < -32768 ? -32768 : s);
	}
	g->n += n;
}

#define QUIET -70.0   /* a quiet room */
#define NONE -300.0

static struct endpointer *make(const struct endpointer_config *c)
{
	struct endpointer *ep = NULL;
	char err[256];
	assert_int_equal(endpointer_create(c, &ep, err, sizeof(err)), 0);
	return ep;
}

/* Feed everything in blocks of `block`, collecting events into evs (at most max); returns the
 * count. Utterance samples are copied out (they live until the next feed). */
struct got {
	struct endpointer_event ev;
	int16_t *samples;
};

static size_t run(struct endpointer *ep, const struct signal *g, size_t block, struct got *evs,
		  size_t max, bool relisten)
{
	size_t count = 0, off = 0;
	while (off < g->n) {
		size_t k = g->n - off < block ? g->n - off : block;
		struct endpointer_event ev;
		size_t used = endpointer_feed(ep, g->s + off, k, &ev);
		assert_true(used <= k);
		assert_true(used > 0);
		off += used;
		if (ev.type != ENDPOINTER_NONE && count < max) {
			evs[count].ev = ev;
			evs[count].samples = NULL;
			if (ev.type == ENDPOINTER_UTTERANCE || ev.type == ENDPOINTER_SPEECH_PAUSE) {
				evs[count].samples = xmalloc(ev.n * sizeof(int16_t) + 1);
				memcpy(evs[count].samples, ev.samples, ev.n * sizeof(int16_t));
				evs[count].ev.samples = evs[count].samples;
			}
			count++;
			if (relisten &&
			    (ev.type == ENDPOINTER_UTTERANCE || ev.type == ENDPOINTER_TIMEOUT))
				endpointer_listen(ep);
		}
	}
	return count;
}

static void free_got(struct got *evs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(evs[i].samples);
}

static void assert_near(uint64_t got, uint64_t want, uint64_t tol)
{
	if (got + tol < want || got > want + tol)
		fail_msg("position %llu (%.3f s), expected %llu (%.3f s) +- %.3f s",
			 (unsigned long long)got, (double)got / RATE, (unsigned long long)want,
			 (double)want / RATE, (double)tol / RATE);
}

static double seg_db(const int16_t *s, size_t n)
{
	double sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += (double)s[i] * s[i];
	return 10 * log10(sum / (double)n / (32768.0 * 32768.0) + 1e-12);
}

/* 1 s quiet room, 1.5 s tone, 2 s quiet: start, end, endpoint and pre-roll where they belong. */
static void test_tone_burst(void **state)
{
	struct endpointer_config c;
	endpointer_config_defaults(&c);
	struct signal g = { .seed = 1 };
	add(&g, 1000, QUIET, NONE, 0);
	add(&g, 1500, QUIET, -20, 440);
	add(&g, 2000, QUIET, NONE, 0);
	/* Odd block sizes must not matter. */
	size_t blocks[] = { 1, 160, 333, 4096, 100000 };
	for (size_t b = 0; b < sizeof(blocks) / sizeof(blocks[0]); b++) {
		struct endpointer *ep = make(&c);
		assert_true(endpointer_listening(ep));
		struct got evs[4];
		size_t n = run(ep, &g, blocks[b], evs, 4, false);
		assert_int_equal(n, 2);
		assert_int_equal(evs[0].ev.type, ENDPOINTER_SPEECH_START);
		assert_near(evs[0].ev.start_sample, MS(1000), TOL);
		assert_int_equal(evs[1].ev.type, ENDPOINTER_UTTERANCE);
		const struct endpointer_event *u = &evs[1].ev;
		assert_false(u->cut);
		assert_near(u->start_sample, MS(1000), TOL);
		assert_near(u->end_sample, MS(2500), TOL);
		/* The trailing-silence window decides the endpoint, to the frame. */
		assert_near(u->endpoint_sample, u->end_sample + MS(700), MS(10));
		/* 300 ms pre-roll kept before the start; the samples run to 200 ms after the end of
		 * speech (kept_silence_ms), not to the endpoint. */
		assert_int_equal(u->first_sample, u->start_sample - MS(300));
		assert_int_equal(u->n, u->end_sample + MS(200) - u->first_sample);
		/* And they are the input's samples. */
		assert_memory_equal(u->samples, g.s + u->first_sample, u->n * sizeof(int16_t));
		/* The pre-roll is the quiet room, the tone follows it. */
		assert_true(seg_db(u->samples, MS(250)) < -60);
		assert_true(seg_db(u->samples + MS(350), MS(200)) > -25);
		assert_false(endpointer_listening(ep));
		assert_false(endpointer_in_speech(ep));
		assert_int_equal(endpointer_position(ep), g.n);
		assert_true(endpointer_noise_floor_db(ep) < -65);
		free_got(evs, n);
		endpointer_destroy(ep);
	}
	free(g.s);
}

/* Two words with a 400 ms gap stay one utterance; a shorter trailing window splits them. */
static void test_trailing_silence_window(void **state)
{
	struct signal g = { .seed = 2 };
	add(&g, 800, QUIET, NONE, 0);
	add(&g, 500, QUIET, -25, 300);
	add(&g, 400, QUIET, NONE, 0);
	add(&g, 600, QUIET, -25, 500);
	add(&g, 1500, QUIET, NONE, 0);
	struct endpointer_config c;
	endpointer_config_defaults(&c);
	struct endpointer *ep = make(&c);
	struct got evs[8];
	size_t n = run(ep, &g, 512, evs, 8, true);
	/* start, utterance: one. (Relistening afterwards hears only quiet.) */
	assert_int_equal(n, 2);
	assert_int_equal(evs[1].ev.type, ENDPOINTER_UTTERANCE);
	assert_near(evs[1].ev.start_sample, MS(800), TOL);
	assert_near(evs[1].ev.end_sample, MS(2300), TOL);
	assert_near(evs[1].ev.endpoint_sample, MS(3000), TOL);
	free_got(evs, n);
	endpointer_destroy(ep);

	c.trailing_silence_ms = 300;
	ep = make(&c);
	n = run(ep, &g, 512, evs, 8, true);
	assert_int_equal(n, 4);
	assert_int_equal(evs[1].ev.type, ENDPOINTER_UTTERANCE);
	assert_near(evs[1].ev.end_sample, MS(1300), TOL);
	assert_near(evs[1].ev.endpoint_sample, evs[1].ev.end_sample + MS(300), MS(10));
	assert_int_equal(evs[3].ev.type, ENDPOINTER_UTTERANCE);
	assert_near(evs[3].ev.start_sample, MS(1700), TOL);
	assert_near(evs[3].ev.end_sample, MS(2300), TOL);
	free_got(evs, n);
	endpointer_destroy(ep);
	free(g.s);
}

/* Pause events: one for each pause of kept_silence_ms in speech, holding what the utterance will
 * be if the quiet lasts; the utterance then ends where the last pause said, with the same
 * samples. A pause shorter than kept_silence_ms reports nothing. */
static void test_pause_events(void **state)
{
	struct signal g = { .seed = 12 };
	add(&g, 800, QUIET, NONE, 0);
	add(&g, 500, QUIET, -25, 300);
	add(&g, 120, QUIET, NONE, 0); /* shorter than 200 ms: no pause */
	add(&g, 300, QUIET, -25, 400);
	add(&g, 400, QUIET, NONE, 0); /* a pause, then speech again */
	add(&g, 600, QUIET, -25, 500);
	add(&g, 1500, QUIET, NONE, 0);
	struct endpointer_config c;
	endpointer_config_defaults(&c);
	c.pause_events = true;
	size_t blocks[] = { 1, 160, 333, 4096 };
	for (size_t b = 0; b < sizeof(blocks) / sizeof(blocks[0]); b++) {
		struct endpointer *ep = make(&c);
		struct got evs[8];
		size_t n = run(ep, &g, blocks[b], evs, 8, false);
		assert_int_equal(n, 4);
		assert_int_equal(evs[0].ev.type, ENDPOINTER_SPEECH_START);
		const struct endpointer_event *p1 = &evs[1].ev, *p2 = &evs[2].ev, *u = &evs[3].ev;
		assert_int_equal(p1->type, ENDPOINTER_SPEECH_PAUSE);
		assert_near(p1->end_sample, MS(1720), TOL);
		assert_int_equal(p1->endpoint_sample, p1->end_sample + MS(200));
		assert_int_equal(p1->first_sample, evs[0].ev.first_sample);
		assert_int_equal(p1->n, p1->end_sample + MS(200) - p1->first_sample);
		assert_memory_equal(p1->samples, g.s + p1->first_sample, p1->n * sizeof(int16_t));
		assert_int_equal(p2->type, ENDPOINTER_SPEECH_PAUSE);
		assert_near(p2->end_sample, MS(2720), TOL);
		assert_int_equal(u->type, ENDPOINTER_UTTERANCE);
		assert_int_equal(u->end_sample, p2->end_sample);
		assert_int_equal(u->endpoint_sample, u->end_sample + MS(700));
		assert_int_equal(u->n, p2->n);
		assert_memory_equal(u->samples, p2->samples, u->n * sizeof(int16_t));
		free_got(evs, n);
		endpointer_destroy(ep);
	}

	/* Off by default; and keeping the whole window (the old framing) reports no pause, since
	 * the utterance ends first. */
	struct endpointer_config d;
	endpointer_config_defaults(&d);
	assert_false(d.pause_events);
	assert_int_equal(d.kept_silence_ms, 200);
	c.kept_silence_ms = 700;
	struct endpointer *ep = make(&c);
	struct got evs[8];
	size_t n = run(ep, &g, 160, evs, 8, false);
	assert_int_equal(n, 2);
	assert_int_equal(evs[1].ev.type, ENDPOINTER_UTTERANCE);
	assert_int_equal(evs[1].ev.n, evs[1].ev.endpoint_sample - evs[1].ev.first_sample);
	free_got(evs, n);
	endpointer_destroy(ep);
	free(g.s);
}

/* A television: loud, fluctuating sound that never stops. The maximum length cuts it, again and
 * again; the microphone is never held open longer. */
static void test_max_length_under_endless_noise(void **state)
{
	struct signal g = { .seed = 3 };
	add(&g, 500, QUIET, NONE, 0);
	/* Syllables of loud noise with short dips, like speech from a loudspeaker. */
	for (int i = 0; i < 120; i++) {
		add(&g, 180, -22, NONE, 0);
		add(&g, 70, -45, NONE, 0);
	}
	struct endpointer_config c;
	endpointer_config_defaults(&c);
	c.max_utterance_ms = 5000;
	struct endpointer *ep = make(&c);
	struct got evs[32];
	size_t n = run(ep, &g, 1600, evs, 32, true);
	size_t utterances = 0;
	for (size_t i = 0; i < n; i++) {
		if (evs[i].ev.type != ENDPOINTER_UTTERANCE)
			continue;
		utterances++;
		assert_true(evs[i].ev.cut);
		assert_near(evs[i].ev.endpoint_sample - evs[i].ev.start_sample, MS(5000), MS(10));
		assert_true(evs[i].ev.n <= MS(5300) + MS(10));
	}
	/* 30 s of television: cut about every 5 s. */
	assert_true(utterances >= 5);
	free_got(evs, n);
	endpointer_destroy(ep);
	free(g.s);
}

/* Other voices in the room (a television, people talking): bursts with short dips, so the noise
 * floor sits in the dips and the bursts stay above floor + end_db. The person asking is much
 * louder than them; the utterance must still end after their words, not run to the cut. */
static void add_babble(struct signal *g, double ms, double tone_db)
{
	for (double t = 0; t < ms; t += 210) {
		add(g, 150, -38, tone_db, 440);
		add(g, 60, -62, tone_db, 440);
	}
}

static void test_ends_under_background_voices(void **state)
{
	for (int rule = 1; rule >= 0; rule--) {
		struct signal g = { .seed = 11 };
		add_babble(&g, 2100, NONE);
		size_t words_end = g.n + MS(1050);
		add_babble(&g, 1050, -18);
		add_babble(&g, 3150, NONE);
		struct endpointer_config c;
		endpointer_config_defaults(&c);
		if (!rule)
			c.end_below_peak_db = 0;
		struct endpointer *ep = make(&c);
		struct got evs[8];
		size_t n = run(ep, &g, 320, evs, 8, false);
		const struct endpointer_event *utt = NULL;
		for (size_t i = 0; i < n; i++)
			if (evs[i].ev.type == ENDPOINTER_UTTERANCE)
				utt = &evs[i].ev;
		if (rule) {
			/* 15 dB below the words is quiet: it ends one trailing window after them. */
			assert_non_null(utt);
			assert_false(utt->cut);
			assert_near(utt->end_sample, words_end, MS(60));
			assert_near(utt->endpoint_sample, words_end + MS(c.trailing_silence_ms), MS(60));
		} else {
			/* Without the rule the background never counts as quiet: what this rule is for. */
			assert_null(utt);
		}
		free_got(evs, n);
		endpointer_destroy(ep);
		free(g.s);
	}
}

static void test_timeout_on_silence(void **state)
{
	struct signal g = { .seed = 4 };
	add(&g, 20000, QUIET, NONE, 0);
	struct endpointer_config c;
	endpointer_config_defaults(&c);
	struct endpointer *ep = make(&c);
	struct got evs[8];
	size_t n = run(ep, &g, 1000, evs, 8, false);
	assert_int_equal(n, 1);
	assert_int_equal(evs[0].ev.type, ENDPOINTER_TIMEOUT);
	assert_near(evs[0].ev.endpoint_sample, MS(8000), MS(10));
	assert_false(endpointer_listening(ep));
	endpointer_destroy(ep);

	/* Listening again restarts the clock from the listen; a 0 timeout never fires. */
	ep = make(&c);
	n = run(ep, &g, 1000, evs, 8, true);
	assert_int_equal(n, 2);
	assert_near(evs[1].ev.endpoint_sample, MS(16000), MS(10));
	endpointer_destroy(ep);
	c.no_speech_timeout_ms = 0;
	ep = make(&c);
	assert_int_equal(run(ep, &g, 1000, evs, 8, true), 0);
	endpointer_destroy(ep);
	free(g.s);
}

/* Listening on after an utterance that was only the room's sound keeps the no-speech window
 * that was running: the timeout comes 8 s after the first listen, not 8 s after the utterance. */
static void test_listen_on_keeps_the_window(void **state)
{
	(void)state;
	struct signal clatter = { .seed = 5 }, quiet = { .seed = 6 };
	add(&clatter, 2000, QUIET, NONE, 0);
	add(&clatter, 500, QUIET, -20, 440);
	add(&clatter, 1000, QUIET, NONE, 0);
	add(&quiet, 12000, QUIET, NONE, 0);
	struct endpointer_config c;
	endpointer_config_defaults(&c);
	for (int on = 0; on < 2; on++) {
		struct endpointer *ep = make(&c);
		struct got evs[4];
		assert_int_equal(run(ep, &clatter, 1000, evs, 4, false), 2);
		assert_int_equal(evs[0].ev.type, ENDPOINTER_SPEECH_START);
		assert_int_equal(evs[1].ev.type, ENDPOINTER_UTTERANCE);
		free_got(evs, 2);
		if (on)
			endpointer_listen_on(ep);
		else
			endpointer_listen(ep);
		assert_true(endpointer_listening(ep));
		assert_int_equal(run(ep, &quiet, 1000, evs, 4, false), 1);
		assert_int_equal(evs[0].ev.type, ENDPOINTER_TIMEOUT);
		assert_near(evs[0].ev.endpoint_sample, on ? MS(8000) : MS(3500 + 8000), MS(10));
		endpointer_destroy(ep);
	}
	free(clatter.s);
	free(quiet.s);
}

/* Steady noise (a fan) becomes the floor: it is not speech, and speech above it is found. */
static void test_adapts_to_steady_noise(void **state)
{
	struct signal g = { .seed = 5 };
	add(&g, 4000, -35, NONE, 0);
	add(&g, 1000, -35, -15, 440);
	add(&g, 1500, -35, NONE, 0);
	struct endpointer_config c;
	endpointer_config_defaults(&c);
	struct endpointer *ep = make(&c);
	struct got evs[8];
	size_t n = run(ep, &g, 800, evs, 8, false);
	assert_int_equal(n, 2);
	assert_int_equal(evs[0].ev.type, ENDPOINTER_SPEECH_START);
	assert_near(evs[0].ev.start_sample, MS(4000), TOL);
	assert_int_equal(evs[1].ev.type, ENDPOINTER_UTTERANCE);
	assert_near(evs[1].ev.end_sample, MS(5000), TOL);
	/* The floor is the fan's level (white noise frames vary by a dB or two). */
	assert_float_equal(evs[0].ev.noise_floor_db, -35, 3);
	free_got(evs, n);
	endpointer_destroy(ep);

	/* The fan switches on after a quiet second: it may be taken for speech at first, but the
	 * floor rises to it, so that "utterance" ends well before the maximum length, and once
	 * listening again the fan alone gives only the no-speech timeout. */
	struct signal h = { .seed = 6 };
	add(&h, 1000, QUIET, NONE, 0);
	add(&h, 20000, -30, NONE, 0);
	ep = make(&c);
	n = run(ep, &h, 800, evs, 8, true);
	assert_true(n >= 1);
	size_t i = 0;
	if (evs[0].ev.type == ENDPOINTER_SPEECH_START) {
		assert_int_equal(evs[1].ev.type, ENDPOINTER_UTTERANCE);
		assert_false(evs[1].ev.cut);
		assert_true(evs[1].ev.endpoint_sample < MS(1000 + 6000));
		i = 2;
	}
	assert_true(i < n);
	assert_int_equal(evs[i].ev.type, ENDPOINTER_TIMEOUT);
	assert_float_equal(endpointer_noise_floor_db(ep), -30, 3);
	free_got(evs, n);
	endpointer_destroy(ep);
	free(g.s);
	free(h.s);
}

/* Rumble (brown noise: traffic, a fan's motor) and a DC offset (a cheap microphone) carry much
 * power at low frequencies and swing from frame to frame; they must neither hide speech nor keep
 * an utterance open across a pause. Two "sentences" with a 1.2 s pause give two utterances. */
static void test_rumble_and_dc_offset(void **state)
{
	struct signal g = { .seed = 10 };
	double secs[] = { 1.0, 2.0, 1.2, 2.0, 1.5 };
	bool speech[] = { false, true, false, true, false };
	size_t total = 0;
	for (int i = 0; i < 5; i++)
		total += MS(secs[i] * 1000);
	sig_reserve(&g, total);
	double brown = 0;
	for (int seg = 0; seg < 5; seg++) {
		size_t n = MS(secs[seg] * 1000);
		for (size_t i = 0; i < n; i++) {
			double t = (double)i / RATE;
			/* Leaky integrated white noise: power falls 6 dB an octave, like rumble. */
			brown = 0.999 * brown + 0.003 * noise1(&g);
			double v = 0.1 + brown; /* DC offset of 10 % full scale */
			if (speech[seg])
				/* Syllables: 6 a second with gaps, the last one ending at 1.833 s.
				 */
				v += 0.05 * sin(2 * M_PI * 700 * t) *
				     fmax(0.1, sin(2 * M_PI * 3 * t));
			g.s[g.n++] = (int16_t)lrint(fmax(-1, fmin(1, v)) * 32767);
		}
	}
	struct endpointer_config c;
	endpointer_config_defaults(&c);
	struct endpointer *ep = make(&c);
	struct got evs[8];
	size_t n = run(ep, &g, 320, evs, 8, true);
	assert_int_equal(n, 4);
	assert_int_equal(evs[1].ev.type, ENDPOINTER_UTTERANCE);
	assert_false(evs[1].ev.cut);
	assert_near(evs[1].ev.start_sample, MS(1000), TOL);
	assert_near(evs[1].ev.end_sample, MS(2833), TOL);
	assert_int_equal(evs[3].ev.type, ENDPOINTER_UTTERANCE);
	assert_false(evs[3].ev.cut);
	assert_near(evs[3].ev.start_sample, MS(4200), TOL);
	assert_near(evs[3].ev.end_sample, MS(6033), TOL);
	free_got(evs, n);
	endpointer_destroy(ep);
	free(g.s);
}

/* A click (50 ms) is not an utterance; pause() drops speech in progress. */
static void test_click_and_pause(void **state)
{
	struct signal g = { .seed = 7 };
	add(&g, 1000, QUIET, NONE, 0);
	add(&g, 80, QUIET, -10, 1000);
	add(&g, 3000, QUIET, NONE, 0);
	struct endpointer_config c;
	endpointer_config_defaults(&c);
	c.no_speech_timeout_ms = 3000;
	struct endpointer *ep = make(&c);
	struct got evs[8];
	size_t n = run(ep, &g, 160, evs, 8, false);
	/* A start may be reported, but no utterance: the next event is the timeout, on time. */
	assert_true(n >= 1);
	assert_int_equal(evs[n - 1].ev.type, ENDPOINTER_TIMEOUT);
	assert_near(evs[n - 1].ev.endpoint_sample, MS(3000), MS(10));
	for (size_t i = 0; i < n; i++)
		assert_int_not_equal(evs[i].ev.type, ENDPOINTER_UTTERANCE);
	endpointer_destroy(ep);

	struct signal h = { .seed = 8 };
	add(&h, 1000, QUIET, NONE, 0);
	add(&h, 1000, QUIET, -20, 440);
	ep = make(&c);
	n = run(ep, &h, h.n, evs, 8, false);
	assert_int_equal(n, 1);
	assert_true(endpointer_in_speech(ep));
	endpointer_pause(ep);
	assert_false(endpointer_listening(ep));
	assert_false(endpointer_in_speech(ep));
	struct signal q = { .seed = 9 };
	add(&q, 5000, QUIET, NONE, 0);
	assert_int_equal(run(ep, &q, 1000, evs, 8, false), 0); /* paused: nothing, no timeout */
	endpointer_destroy(ep);
	free(g.s);
	free(h.s);
	free(q.s);
}

static void add_samples(struct signal *g, const int16_t *x, size_t n, double noise_db)
{
	sig_reserve(g, n);
	double na = db_to_amp(noise_db) * sqrt(3.0);
	for (size_t i = 0; i < n; i++) {
		double v = x[i] + na * noise1(g) * 32767.0;
		g->s[g->n + i] = (int16_t)(v > 32767 ? 32767 : v < -32768 ? -32768 : v);
	}
	g->n += n;
}

/* First and last sample louder than -40 dBFS in 10 ms frames: where the speech really is. */
static void speech_bounds(const int16_t *x, size_t n, size_t *first, size_t *last)
{
	*first = n;
	*last = 0;
	for (size_t i = 0; i + 160 <= n; i += 160) {
		if (seg_db(x + i, 160) > -40) {
			if (*first == n)
				*first = i;
			*last = i + 160;
		}
	}
}

/* Real speech (eSpeak NG): two questions with a 1.2 s pause are two utterances whose bounds are
 * the speech's, in a quiet room and with steady noise 25 dB below the speech; the pauses inside a
 * sentence (commas, between words) do not split it. */
static void test_speech(void **state)
{
	struct synth_config sc;
	synth_config_defaults(&sc);
	struct synth *synth = NULL;
	char err[256];
	if (synth_create(&sc, NULL, &synth, err, sizeof(err)) < 0) {
		print_message("eSpeak NG unavailable (%s)\n", err);
		skip();
	}
	size_t n1, n2;
	int16_t *s1 = spoken_16k(synth, "Is it my fault, or did I do something wrong?", 0, &n1);
	int16_t *s2 = spoken_16k(synth, "What does attuned mean?", 0, &n2);
	synth_destroy(synth);
	size_t f1, l1, f2, l2;
	speech_bounds(s1, n1, &f1, &l1);
	speech_bounds(s2, n2, &f2, &l2);
	static const double noise[] = { -75, -45 };
	for (size_t k = 0; k < 2; k++) {
		struct signal g = { .seed = 20 + (unsigned)k };
		add(&g, 1000, noise[k], NONE, 0);
		size_t at1 = g.n;
		add_samples(&g, s1, n1, noise[k]);
		add(&g, 1200, noise[k], NONE, 0);
		size_t at2 = g.n;
		add_samples(&g, s2, n2, noise[k]);
		add(&g, 2000, noise[k], NONE, 0);
		struct endpointer_config c;
		endpointer_config_defaults(&c);
		struct endpointer *ep = make(&c);
		struct got evs[8];
		size_t n = run(ep, &g, 480, evs, 8, true);
		print_message("noise %.0f dBFS: %zu events; speech 1 %.3f-%.3f s, 2 %.3f-%.3f s\n",
			      noise[k], n, (double)(at1 + f1) / RATE, (double)(at1 + l1) / RATE,
			      (double)(at2 + f2) / RATE, (double)(at2 + l2) / RATE);
		for (size_t i = 0; i < n; i++)
			if (evs[i].ev.type == ENDPOINTER_UTTERANCE)
				print_message("  utterance %.3f-%.3f s, endpoint %.3f s\n",
					      (double)evs[i].ev.start_sample / RATE,
					      (double)evs[i].ev.end_sample / RATE,
					      (double)evs[i].ev.endpoint_sample / RATE);
		assert_int_equal(n, 4);
		assert_int_equal(evs[1].ev.type, ENDPOINTER_UTTERANCE);
		assert_int_equal(evs[3].ev.type, ENDPOINTER_UTTERANCE);
		assert_false(evs[1].ev.cut);
		assert_near(evs[1].ev.start_sample, at1 + f1, MS(60));
		assert_near(evs[1].ev.end_sample, at1 + l1, MS(100));
		assert_near(evs[3].ev.start_sample, at2 + f2, MS(60));
		assert_near(evs[3].ev.end_sample, at2 + l2, MS(100));
		/* The pre-roll holds the speech's soft start: nothing before `first_sample` is loud. */
		assert_true(evs[1].ev.first_sample <= at1 + f1);
		free_got(evs, n);
		endpointer_destroy(ep);
		free(g.s);
	}
	free(s1);
	free(s2);
}

static void test_bad_config(void **state)
{
	struct endpointer_config c;
	endpointer_config_defaults(&c);
	c.trailing_silence_ms = 0;
	struct endpointer *ep = (void *)1;
	char err[256];
	assert_int_equal(endpointer_create(&c, &ep, err, sizeof(err)), -EINVAL);
	assert_null(ep);
	assert_non_null(strstr(err, "endpointer: invalid settings"));
	endpointer_config_defaults(&c);
	c.kept_silence_ms = -1;
	assert_int_equal(endpointer_create(&c, &ep, err, sizeof(err)), -EINVAL);
	assert_null(ep);
	endpointer_config_defaults(&c);
	c.end_below_peak_db = -3;
	assert_int_equal(endpointer_create(&c, &ep, err, sizeof(err)), -EINVAL);
	assert_null(ep);
	endpointer_destroy(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tone_burst),
		cmocka_unit_test(test_trailing_silence_window),
		cmocka_unit_test(test_pause_events),
		cmocka_unit_test(test_max_length_under_endless_noise),
		cmocka_unit_test(test_ends_under_background_voices),
		cmocka_unit_test(test_timeout_on_silence),
		cmocka_unit_test(test_listen_on_keeps_the_window),
		cmocka_unit_test(test_adapts_to_steady_noise),
		cmocka_unit_test(test_rumble_and_dc_offset),
		cmocka_unit_test(test_click_and_pause),
		cmocka_unit_test(test_speech),
		cmocka_unit_test(test_bad_config),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
