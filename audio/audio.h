/* Sound in and out: sources (microphone, audio file, memory) and sinks (speaker, WAV file, null,
 * memory) behind one small interface, so the live loop and the tests run the same code and only
 * the source and sink differ (miniaudio's null backend is the model). Each library is behind one
 * file: PortAudio (portaudio.c), alsa-lib (alsa.c), libsndfile (sndfile.c), speexdsp
 * (speexdsp.c).
 *
 * Samples are 16-bit signed, mono. Every source delivers AUDIO_RATE_HZ (16 kHz, what the
 * recogniser and endpointer want), whatever the file or device gives; every sink takes samples
 * at any rate (the rate travels with the samples, as in struct pcm below) and resamples once,
 * where it must.
 *
 * Threads: each object is used from one thread (the loop's). The PortAudio microphone runs a
 * callback that only copies into a lock-free ring; nothing else runs behind the caller's back.
 *
 * Errors: functions return 0 or a negative errno and write "what is wrong (what to do)" into
 * err (which may be NULL). -ENODEV: no such device / no device at all. -EIO: a device failed
 * (the message names it; the object can be reopened with audio_*_reopen). -ENOENT, -EINVAL: a
 * file that is missing or cannot be read as audio (the message names the file). */
#pragma once

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The rate every source delivers. */
#define AUDIO_RATE_HZ 16000
/* Samples in 10 ms at AUDIO_RATE_HZ: the frame of the endpointer, the recogniser and denoising. */
#define AUDIO_FRAME_10MS (AUDIO_RATE_HZ / 100)

/* ---- The audio system: the one owner of Pa_Initialize ---------------------------------------- */

struct audio_system;

/* Initialise PortAudio once for the process (main.c or the loop creates it, before any device
 * source or sink, and destroys it after them). Unless `verbose`, the ALSA and JACK libraries'
 * own messages ("ALSA lib pcm.c:... Unknown PCM", "jack server is not running") are silenced
 * through their hooks, and PortAudio's own "Expression '...' failed in '...'" lines (it has no
 * exported hook) are dropped by a filter that replaces stdio's stderr until
 * audio_system_destroy; every other line written to stderr passes unchanged.
 * Checks first that ALSA's configuration defines pcm.default: PortAudio 19.6 aborts the process
 * (an assertion in its ALSA device list) when it does not, so that case is a clear -ENODEV here
 * instead. No device at all is not an error here: opening one then fails with -ENODEV.
 * Returns 0, -EBUSY (one exists already), -ENODEV or -EIO with err. */
int audio_system_create(bool verbose, struct audio_system **out, char *err, size_t errlen);
/* Pa_Terminate. All device sources and sinks must be destroyed first. Accepts NULL. When the
 * sound server has stopped answering (audio_system_stalled), PortAudio is left as it is: its
 * calls would wait for the server; the process ends without them. */
void audio_system_destroy(struct audio_system *sys);
/* Every PortAudio call that can wait for the sound server (open, start, write, stop, close) runs
 * on a thread of the system's, with a deadline (docs/devices.md): a server that stops answering
 * is an -EIO like a lost device ("... does not answer ..."), and the call goes on in the
 * background until the server answers or dies. A wait for it also ends, with -EIO, as soon as
 * *stop (a signal handler's flag; NULL: none) is set. */
void audio_system_set_stop(struct audio_system *sys, volatile sig_atomic_t *stop);
/* True while a PortAudio call is stalled in the sound server. */
bool audio_system_stalled(struct audio_system *sys);

struct audio_device_info {
	int index;                 /* PortAudio device index, usable as --input-device N */
	char name[128];
	char host_api[32];         /* "ALSA", "JACK Audio Connection Kit", ... */
	int max_input_channels;
	int max_output_channels;
	double default_rate_hz;
	bool is_default_input;
	bool is_default_output;
};

/* The devices PortAudio sees. *out is an array owned by the caller (free), *n may be 0 (no
 * device at all: not an error). Returns 0 or a negative errno with err. */
int audio_system_devices(struct audio_system *sys, struct audio_device_info **out, size_t *n,
			 char *err, size_t errlen);

