/* libsndfile: recorded clips read into memory. */
#include "audio.h"

#include <errno.h>
#include <sndfile.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

#define CLIP_MAX_SECONDS 60.0

static SNDFILE *clip_open(const char *path, SF_INFO *info, char *err, size_t errlen, int *r)
{
	memset(info, 0, sizeof *info);
	if (access(path, F_OK) != 0) {
		*r = errf(err, errlen, -ENOENT,
			  "%s: clip not found (record it, or fix the clip: line)", path);
		return NULL;
	}
	if (access(path, R_OK) != 0) {
		*r = errf(err, errlen, -EIO, "%s: clip cannot be read (check its permissions)",
			  path);
		return NULL;
	}
	SNDFILE *f = sf_open(path, SFM_READ, info);
	if (!f) {
		*r = errf(err, errlen, -EINVAL,
			  "%s: not a sound file talkleaf can read: %s (save it as WAV)", path,
			  sf_strerror(NULL));
		return NULL;
	}
	if (info->samplerate <= 0 || info->channels <= 0) {
		sf_close(f);
		*r = errf(err, errlen, -EINVAL, "%s: the clip has no sample rate (save it as WAV)",
			  path);
		return NULL;
	}
	double seconds = (double)info->frames / info->samplerate;
	if (info->frames <= 0) {
		sf_close(f);
		*r = errf(err, errlen, -EINVAL, "%s: the clip is empty (record it again)", path);
		return NULL;
	}
	if (seconds >= CLIP_MAX_SECONDS) {
		sf_close(f);
		*r = errf(err, errlen, -EINVAL,
			  "%s: the clip lasts %.0f s, too long for an answer (keep clips under "
			  "%.0f s; put the rest in more:)",
			  path, seconds, CLIP_MAX_SECONDS);
		return NULL;
	}
	*r = 0;
	return f;
}

int audio_clip_check(const char *path, double *seconds, char *err, size_t errlen)
{
	SF_INFO info;
	int r;
	SNDFILE *f = clip_open(path, &info, err, errlen, &r);
	if (!f)
		return r;
	if (seconds)
		*seconds = (double)info.frames / info.samplerate;
	sf_close(f);
	return 0;
}

int audio_clip_load(const char *path, struct pcm *out, char *err, size_t errlen)
{
	SF_INFO info;
	int r;
	out->samples = NULL;
	out->n = 0;
	out->rate_hz = 0;
	SNDFILE *f = clip_open(path, &info, err, errlen, &r);
	if (!f)
		return r;
	size_t frames = (size_t)info.frames;
	size_t ch = (size_t)info.channels;
	int16_t *inter = xreallocarray(NULL, frames * ch, sizeof *inter);
	sf_count_t got = sf_readf_short(f, inter, (sf_count_t)frames);
	sf_close(f);
	if (got <= 0) {
		free(inter);
		return errf(err, errlen, -EIO, "%s: could not read the clip's samples (save it "
			    "again as WAV)", path);
	}
	frames = (size_t)got;
	int16_t *mono = xreallocarray(NULL, frames, sizeof *mono);
	for (size_t i = 0; i < frames; i++) {
		long sum = 0;
		for (size_t c = 0; c < ch; c++)
			sum += inter[i * ch + c];
		mono[i] = (int16_t)(sum / (long)ch);
	}
	free(inter);
	out->samples = mono;
	out->n = frames;
	out->rate_hz = info.samplerate;
	return 0;
}
