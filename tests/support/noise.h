/* Noise made for the benchmarks and tests, and speech mixed with it at a given SNR: pink noise,
 * a kitchen (fan, distant talk, clinks), all repeatable from a seed so figures stay comparable
 * between runs. Test code only. */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* The next number in [0, 1) of the linear congruential generator whose state is *state. */
double noise_urand(uint32_t *state);

/* n samples of pink noise (Paul Kellet's refined filter over white noise drawn from *state);
 * the caller frees the result. */
float *noise_pink_create(size_t n, uint32_t *state);

/* The benchmarks' and tests' kitchen. */
#define NOISE_KITCHEN_SEED 19

/* n samples of a kitchen, made from `pink` (n samples) and its own random numbers from `seed`
 * (NOISE_KITCHEN_SEED for the benchmarks' kitchen): an extractor fan, a room of talk too far
 * away to make out and clinks of crockery, each of mean power 1. The caller frees the result. */
float *noise_kitchen_create(const float *pink, size_t n, uint32_t seed);

/* The mean power of the speech in x (n samples): its frames above 1/100 of the loudest frame's
 * power, so leading and trailing silence do not lower it. */
double noise_speech_power(const int16_t *x, size_t n);

/* speech (n samples) plus noise (a loop of n_noise samples, read from `offset`) scaled so that the
 * speech is snr_db above it, into out (n samples). */
void noise_mix(const int16_t *speech, size_t n, const float *noise, size_t n_noise, double snr_db,
	       size_t offset, int16_t *out);
