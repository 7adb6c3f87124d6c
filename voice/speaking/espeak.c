#include "espeak.h"

#include <errno.h>
#include <espeak-ng/espeak_ng.h>
#include <espeak-ng/speak_lib.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "stop.h"

/* Whether a synth owns the engine: a second one fails with -EBUSY instead of silently sharing
 * (and later terminating) the first one's engine. */
static bool engine_claimed;

/* eSpeak NG 1.51 cannot be started twice in one process (the second Terminate hangs), so the
 * engine starts once, with the first claim's data folder, and stops at exit. */
static bool engine_started;
static char *engine_data_dir; /* NULL: eSpeak NG's default */

/* The receiver of the utterance in progress (the synchronous callback has no reliable user
 * pointer for every chunk). */
static struct {
	synth_chunk_fn fn;
	void *userdata;
	bool stopped;
} receiver;

/* eSpeak NG 1.51 opens a test stream on PulseAudio (else ALSA) through pcaudiolib in
 * espeak_ng_InitializeOutput, even in synchronous mode where it never plays: a frozen sound
 * server stalled every offline command 30 s. talkleaf plays through PortAudio only, so eSpeak
 * NG's player is replaced by none: the program's definition takes precedence over libpcaudio's
 * (the linker exports it because libespeak-ng refers to it), and eSpeak NG takes NULL for "no
 * device" (it plays nothing in synchronous mode). docs/signals.md tells how it is tested. */
struct audio_object;
struct audio_object *create_audio_device_object(const char *device, const char *application_name,
						 const char *description);
struct audio_object *create_audio_device_object(const char *device, const char *application_name,
						 const char *description)
{
	(void)device;
	(void)application_name;
	(void)description;
	return NULL;
}

/* eSpeak NG's status as a message for a person. */
static void espeak_message(espeak_ng_STATUS status, char *buf, size_t len)
{
	espeak_ng_GetStatusCodeMessage(status, buf, len);
}

/* Synchronous mode: eSpeak NG calls this with each chunk, on the caller's thread. */
static int synth_callback(short *wav, int n, espeak_EVENT *events)
{
	(void)events;
	if (!engine_claimed || !receiver.fn)
		return 0;
	/* A stop signal ends a long synthesis (a whole say --out) within a chunk. */
	if (receiver.stopped || stop_requested()) {
		receiver.stopped = true;
		return 1;
	}
	if (wav && n > 0 && receiver.fn(receiver.userdata, (const int16_t *)wav, (size_t)n)) {
		receiver.stopped = true;
		return 1;
	}
	return 0;
}

static void engine_stop(void)
{
	espeak_ng_Terminate();
	free(engine_data_dir);
	engine_data_dir = NULL;
	engine_started = false;
}

