/* Helpers shared by the audio tests with and without devices (test_audio, test_device,
 * test_device_pulse): a temp folder, test tones and their pitch, a speech-like signal and finding
 * it again, reading back what a sink wrote, a key press for the sinks' abort check, the sound
 * system opened and the clock. cmocka asserts inside; test code only. */
#pragma once

#include <stddef.h>
#include <stdint.h>

struct audio_system;

/* Make a fresh folder "<base>/<prefix>-XXXXXX" in dir (of size len). Returns 0, or -1. */
int tmpdir_make(char *dir, size_t len, const char *base, const char *prefix);
/* Remove the folder and all in it. Returns 0, or -1. */
int tmpdir_remove(const char *dir);
/* "dir/name" in one of 4 rotating static buffers: up to 4 paths can be in use at once. */
const char *path_in(const char *dir, const char *name);

/* A sine at `freq` Hz with the given peak in sample units (32767 is full scale), n samples at
 * rate. Owned by the caller (free). */
int16_t *sine(double freq, double peak, int rate, size_t n);
/* The root mean square of n samples (0 when there are none). */
double samples_rms(const int16_t *s, size_t n);
/* Frequency from upward zero crossings over the middle of the signal (edges skipped); 0 when
 * there are fewer than two. */
double measure_freq(const int16_t *s, size_t n, int rate);
/* Speech-like test signal: a gliding tone with a syllable envelope and a little noise, so every
 * sample differs from its neighbours and a shifted or dropped block cannot match by chance. No
 * sample is zero (zero means silence in the checks). n samples at rate, from seed; owned by the
 * caller (free). */
int16_t *test_signal(int rate, size_t n, unsigned seed);
/* Where `needle` (its first 64 samples) first occurs in hay, or -1. */
long find_samples(const int16_t *hay, size_t n, const int16_t *needle, size_t m);

/* A mono sound file as 16-bit samples (owned by the caller: free), its length and rate; NULL
 * when it cannot be opened. Asserts that it is mono and reads whole. */
int16_t *read_wav(const char *path, size_t *n, int *rate);

/* A key pressed after `after` checks: pass key_press_due and a struct key_press to
 * audio_sink_set_abort. */
struct key_press {
	int calls, after;
};
int key_press_due(void *userdata);

/* The sound system (audio_system_create, libraries' messages silenced); the test fails with its
 * error when it cannot be made. */
struct audio_system *system_open(void);
