/* Noise for the benchmarks and tests (noise.h). */
#include "noise.h"

#include <math.h>
#include <stdlib.h>

#include "audio.h"
#include "log.h"

double noise_urand(uint32_t *state)
{
	*state = *state * 1664525u + 1013904223u;
	return (double)(*state >> 8) / 16777216.0;
}

float *noise_pink_create(size_t n, uint32_t *state)
{
	float *pink = xmalloc(n * sizeof(*pink));
	double b0 = 0, b1 = 0, b2 = 0, b3 = 0, b4 = 0, b5 = 0, b6 = 0;
	for (size_t i = 0; i < n; i++) { /* Paul Kellet's refined pink filter */
		double w = noise_urand(state) * 2 - 1;
		b0 = 0.99886 * b0 + w * 0.0555179;
		b1 = 0.99332 * b1 + w * 0.0750759;
		b2 = 0.96900 * b2 + w * 0.1538520;
		b3 = 0.86650 * b3 + w * 0.3104856;
		b4 = 0.55000 * b4 + w * 0.5329522;
		b5 = -0.7616 * b5 - w * 0.0168980;
		pink[i] = (float)(b0 + b1 + b2 + b3 + b4 + b5 + b6 + w * 0.5362);
		b6 = w * 0.115926;
	}
	return pink;
}

/* Scale x (n samples) to a mean power of 1. */
static void unit_power(float *x, size_t n)
{
	double p = 0;
	for (size_t i = 0; i < n; i++)
		p += (double)x[i] * x[i];
	double g = p > 0 ? sqrt((double)n / p) : 0;
	for (size_t i = 0; i < n; i++)
		x[i] = (float)(x[i] * g);
}

/* Three sounds of equal power: an extractor fan's roar (white noise through a 0.9 leaky
 * integrator and a 100 Hz high-pass: falling 6 dB an octave from 250 Hz, little below the
 * recogniser's 133 Hz, where it would cost nothing); a room of talk too far away to make out
 * words (pink noise swelling and fading at syllable rate, a new level every 120-300 ms, silent a
 * quarter of the time); and crockery and cutlery (every 0.3-2 s a clink: white noise ringing
 * through a 1.5-6 kHz resonator for a 20-150 ms decay, 0-12 dB apart). Its own random numbers
 * (from `seed`), so that making it leaves the caller's generator, and so its other noises, as
 * they were. */
float *noise_kitchen_create(const float *pink, size_t n, uint32_t seed)
{
	float *fan = xmalloc(n * sizeof(*fan)), *talk = xmalloc(n * sizeof(*talk));
	float *clink = xmalloc(n * sizeof(*clink));
	double brown = 0, brown_prev = 0, roar = 0, level = 0, target = 0;
	double amp = 0, decay = 0, y1 = 0, y2 = 0, c1 = 0, c2 = 0; /* the clink's resonator */
	size_t next_syllable = 0, next_clink = 0;
	for (size_t i = 0; i < n; i++) {
		double w = noise_urand(&seed) * 2 - 1;
		brown = 0.9 * brown + w;
		roar = 0.96 * roar + brown - brown_prev;
		brown_prev = brown;
		fan[i] = (float)roar;
		if (i >= next_syllable) {
			target = noise_urand(&seed) < 0.25 ? 0.05
							   : 0.3 + noise_urand(&seed) * 0.7; /* pauses too */
			next_syllable = i + 1920 + (size_t)(noise_urand(&seed) * 2880);
		}
		level += (target - level) * 0.003; /* about 20 ms to settle */
		talk[i] = (float)(pink[(i + n / 2) % n] * level);
		if (i >= next_clink) {
			double f = 1500 + noise_urand(&seed) * 4500, r = 0.995;
			c1 = 2 * r * cos(2 * M_PI * f / 16000);
			c2 = -r * r;
			amp = pow(10, -noise_urand(&seed) * 12 / 20);
			decay = exp(-1.0 / ((0.02 + noise_urand(&seed) * 0.13) * 16000));
			next_clink = i + 4800 + (size_t)(noise_urand(&seed) * 27200);
		}
		double y = c1 * y1 + c2 * y2 + amp * w;
		y2 = y1;
		y1 = y;
		amp *= decay;
		clink[i] = (float)y;
	}
	unit_power(fan, n);
	unit_power(talk, n);
	unit_power(clink, n);
	float *kitchen = xmalloc(n * sizeof(*kitchen));
	for (size_t i = 0; i < n; i++)
		kitchen[i] = fan[i] + talk[i] + clink[i];
	free(fan);
	free(talk);
	free(clink);
	return kitchen;
}

double noise_speech_power(const int16_t *x, size_t n)
{
	size_t frame = 320;
	double maxp = 0, sum = 0;
	size_t used = 0;
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i + frame <= n; i += frame) {
			double p = 0;
			for (size_t k = 0; k < frame; k++)
				p += (double)x[i + k] * x[i + k];
			p /= (double)frame;
			if (pass == 0 && p > maxp)
				maxp = p;
			if (pass == 1 && p > maxp / 100) {
				sum += p;
				used++;
			}
		}
	return used ? sum / (double)used : 1;
}

void noise_mix(const int16_t *speech, size_t n, const float *noise, size_t n_noise, double snr_db,
	       size_t offset, int16_t *out)
{
	double ps = noise_speech_power(speech, n), pn = 0;
	for (size_t i = 0; i < n; i++) {
		double v = noise[(offset + i) % n_noise];
		pn += v * v;
	}
	pn /= (double)(n ? n : 1);
	double g = pn > 0 ? sqrt(ps / pn / pow(10, snr_db / 10)) : 0;
	for (size_t i = 0; i < n; i++)
		out[i] = pcm_clip16(speech[i] + g * noise[(offset + i) % n_noise]);
}