static bool same_dir(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static int engine_start(const char *data_dir, char *err, size_t errlen)
{
	if (engine_started) {
		if (!same_dir(data_dir, engine_data_dir))
			return errf(err, errlen, -EBUSY,
				    "eSpeak NG already runs from %s and cannot switch to %s in the same "
				    "program (restart talkleaf)",
				    engine_data_dir ? engine_data_dir : "its default data folder",
				    data_dir ? data_dir : "its default data folder");
		return 0;
	}
	espeak_ng_InitializePath(data_dir);
	espeak_ng_ERROR_CONTEXT context = NULL;
	espeak_ng_STATUS st = espeak_ng_Initialize(&context);
	espeak_ng_ClearErrorContext(&context);
	if (st != ENS_OK) {
		char msg[256];
		espeak_message(st, msg, sizeof msg);
		return errf(err, errlen, st == ENOENT ? -ENOENT : -EIO,
			    "eSpeak NG could not start from %s: %s (install espeak-ng-data)",
			    data_dir ? data_dir : "its default data folder", msg);
	}
	st = espeak_ng_InitializeOutput(ENOUTPUT_MODE_SYNCHRONOUS, 0, NULL);
	if (st != ENS_OK) {
		char msg[256];
		espeak_message(st, msg, sizeof msg);
		espeak_ng_Terminate();
		return errf(err, errlen, -EIO, "eSpeak NG output: %s", msg);
	}
	espeak_SetSynthCallback(synth_callback);
	engine_started = true;
	engine_data_dir = data_dir ? xstrdup(data_dir) : NULL;
	atexit(engine_stop);
	return 0;
}

static int check_data_dir(const char *dir, char *err, size_t errlen)
{
	struct stat st;
	if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
		return errf(err, errlen, -ENOENT,
			    "eSpeak NG data folder %s not found (install espeak-ng-data, or give the "
			    "folder that holds phontab)",
			    dir);
	char *phontab = xasprintf("%s/phontab", dir);
	int ok = access(phontab, R_OK) == 0;
	free(phontab);
	if (!ok)
		return errf(err, errlen, -ENOENT,
			    "%s holds no eSpeak NG data (phontab is missing; give the folder that "
			    "holds phontab, such as /usr/lib/x86_64-linux-gnu/espeak-ng-data)",
			    dir);
	return 0;
}

bool espeak_engine_busy(void)
{
	return engine_claimed;
}

int espeak_engine_claim(const char *data_dir, char *err, size_t errlen)
{
	if (data_dir) {
		int r = check_data_dir(data_dir, err, errlen);
		if (r < 0)
			return r;
	}
	int r = engine_start(data_dir, err, errlen);
	if (r < 0)
		return r;
	engine_claimed = true;
	return 0;
}

void espeak_engine_release(void)
{
	engine_claimed = false;
}

int espeak_engine_rate_hz(void)
{
	return espeak_ng_GetSampleRate();
}

/* eSpeak NG's rate number for a measured rate in words a minute, with en+f3 and en (identical
 * timing), eSpeak NG 1.51 (docs/speaking.md: how it was measured). It does not slow down below
 * its number 80 (98 wpm). Sorted by wpm; linear in between. */
static const struct {
	int wpm;
	int espeak;
} rate_table[] = {
	{ 98, 80 },   { 105, 90 },  { 116, 100 }, { 128, 110 }, { 139, 120 }, { 151, 130 },
	{ 163, 140 }, { 174, 150 }, { 186, 160 }, { 198, 170 }, { 209, 180 }, { 221, 190 },
};

static int rate_to_espeak(int wpm)
{
	size_t n = sizeof rate_table / sizeof rate_table[0];
	if (wpm <= rate_table[0].wpm)
		return rate_table[0].espeak;
	for (size_t i = 1; i < n; i++) {
		if (wpm <= rate_table[i].wpm) {
			int w0 = rate_table[i - 1].wpm, w1 = rate_table[i].wpm;
			int e0 = rate_table[i - 1].espeak, e1 = rate_table[i].espeak;
			return e0 + ((e1 - e0) * (wpm - w0) + (w1 - w0) / 2) / (w1 - w0);
		}
	}
	return rate_table[n - 1].espeak;
}

int espeak_voice_set(const char *voice, int rate_wpm, int pitch, int volume, char *err,
		     size_t errlen)
{
	espeak_ng_STATUS st = espeak_ng_SetVoiceByName(voice);
	if (st != ENS_OK) {
		char msg[256];
		espeak_message(st, msg, sizeof msg);
		return errf(err, errlen, st == ENS_VOICE_NOT_FOUND ? -ENOENT : -EIO,
			    "eSpeak NG voice %s: %s (use a voice file name such as en or en+f3; "
			    "espeak-ng --voices lists them)",
			    voice, msg);
	}
	const struct {
		espeak_PARAMETER p;
		int value;
	} params[] = {
		{ espeakRATE, rate_to_espeak(rate_wpm) },
		{ espeakPITCH, pitch },
		{ espeakVOLUME, volume },
	};
	for (size_t i = 0; i < sizeof params / sizeof params[0]; i++) {
		st = espeak_ng_SetParameter(params[i].p, params[i].value, 0);
		if (st != ENS_OK) {
			char msg[256];
			espeak_message(st, msg, sizeof msg);
			return errf(err, errlen, -EIO, "eSpeak NG settings: %s", msg);
		}
	}
	return 0;
}

int espeak_rate_set(int rate_wpm)
{
	espeak_ng_STATUS st = espeak_ng_SetParameter(espeakRATE, rate_to_espeak(rate_wpm), 0);
	return st == ENS_OK ? 0 : -EIO;
}

int espeak_say(const char *prepared, bool phonemes, synth_chunk_fn fn, void *userdata, char *err,
	       size_t errlen)
{
	receiver.fn = fn;
	receiver.userdata = userdata;
	receiver.stopped = false;
	unsigned int flags = espeakCHARS_UTF8 | (phonemes ? espeakPHONEMES : 0);
	espeak_ng_STATUS st = espeak_ng_Synthesize(prepared, strlen(prepared) + 1, 0, POS_CHARACTER,
						   0, flags, NULL, NULL);
	bool stopped = receiver.stopped;
	receiver.fn = NULL;
	receiver.userdata = NULL;
	receiver.stopped = false;
	if (stopped)
		return 1;
	if (st != ENS_OK) {
		char msg[256];
		espeak_message(st, msg, sizeof msg);
		return errf(err, errlen, -EIO, "eSpeak NG could not speak: %s", msg);
	}
	return 0;
}

const char *espeak_clause_phonemes(void *userdata, const void **pos)
{
	(void)userdata;
	return espeak_TextToPhonemes(pos, espeakCHARS_UTF8, 0);
}
