/* Time-stretching without changing pitch (audio/stretch.c, SoundTouch): a tone stretched slower
 * and faster keeps its length exact and its pitch (zero crossings, +-1%); its level stays; the
 * factors past the bounds and a rate no sink takes are refused with a message; 1 changes
 * nothing. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "audio.h"
#include "log.h"
#include "stretch.h"

#define RATE 22050

static void make_tone(struct pcm *p, double hz, double seconds)
{
	p->rate_hz = RATE;
	p->n = (size_t)(seconds * RATE);
	p->samples = xcalloc(p->n, sizeof(int16_t));
	for (size_t i = 0; i < p->n; i++)
		p->samples[i] = (int16_t)lrint(12000.0 * sin(2.0 * M_PI * hz * (double)i / RATE));
}

/* Frequency by zero crossings over the middle half (away from the stretch's edges). */
static double pitch_hz(const struct pcm *p)
{
	size_t lo = p->n / 4, hi = p->n * 3 / 4, crossings = 0;
	for (size_t i = lo + 1; i < hi; i++)
		crossings += (p->samples[i] >= 0) != (p->samples[i - 1] >= 0);
	return (double)crossings / 2.0 / ((double)(hi - lo) / p->rate_hz);
}

static double rms(const struct pcm *p)
{
	double s = 0;
	for (size_t i = p->n / 4; i < p->n * 3 / 4; i++)
		s += (double)p->samples[i] * p->samples[i];
	return sqrt(s / (double)(p->n / 2));
}

static void test_stretch_keeps_pitch(void **state)
{
	const double factors[] = { 140.0 / 100, 140.0 / 120, 140.0 / 160, 140.0 / 180 };
	for (size_t k = 0; k < sizeof(factors) / sizeof(factors[0]); k++) {
		struct pcm p = { 0 };
		make_tone(&p, 440.0, 2.0);
		double level = rms(&p);
		size_t n = p.n;
		char err[256] = "";
		assert_int_equal(audio_stretch(&p, factors[k], err, sizeof(err)), 0);
		double hz = pitch_hz(&p);
		printf("stretch %.3f: %zu -> %zu samples, %.1f Hz, level %.2f of the tone's\n",
		       factors[k], n, p.n, hz, rms(&p) / level);
		assert_int_equal(p.n, (size_t)llround((double)n * factors[k]));
		assert_true(fabs(hz / 440.0 - 1.0) < 0.01);
		assert_true(fabs(rms(&p) / level - 1.0) < 0.1);
		assert_int_equal(p.rate_hz, RATE);
		pcm_done(&p);
	}
}

static void test_stretch_refuses(void **state)
{
	struct pcm p = { 0 };
	make_tone(&p, 440.0, 0.5);
	int16_t *before = p.samples;
	size_t n = p.n;
	char err[256] = "";
	assert_int_equal(audio_stretch(&p, 3.0, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "cannot stretch a clip 3.00 times (from 0.5 to 2.0 times works)");
	assert_int_equal(audio_stretch(&p, NAN, err, sizeof(err)), -EINVAL);
	assert_int_equal(audio_stretch(&p, 1.0, err, sizeof(err)), 0);
	assert_ptr_equal(p.samples, before);
	assert_int_equal(p.n, n);
	p.rate_hz = 10;
	assert_int_equal(audio_stretch(&p, 1.2, err, sizeof(err)), -EINVAL);
	assert_string_equal(err, "cannot stretch a clip at 10 Hz (rates from 1000 to 384000 Hz work)");
	assert_ptr_equal(p.samples, before);
	pcm_done(&p);
	/* Empty is nothing to do. */
	struct pcm empty = { .rate_hz = RATE };
	assert_int_equal(audio_stretch(&empty, 1.2, err, sizeof(err)), 0);
	assert_int_equal(empty.n, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stretch_keeps_pitch),
		cmocka_unit_test(test_stretch_refuses),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
