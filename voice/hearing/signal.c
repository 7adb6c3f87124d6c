/* An utterance conditioned for the decoder: the sound around the speaker's words turned down,
 * quiet speech brought up, a faint fixed hiss under digital silence, and whether there is steady
 * noise to take out (speexdsp, through audio_denoise, in recogniser.c). Why each, and what it
 * gained: docs/recognition-tuning.md. */
#include "recogniser_internal.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "audio.h"
#include "log.h"

/* Trimming counts only when something outside the speaker's words comes within this of the loud
 * frames (a voice, not a quiet room's hiss). */
#define TRIM_AUDIBLE_DB 30.0
/* What trimming does to the sound outside: -30 dB, not silence (the decoder wants its silence at
 * either end). */
#define TRIM_OUTSIDE_GAIN 0.0316
/* Denoising also needs the quiet frames steady (their energies' standard deviation below this):
 * the suppressor is built for steady noise and mangles speech under other voices. */
#define DENOISE_STEADY_DB 2.5
/* Too noisy to hear well: the quiet frames unsteady (voices, clatter: nothing denoising takes
 * out) and the loud ones less than this above the quiet ones. */
#define NOISY_SPREAD_DB 22.0
/* Or, steady or not, the loud frames less than this above the quiet ones: a kitchen's fan, talk
 * and clatter together look steady frame by frame, and at 6 dB no speech stands out of them. */
#define DROWNED_SPREAD_DB 15.0
/* Samples this close to zero are digital silence, not a room. */
#define DIGITAL_SILENCE 2
/* Speech whose loud frames are quieter than this (mean square in dB of sample units) is brought
 * up to it, by at most QUIET_MAX_GAIN_DB: the fixed noise floor would drown it. */
#define QUIET_SPEECH_DB 55.0
#define QUIET_MAX_GAIN_DB 30.0
/* Fewer 10 ms frames than this (0.3 s) have no levels worth the name. */
#define LEVELS_MIN_FRAMES 30

/* Copy `in` to `out` (may be the same buffer) adding a faint, fixed pseudo-random hiss of
 * standard deviation `sd` (in sample units): digital silence makes the front end's log energies
 * collapse and the model's batch cepstral mean shift every speech frame (docs/recognition-
 * tuning.md, "Noise floor"). A real microphone's own noise is louder: live audio is unchanged. */
static void add_noise_floor(const int16_t *in, int16_t *out, size_t n, double sd)
{
	uint32_t state = 0x2545f491u; /* fixed: the same audio always decodes the same way */
	for (size_t i = 0; i < n; i++) {
		/* Sum of 4 uniforms: close enough to Gaussian, variance 4/12 of the range^2. */
		double u = 0;
		for (int k = 0; k < 4; k++) {
			state = state * 1664525u + 1013904223u;
			u += (double)(state >> 8) / 16777216.0 - 0.5;
		}
		out[i] = pcm_clip16(in[i] + u * sd * 1.7320508); /* sqrt(3): sd of the sum of 4 is 1/sqrt(3) */
	}
}

static int double_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* What conditioning needs to know of an utterance's levels, from its 10 ms frame energies
 * (high-passed, smoothed over 3 frames):
 * - start/len: the part that holds the speaker's words, from margin_ms before the first to
 *   margin_ms after the last frame within `below_db` of the loud frames (the 90th percentile).
 *   The person asking is the nearest and loudest voice; a television or other people in the room
 *   reach the microphone weaker, and before and after the question (the endpointer's pre-roll
 *   and trailing silence) the recogniser hears only them. The whole utterance when it is short,
 *   when below_db is 0, or when nothing outside comes within TRIM_AUDIBLE_DB of the loud frames.
 * - spread_db: the loud frames against the quiet ones (90th percentile against 10th): about the
 *   signal-to-noise ratio. INFINITY when too short.
 * - quiet_sd_db: the standard deviation of the quieter half's energies: a fan or traffic stays
 *   within a dB or two, other voices do not. INFINITY when too short. */
struct levels {
	size_t start, len;
	double spread_db, quiet_sd_db;
	double loud_db; /* the loud frames (90th percentile): mean square in dB of sample units */
};

static void utterance_levels(const int16_t *pcm, size_t n, double below_db, int margin_ms,
			     struct levels *out)
{
	const size_t frame = AUDIO_FRAME_10MS;
	size_t nf = n / frame;
	*out = (struct levels){ .start = 0, .len = n, .spread_db = INFINITY,
				.quiet_sd_db = INFINITY, .loud_db = INFINITY };
	if (nf < LEVELS_MIN_FRAMES)
		return;
	double *e = xmalloc(nf * sizeof(*e)), *sorted = xmalloc(nf * sizeof(*sorted));
	/* A one-pole high-pass (about 100 Hz) keeps hum and rumble out of the energies. */
	double x1 = 0, y1 = 0, a = 0.96;
	for (size_t f = 0; f < nf; f++) {
		double sum = 0;
		for (size_t i = 0; i < frame; i++) {
			double x = pcm[f * frame + i], y = a * (y1 + x - x1);
			x1 = x;
			y1 = y;
			sum += y * y;
		}
		e[f] = 10 * log10(sum / (double)frame + 1.0);
	}
	/* Smooth over 3 frames so one click does not count as speech. */
	for (size_t f = 0; f < nf; f++) {
		double s = 0;
		int k = 0;
		for (size_t g = f ? f - 1 : 0; g <= f + 1 && g < nf; g++, k++)
			s += pow(10, e[g] / 10);
		sorted[f] = 10 * log10(s / k);
	}
	memcpy(e, sorted, nf * sizeof(*e));
	qsort(sorted, nf, sizeof(*sorted), double_cmp);
	double loud = sorted[nf * 9 / 10], median = sorted[nf / 2];
	out->spread_db = loud - sorted[nf / 10];
	out->loud_db = loud;
	double sum = 0, sum2 = 0;
	size_t k = 0;
	for (size_t f = 0; f < nf; f++)
		if (e[f] <= median) {
			sum += e[f];
			sum2 += e[f] * e[f];
			k++;
		}
	out->quiet_sd_db = sqrt(fmax(0, sum2 / (double)k - (sum / (double)k) * (sum / (double)k)));

