/* libsndfile: recorded clips read into memory, the file source (any format, mixed to mono and
 * resampled to AUDIO_RATE_HZ) and the WAV file sink. The only file that includes libsndfile. */
#include "audio.h"
#include "audio_internal.h"
#include "log.h"
#include "stop.h"

#include <errno.h>
#include <math.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

/* ---- file (libsndfile) ----------------------------------------------------------------------- */

#define FILE_BLOCK 4096 /* frames read from the file at a time */

struct file_source {
	SNDFILE *sf;
	SF_INFO info;
	float *frames;            /* FILE_BLOCK * channels */
	int16_t mono[FILE_BLOCK];
	struct audio_resampler *rs; /* NULL when the file is at AUDIO_RATE_HZ */
	int16_t *pending;         /* converted, not yet delivered */
	size_t pending_n, pending_next, pending_cap;
	bool eof;
};

static int16_t to_s16(float v)
{
	float s = v * 32768.0f;
	if (isnan(s)) /* a float file may hold NaNs: converting one to int16_t is undefined */
		return 0;
	if (s > 32767.0f)
		return 32767;
	if (s < -32768.0f)
		return -32768;
	return (int16_t)(s < 0 ? s - 0.5f : s + 0.5f);
}

/* Refill `pending` with the next block of the file, converted. */
static int file_fill(struct audio_source *src, char *err, size_t errlen)
{
	struct file_source *f = src->impl;
	f->pending_n = f->pending_next = 0;
	while (f->pending_n == 0 && !f->eof) {
		sf_count_t got = sf_readf_float(f->sf, f->frames, FILE_BLOCK);
		if (got < 0 || sf_error(f->sf) != SF_ERR_NO_ERROR)
			return errf(err, errlen, -EINVAL, "%s: cannot read the audio (%s)",
				    src->name, sf_strerror(f->sf));
		int ch = f->info.channels;
		for (sf_count_t i = 0; i < got; i++) {
			float sum = 0;
			for (int c = 0; c < ch; c++)
				sum += f->frames[i * ch + c];
			f->mono[i] = to_s16(sum / (float)ch);
		}
		if (got < FILE_BLOCK)
			f->eof = true;
		if (f->rs) {
			audio_resampler_process(f->rs, f->mono, (size_t)got, &f->pending,
						&f->pending_n, &f->pending_cap);
			if (f->eof)
				audio_resampler_flush(f->rs, &f->pending, &f->pending_n,
						      &f->pending_cap);
		} else if (got > 0) { /* an empty file: no memcpy from NULL */
			if (f->pending_cap < (size_t)got) {
				f->pending =
				    xreallocarray(f->pending, FILE_BLOCK, sizeof(*f->pending));
				f->pending_cap = FILE_BLOCK;
			}
			memcpy(f->pending, f->mono, (size_t)got * sizeof(*f->pending));
			f->pending_n = (size_t)got;
		}
	}
	return 0;
}

static int file_read(struct audio_source *src, int16_t *buf, size_t max, size_t *n_read, bool wait,
		     char *err, size_t errlen)
{
	struct file_source *f = src->impl;
	size_t done = 0;
	while (done < max) {
		if (f->pending_next == f->pending_n) {
			if (f->eof)
				break;
			int r = file_fill(src, err, errlen);
			if (r < 0) {
				*n_read = done;
				return r;
			}
			if (f->pending_n == 0)
				break;
		}
		size_t k = f->pending_n - f->pending_next;
		if (k > max - done)
			k = max - done;
		memcpy(buf + done, f->pending + f->pending_next, k * sizeof(*buf));
		f->pending_next += k;
		done += k;
	}
	*n_read = done;
	return 0;
}

static void file_destroy(struct audio_source *src)
{
	struct file_source *f = src->impl;
	if (!f)
		return;
	if (f->sf)
		sf_close(f->sf);
	audio_resampler_destroy(f->rs);
	free(f->frames);
	free(f->pending);
	free(f);
}

static const struct audio_source_ops file_ops = {
	.read = file_read,
	.destroy = file_destroy,
};

int audio_source_open_file(const char *path, struct audio_source **out, char *err, size_t errlen)
{
	*out = NULL;
	struct file_source *f = xcalloc(1, sizeof(*f));
	struct audio_source *src = audio_source_new(&file_ops, f, path);
	int r;
	FILE *probe = fopen(path, "rb");
	if (!probe) {
		r = errf(err, errlen, errno == ENOENT ? -ENOENT : -EINVAL, "%s: cannot open (%s)",
			 path, strerror(errno));
		goto fail;
	}
	fclose(probe);
	f->sf = sf_open(path, SFM_READ, &f->info);
	if (!f->sf) {
		r = errf(err, errlen, -EINVAL,
			 "%s: not an audio file libsndfile can read (%s) (convert it to WAV, e.g. "
			 "with sox)", path, sf_strerror(NULL));
		goto fail;
	}
	if (f->info.channels < 1 || f->info.channels > 64) {
		r = errf(err, errlen, -EINVAL, "%s: %d channels is not supported (use 1 to 64)",
			 path, f->info.channels);
		goto fail;
	}
	if (!audio_rate_valid(f->info.samplerate)) {
		r = errf(
		    err, errlen, -EINVAL,
		    "%s: sample rate %d Hz is not supported (resample it to %d Hz, e.g. with sox)",
		    path, f->info.samplerate, AUDIO_RATE_HZ);
		goto fail;
	}
	f->frames =
	    xreallocarray(NULL, (size_t)FILE_BLOCK * (size_t)f->info.channels, sizeof(float));
	if (f->info.samplerate != AUDIO_RATE_HZ) {
		r = audio_resampler_create(f->info.samplerate, AUDIO_RATE_HZ, 5, &f->rs, err,
					   errlen);
		if (r < 0)
			goto fail;
	}
	*out = src;
	return 0;
fail:
	audio_source_destroy(src);
	return r;
}