/* How a device source or sink is opened. */
struct audio_device_config {
	/* NULL or "" for the default device; otherwise a device index ("3") or a name: an exact
	 * name first, then an ALSA card's id ("Headset", as in /proc/asound/cards: its first
	 * device), else the only device whose name contains it (case-insensitive). */
	const char *device;
	/* Preferred device rate; 0 for the natural one (16000 for a microphone, 22050, eSpeak NG's
	 * rate, for a speaker). When the device does not support it, its default rate, 48000, 44100,
	 * ... are tried; the difference is resampled. */
	int rate_hz;
	/* Suggested latency in seconds; 0 for PortAudio's default high latency of the device. */
	double latency_s;
	/* Microphone: seconds of audio the capture ring holds when nobody reads (oldest are kept,
	 * newest dropped and counted); 0 for the default (4 s). */
	double buffer_s;
	/* Speaker: size of one write block in milliseconds, how often the abort check runs; 0 for
	 * the default (20 ms). */
	int block_ms;
};

/* Defaults: default device, natural rate, default latency, 4 s ring, 20 ms blocks. */
void audio_device_config_defaults(struct audio_device_config *config);

/* ---- Sources ------------------------------------------------------------------------------- */

struct audio_source;

/* The default or chosen input device, opened at a rate it supports, resampled to AUDIO_RATE_HZ.
 * Capture starts at once and runs until destroyed (also while the assistant speaks: read and
 * discard, or feed barge-in). `sys` must outlive the source. Returns 0, -ENODEV ("no microphone
 * found (connect one, or choose one with --input-device; see talkleaf devices)"), -EIO. */
int audio_source_open_device(struct audio_system *sys, const struct audio_device_config *config,
			     struct audio_source **out, char *err, size_t errlen);

/* Any file libsndfile reads (WAV, FLAC, ...; any rate, any channel count), mixed to mono and
 * resampled to AUDIO_RATE_HZ. Not paced: reads return as fast as the CPU allows. Returns 0,
 * -ENOENT (missing), -EINVAL (not readable as audio: "PATH: what is wrong (what to do)"). */
int audio_source_open_file(const char *path, struct audio_source **out, char *err, size_t errlen);

/* Samples given by the caller (copied; resampled from rate_hz to AUDIO_RATE_HZ). For tests and
 * `converse --turns`. `name` (may be NULL) is used in messages. Returns 0 or -EINVAL. */
int audio_source_open_memory(const int16_t *samples, size_t n, int rate_hz, const char *name,
			     struct audio_source **out, char *err, size_t errlen);
/* Append more samples to a memory source (after it ran dry too: the next read delivers them).
 * Returns 0, -EINVAL (not a memory source, bad rate). */
int audio_source_memory_append(struct audio_source *src, const int16_t *samples, size_t n,
			       int rate_hz, char *err, size_t errlen);

/* Read up to `max` samples at AUDIO_RATE_HZ into buf. A device source waits until `max` samples
 * have arrived; a file or memory source returns fewer only at its end, and *n_read == 0 means
 * the end (a device never ends). Returns 0, -EIO (the device failed or vanished: the message
 * names it; audio_source_reopen may bring it back), -EINVAL (a file that turns out unreadable).
 */
int audio_source_read(struct audio_source *src, int16_t *buf, size_t max, size_t *n_read, char *err,
		      size_t errlen);
/* Like audio_source_read, but never waits: a device source returns what has already arrived
 * (possibly 0); a file or memory source behaves as audio_source_read. For a loop that polls the
 * microphone between playback blocks. */
int audio_source_read_available(struct audio_source *src, int16_t *buf, size_t max,
				size_t *n_read, char *err, size_t errlen);
/* Samples delivered so far (at AUDIO_RATE_HZ): the clock of the conversation's logs. */
uint64_t audio_source_position(const struct audio_source *src);
/* Samples a device lost because nobody read them in time (0 for other sources). */
uint64_t audio_source_dropped(const struct audio_source *src);
/* Device name, file path or memory name, for messages and logs. Valid while src lives. */
const char *audio_source_name(const struct audio_source *src);
/* Close and open the same device again after -EIO (position continues). A file or memory source
 * returns -ENOTSUP. Returns 0, -ENODEV, -EIO. */
int audio_source_reopen(struct audio_source *src, char *err, size_t errlen);
/* Close the device now (audio_source_reopen opens it again). With every device of the system
 * closed, the next open reads the device list again, so a device that came back under another
 * number is found. No-op for other sources. */
