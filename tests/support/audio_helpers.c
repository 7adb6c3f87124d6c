#include "audio_helpers.h"

#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <sndfile.h>

#include "audio.h"
#include "log.h"

int tmpdir_make(char *dir, size_t len, const char *base, const char *prefix)
{
	snprintf(dir, len, "%s/%s-XXXXXX", base, prefix);
	return mkdtemp(dir) ? 0 : -1;
}

int tmpdir_remove(const char *dir)
{
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

const char *path_in(const char *dir, const char *name)
{
	static char path[4][512];
	static int i;
	i = (i + 1) % 4;
	snprintf(path[i], sizeof(path[i]), "%s/%s", dir, name);
	return path[i];
}

int16_t *sine(double freq, double peak, int rate, size_t n)
{
	int16_t *s = xmalloc(n * sizeof(*s) + 1);
	for (size_t i = 0; i < n; i++)
		s[i] = (int16_t)lrint(peak * sin(2 * M_PI * freq * (double)i / rate));
	return s;
}

double samples_rms(const int16_t *s, size_t n)
{
	double sum = 0;
	for (size_t i = 0; i < n; i++)
		sum += (double)s[i] * s[i];
	return n ? sqrt(sum / (double)n) : 0;
}

double measure_freq(const int16_t *s, size_t n, int rate)
{
	size_t a = n / 10, b = n - n / 10, first = 0, last = 0;
	int crossings = 0;
	for (size_t i = a + 1; i < b; i++) {
		if (s[i - 1] < 0 && s[i] >= 0) {
			if (crossings == 0)
				first = i;
			last = i;
			crossings++;
		}
	}
	if (crossings < 2)
		return 0;
	return (double)(crossings - 1) * rate / (double)(last - first);
}

int16_t *test_signal(int rate, size_t n, unsigned seed)
{
	int16_t *s = xmalloc(n * sizeof(*s) + 1);
	double phase = 0;
	for (size_t i = 0; i < n; i++) {
		double t = (double)i / rate;
		double f = 300 + 200 * sin(2 * M_PI * 0.7 * t);
		phase += 2 * M_PI * f / rate;
		double env = 0.35 + 0.3 * sin(2 * M_PI * 4 * t);
		seed = seed * 1103515245u + 12345u;
		double noise = ((double)(seed >> 16 & 0x7fff) / 16384.0 - 1.0) * 0.02;
		s[i] = (int16_t)lrint((env * sin(phase) + noise) * 32767.0);
		if (s[i] == 0)
			s[i] = 1; /* zero means silence in the checks */
	}
	return s;
}

long find_samples(const int16_t *hay, size_t n, const int16_t *needle, size_t m)
{
	size_t k = m < 64 ? m : 64;
	for (size_t i = 0; i + k <= n; i++)
		if (memcmp(hay + i, needle, k * sizeof(*hay)) == 0)
			return (long)i;
	return -1;
}

int16_t *read_wav(const char *path, size_t *n, int *rate)
{
	SF_INFO info = { 0 };
	SNDFILE *sf = sf_open(path, SFM_READ, &info);
	if (!sf)
		return NULL;
	assert_int_equal(info.channels, 1);
	*rate = info.samplerate;
	*n = (size_t)info.frames;
	int16_t *s = xmalloc(*n * sizeof(*s) + 1);
	assert_int_equal(sf_readf_short(sf, s, info.frames), info.frames);
	sf_close(sf);
	return s;
}

int key_press_due(void *userdata)
{
	struct key_press *k = userdata;
	return ++k->calls > k->after;
}

struct audio_system *system_open(void)
{
	struct audio_system *sys = NULL;
	char err[512];
	int r = audio_system_create(false, &sys, err, sizeof(err));
	if (r < 0)
		fail_msg("audio_system_create: %s", err);
	return sys;
}

