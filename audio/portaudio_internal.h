/* What the two PortAudio files share: portaudio.c (the system, the device list, the microphone)
 * and portaudio_speaker.c (the speaker). With them, the only place PortAudio is included. Not for
 * other files. */
#pragma once

#include "audio_internal.h"

#include <portaudio.h>
#include <signal.h>

/* eSpeak NG's rate: a speaker opened at it plays replies without resampling. */
#define SPEAKER_RATE_HZ 22050
/* A microphone that delivers nothing for this long (beyond its latency) has failed. */
#define CAPTURE_STALL_S 2.0
/* Extra silence after the output latency at the end of a reply. */
#define FINISH_MARGIN_S 0.05
/* Deadlines on the device thread: opening probes several formats, each a connection to the
 * server (well under a second when it answers); a 20 ms block is written within the stream's
 * latency; stopping and closing are quick. Past them, the server is taken as stalled. Generous,
 * because a loaded machine (a sanitizer build beside other work) is not a stalled server: a stall
 * is only told later, and recovery does not wait for the deadline. */
#define OPEN_TIMEOUT_S 10.0
#define WRITE_TIMEOUT_S 2.0
#define CLOSE_TIMEOUT_S 3.0

struct audio_system {
	bool verbose;
	struct audio_device_thread *thread;
	volatile sig_atomic_t *stop;
	/* The device thread's: none open lets an open re-read the device list. */
	int open_streams;
	PaError init_error; /* Pa_Initialize's, for the message */
};

/* PortAudio's error text (the host's own for an unanticipated host error). */
const char *audio_pa_text(PaError e);
/* Copy a name that may be NULL. */
void audio_pa_copy_name(char *dst, size_t len, const char *src);
/* The device `spec` names (NULL/"": the default) for input or output. 0, -ENODEV, or -EIO
 * when the card is busy (another program has it open), with err. */
int audio_pa_find_device(const char *spec, bool input, PaDeviceIndex *index, char *err,
			 size_t errlen);
/* Open parameters for the device: mono when it can, else its first two channels, at the first
 * rate it supports from prefer_rate on. 0, -ENODEV or -EIO with err. */
int audio_pa_stream_params(PaDeviceIndex index, bool input, const struct audio_device_config *cfg,
			   int prefer_rate, PaStreamParameters *p, int *rate, char *err,
			   size_t errlen);
/* Run a job on the device thread (audio_device_thread_call with the system's stop flag). */
int audio_pa_call(struct audio_system *sys, int (*job)(void *), void *arg, double timeout_s);
/* -EIO: the microphone or speaker `name` does not answer. */
int audio_pa_stalled_error(bool input, const char *name, char *err, size_t errlen);
/* The device thread's: read PortAudio's device list again when no stream is open. */
void audio_pa_refresh_devices(struct audio_system *sys);
/* The device thread's: abort (when started) and close a stream, and count it closed. */
void audio_pa_stream_close(struct audio_system *sys, PaStream **stream, bool started);