void audio_source_close(struct audio_source *src);
/* Stop capture and free. Accepts NULL. */
void audio_source_destroy(struct audio_source *src);

/* ---- Sinks --------------------------------------------------------------------------------- */

struct audio_sink;

/* Checked between blocks while a device sink plays (and between blocks of a long write to any
 * sink): return non-zero to stop at once (a key press). The loop may poll the keypad and the
 * microphone (audio_source_read_available) from here. */
typedef int (*audio_abort_fn)(void *userdata);

/* The default or chosen output device, opened at a rate it supports. The stream starts on the
 * first write and stops in audio_sink_finish / audio_sink_stop. `sys` must outlive the sink.
 * Returns 0, -ENODEV ("no speaker found (...)"), -EIO. */
int audio_sink_open_device(struct audio_system *sys, const struct audio_device_config *config,
			   struct audio_sink **out, char *err, size_t errlen);
/* A 16-bit mono WAV file at rate_hz (0: the rate of the first write). Writes at other rates are
 * resampled. The header is final after audio_sink_destroy (a valid empty WAV at 16 kHz if nothing
 * was written). Returns 0, -EIO (cannot create). */
int audio_sink_open_file(const char *path, int rate_hz, struct audio_sink **out, char *err,
			 size_t errlen);
/* A file sink from audio_sink_open_file keeps the file that was there before (or none) instead
 * of the new one when destroyed: for a write that failed or was stopped. Others: no effect. */
void audio_sink_discard(struct audio_sink *sink);
/* Discards everything at once (counts it). */
int audio_sink_open_null(struct audio_sink **out, char *err, size_t errlen);
/* Collects everything at rate_hz (0: the rate of the first write), for tests. */
int audio_sink_open_memory(int rate_hz, struct audio_sink **out, char *err, size_t errlen);
/* The samples a memory sink collected so far and their rate (NULL/0 for other sinks). Valid
 * until the next write or destroy. */
const int16_t *audio_sink_memory_samples(const struct audio_sink *sink, size_t *n, int *rate_hz);

/* Set (or clear, fn NULL) the abort check. */
void audio_sink_set_abort(struct audio_sink *sink, audio_abort_fn fn, void *userdata);

/* Play/write n samples at rate_hz. A device sink blocks in real time, block by block, and
 * checks the abort function between blocks. *played (may be NULL) gets how many of the n input
 * samples were written before an abort (n when complete). Returns 0 (all of it), 1 (aborted:
 * audio_sink_stop was called for you, queued audio dropped), -EIO (device failed: named; reopen),
 * -EINVAL (bad rate). */
int audio_sink_write(struct audio_sink *sink, const int16_t *samples, size_t n, int rate_hz,
		     size_t *played, char *err, size_t errlen);
/* The end of a reply: let everything written so far be heard, then stop the stream. A device
 * sink writes its output latency (plus a margin) in silence before stopping, because PortAudio
 * 19.6 on ALSA drops queued audio on stop and the end of every reply would be cut off. Waits
 * for that, checking the abort function. No-op for other sinks and when nothing is playing.
 * Returns 0, 1 (aborted), -EIO. */
int audio_sink_finish(struct audio_sink *sink, char *err, size_t errlen);
/* Stop at once and drop what is queued (a key press). No-op when not playing. */
void audio_sink_stop(struct audio_sink *sink);
/* Output latency in seconds of a running/opened device stream (0 for other sinks). */
double audio_sink_latency_s(const struct audio_sink *sink);
/* Samples written so far at the sink's own rate, and that rate (0 until known). */
uint64_t audio_sink_position(const struct audio_sink *sink);
int audio_sink_rate(const struct audio_sink *sink);
const char *audio_sink_name(const struct audio_sink *sink);
/* Close and open the same device again after -EIO. Non-device sinks return -ENOTSUP. */
int audio_sink_reopen(struct audio_sink *sink, char *err, size_t errlen);
/* Close the device now, as audio_source_close. No-op for other sinks. */
void audio_sink_close(struct audio_sink *sink);
/* Finish nothing, stop, close (a file's header is finalised) and free. Accepts NULL. */
void audio_sink_destroy(struct audio_sink *sink);

/* ---- What the sound is like ------------------------------------------------------------------ */