	size_t first = nf, last = 0;
	for (size_t f = 0; below_db > 0 && f < nf; f++)
		if (e[f] >= loud - below_db) {
			if (first == nf)
				first = f;
			last = f;
		}
	if (first < nf) {
		size_t m = (size_t)margin_ms * (AUDIO_RATE_HZ / 1000);
		size_t s0 = first * frame > m ? first * frame - m : 0;
		size_t s1 = (last + 1) * frame + m < n ? (last + 1) * frame + m : n;
		/* Only sound worth hearing outside is turned down: a quiet room's changed only
		 * moves the decoder's result at random (docs/recognition-tuning.md, "Trimming"). */
		double loudest_outside = -INFINITY;
		for (size_t f = 0; f < nf; f++)
			if ((f + 1) * frame <= s0 || f * frame >= s1)
				loudest_outside = fmax(loudest_outside, e[f]);
		if (loudest_outside >= loud - TRIM_AUDIBLE_DB) {
			out->start = s0;
			out->len = s1 - s0;
		}
	}
	free(e);
	free(sorted);
}

/* The gain that brings quiet speech (loud frames at `loud_db`) up to QUIET_SPEECH_DB, at most
 * QUIET_MAX_GAIN_DB and never past full scale; 1 for speech at a usual level. */
static double quiet_speech_gain(const int16_t *pcm, size_t n, double loud_db)
{
	if (!(loud_db < QUIET_SPEECH_DB))
		return 1.0;
	double gain = pow(10, fmin(QUIET_MAX_GAIN_DB, QUIET_SPEECH_DB - loud_db) / 20);
	int peak = 1;
	for (size_t i = 0; i < n; i++)
		peak = abs(pcm[i]) > peak ? abs(pcm[i]) : peak;
	return fmin(gain, 32767.0 / peak);
}

/* Whether the room was too noisy to hear well, from the levels of what the microphone gave: the
 * digital silence a file or a test has before and after it is no room's sound. */
static bool too_noisy(const int16_t *pcm, size_t n)
{
	size_t a = 0, b = n;
	while (a < n && abs(pcm[a]) <= DIGITAL_SILENCE)
		a++;
	while (b > a && abs(pcm[b - 1]) <= DIGITAL_SILENCE)
		b--;
	struct levels lv;
	utterance_levels(pcm + a, b - a, 0, 0, &lv);
	bool noisy = (lv.quiet_sd_db >= DENOISE_STEADY_DB && lv.spread_db < NOISY_SPREAD_DB) ||
		     lv.spread_db < DROWNED_SPREAD_DB;
	log_debug("room: spread %.1f dB, quiet frames' sd %.1f dB%s", lv.spread_db, lv.quiet_sd_db,
		  noisy ? ": too noisy to hear well" : "");
	return noisy;
}

int16_t *signal_condition(const struct recogniser_config *config, const int16_t *in, size_t n,
			  struct room *room)
{
	/* Other voices before and after the question (a television, people in the room: the
	 * endpointer's pre-roll and trailing silence) are what breaks recognition in babble: the
	 * language model hears words in them, and the grammar pass, which must explain the whole
	 * utterance with one template sentence, picks a longer, wrong one. */
	struct levels lv;
	utterance_levels(in, n, config->trim_db, config->trim_margin_ms, &lv);
	room->noisy = too_noisy(in, n);
	room->spread_db = lv.spread_db;
	room->quiet_sd_db = lv.quiet_sd_db;
	double gain = quiet_speech_gain(in, n, lv.loud_db);
	int16_t *pcm = xmalloc((n ? n : 1) * sizeof(*pcm));
	for (size_t i = 0; i < n; i++) {
		double x = in[i] * gain;
		if (!(i >= lv.start && i - lv.start < lv.len))
			x *= TRIM_OUTSIDE_GAIN;
		pcm[i] = pcm_clip16(x);
	}
	add_noise_floor(pcm, pcm, n, config->noise_floor);
	/* Steady noise (a fan, a fridge, traffic) is worth taking out, but only when there is some. */
	room->steady_noise = config->denoise ||
			     (lv.spread_db < config->denoise_below_db && lv.quiet_sd_db < DENOISE_STEADY_DB);
	return pcm;
}