/* ---- WAV file (libsndfile) ------------------------------------------------------------------- */

/* The WAV is written to a hidden file beside the one asked for and renamed over it when the sink
 * is destroyed, so a killed run never leaves a truncated file where the user's was (a forced end
 * removes the hidden one: stop.h). */
struct file_sink {
	char *path;
	char *part; /* the hidden file being written */
	int fd;     /* the part's, until libsndfile takes it */
	SNDFILE *sf;
	bool failed;
};

static int file_sink_write(struct audio_sink *sink, const int16_t *samples, size_t n, char *err,
			   size_t errlen)
{
	struct file_sink *f = sink->impl;
	if (!f->sf) {
		/* Opened at the first write, when the rate is known. */
		SF_INFO info = { .samplerate = sink->rate_hz, .channels = 1,
				 .format = SF_FORMAT_WAV | SF_FORMAT_PCM_16 };
		f->sf = sf_open_fd(f->fd, SFM_WRITE, &info, SF_TRUE);
		if (!f->sf) {
			f->failed = true;
			return errf(err, errlen, -EIO, "%s: cannot create the WAV file (%s)",
				    f->path, sf_strerror(NULL));
		}
		f->fd = -1;
	}
	sf_count_t w = sf_write_short(f->sf, samples, (sf_count_t)n);
	if (w != (sf_count_t)n) {
		f->failed = true;
		return errf(err, errlen, -EIO, "%s: cannot write (%s)", f->path,
			    sf_strerror(f->sf));
	}
	return 0;
}

static int file_sink_finish(struct audio_sink *sink, char *err, size_t errlen)
{
	struct file_sink *f = sink->impl;
	if (f->sf)
		sf_write_sync(f->sf);
	return 0;
}

static void file_sink_destroy(struct audio_sink *sink)
{
	struct file_sink *f = sink->impl;
	if (!f)
		return;
	if (!f->sf && f->fd >= 0) {
		/* Nothing was written: still leave a valid (empty) WAV, not a 0-byte file. */
		if (sink->rate_hz == 0)
			sink->rate_hz = AUDIO_RATE_HZ;
		file_sink_write(sink, NULL, 0, NULL, 0);
	}
	if (f->sf && sf_close(f->sf) != 0)
		f->failed = true;
	if (f->fd >= 0)
		close(f->fd);
	/* A failed write keeps the user's old file, if any, rather than half a new one. */
	int r = stop_part_finish(f->part, f->path, !f->failed);
	if (r < 0)
		log_error("%s: cannot replace it (%s); the new WAV is lost", f->path, strerror(-r));
	free(f->part);
	free(f->path);
	free(f);
}

static const struct audio_sink_ops file_sink_ops = {
	.write = file_sink_write,
	.finish = file_sink_finish,
	.destroy = file_sink_destroy,
};

void audio_sink_discard(struct audio_sink *sink)
{
	if (sink && sink->ops == &file_sink_ops)
		((struct file_sink *)sink->impl)->failed = true;
}

int audio_sink_open_file(const char *path, int rate_hz, struct audio_sink **out, char *err,
			 size_t errlen)
{
	*out = NULL;
	if (rate_hz != 0 && !audio_rate_valid(rate_hz))
		return errf(err, errlen, -EINVAL, "%s: sample rate %d Hz is not supported", path,
			    rate_hz);
	/* Fail now, not at the first write, when the file cannot be created. */
	struct stat st;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return errf(err, errlen, -EISDIR, "%s: cannot create (it is a folder)", path);
	char *part = NULL;
	int fd = stop_part_open(path, &part);
	if (fd < 0) {
		free(part);
		return errf(err, errlen, -EIO, "%s: cannot create (%s)", path, strerror(-fd));
	}
	struct file_sink *f = xcalloc(1, sizeof(*f));
	f->path = xstrdup(path);
	f->part = part;
	f->fd = fd;
	struct audio_sink *sink = audio_sink_new(&file_sink_ops, f, path, rate_hz);
	sink->block_ms = AUDIO_BLOCK_MS_UNPACED;
	if (rate_hz > 0) {
		int r = file_sink_write(sink, NULL, 0, err, errlen);
		if (r < 0) {
			audio_sink_destroy(sink);
			return r;
		}
	}
	*out = sink;
	return 0;
}