/* The energy above 4 kHz in the speech (the frames within 25 dB of the loudest) against all of
 * it, in dB, for 16 kHz mono; 0 when there is too little to tell. Speech through a wideband
 * microphone: about -25 to -10 dB. Through an 8 kHz stage (a telephone line, a Bluetooth
 * headset's hands-free mode, an 8 kHz file): below AUDIO_NARROWBAND_DB. */
double audio_high_band_db(const int16_t *pcm, size_t n);
#define AUDIO_NARROWBAND_DB -45.0
/* What to tell the person setting up when it is. Measured (bench_recognition --speakers, 76
 * in-domain questions per voice family): understood 41-43% instead of 84-86% in eSpeak NG's
 * voices, 93-95% instead of 99% in flite's voices built from recordings. Debian has no 8 kHz
 * model for PocketSphinx. */
#define AUDIO_NARROWBAND_ADVICE                                                                  \
	"the sound has nothing above 4 kHz, as through a telephone line, a Bluetooth headset in "  \
	"hands-free mode or an 8 kHz recording, and the recogniser hears such speech less well: " \
	"use a wired or USB microphone, or record at 16 kHz or more"

/* ---- Resampler (speexdsp), also used by the sources and sinks ------------------------------ */

struct audio_resampler;

/* Mono int16 from in_rate to out_rate (quality 0-10; 5 when < 0). Returns 0 or -EINVAL. */
int audio_resampler_create(int in_rate, int out_rate, int quality, struct audio_resampler **out,
			   char *err, size_t errlen);
void audio_resampler_destroy(struct audio_resampler *rs);
/* Convert n input samples, appending the output to *out (xrealloc'd, *out_n updated, *out_cap
 * the allocated size). The resampler keeps a short history, so call with consecutive blocks and
 * audio_resampler_flush at the end to get the last few samples. */
void audio_resampler_process(struct audio_resampler *rs, const int16_t *in, size_t n,
			     int16_t **out, size_t *out_n, size_t *out_cap);
void audio_resampler_flush(struct audio_resampler *rs, int16_t **out, size_t *out_n,
			   size_t *out_cap);
/* Resample a whole buffer at once (create, process, flush). *out is xmalloc'd. */
void audio_resample_all(const int16_t *in, size_t n, int in_rate, int out_rate, int16_t **out,
			size_t *out_n);
/* Output samples expected for n input samples (rounded; for buffer sizing and tests). */
size_t audio_resampler_out_len(int in_rate, int out_rate, size_t n);

/* speexdsp's noise suppression, in place, on AUDIO_RATE_HZ samples in 10 ms frames (a trailing
 * part frame is left as it is). A fresh state per call: its noise estimate starts from the
 * audio's own leading silence. */
void audio_denoise(int16_t *pcm, size_t n);

/* --- audio in memory, and recorded clips (audio/pcm.c, audio/sndfile.c) --- */

/* Samples with their rate: audio in memory is exact, resampling happens once, at the sink.
 * Owned by whoever holds the struct: pcm_done frees the samples. A zeroed struct is empty. */
struct pcm {
	int16_t *samples;
	size_t n;
	int rate_hz;
};

/* Free the samples and empty the struct (rate_hz is kept). Accepts NULL. */
void pcm_done(struct pcm *pcm);
/* Multiply every sample by `gain`, saturating at the int16 range (louder and quieter). */
void pcm_scale(struct pcm *pcm, double gain);
/* A sample value, rounded and held within 16 bits. */
int16_t pcm_clip16(double v);
/* Duration in seconds (0 when empty or rate unknown). */
double pcm_seconds(const struct pcm *pcm);

/* A recorded clip (any format/rate/channel count libsndfile reads) as mono 16-bit at its own
 * rate (the sink resamples). Returns 0, or -ENOENT/-EIO/-EINVAL with "path: what is wrong (what
 * to do)" in err. `out` is filled (not appended); the caller frees it with pcm_done. */
int audio_clip_load(const char *path, struct pcm *out, char *err, size_t errlen);
/* For `talkleaf check`: the clip exists, is readable audio, and lasts more than 0 and less than
 * 60 seconds. Returns 0 (and its duration in *seconds when not NULL) or a negative errno with
 * "path: what is wrong (what to do)" in err. */
int audio_clip_check(const char *path, double *seconds, char *err, size_t errlen);
