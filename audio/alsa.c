/* alsa-lib (and libjack's message hooks): what PortAudio's ALSA and JACK host APIs print while
 * they probe, and the one configuration mistake that makes PortAudio 19.6 abort. The only file
 * that includes alsa-lib. */
#include "audio_internal.h"
#include "log.h"

#include <alsa/asoundlib.h>
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

static void alsa_silent(const char *file, int line, const char *function, int e, const char *fmt,
			...)
{
}

static void jack_silent(const char *msg)
{
}

void audio_alsa_messages_silence(void)
{
	/* The same handler PortAudio's ALSA host API uses: Debian links libasound directly. */
	snd_lib_error_set_handler(alsa_silent);
	/* libjack is loaded with libportaudio (Debian links it), so its hooks are looked up rather
	 * than linked. */
	void (*set)(void (*)(const char *));
	*(void **)&set = dlsym(RTLD_DEFAULT, "jack_set_error_function");
	if (set)
		set(jack_silent);
	*(void **)&set = dlsym(RTLD_DEFAULT, "jack_set_info_function");
	if (set)
		set(jack_silent);
}

int audio_alsa_default_check(char *err, size_t errlen)
{
	int e = snd_config_update();
	if (e < 0)
		return errf(err, errlen, -EIO,
			    "ALSA's configuration cannot be read (%s) (check ALSA_CONFIG_PATH, "
			    "/etc/asound.conf and ~/.asoundrc)", snd_strerror(e));
	snd_config_t *node = NULL;
	e = snd_config_search(snd_config, "pcm.default", &node);
	snd_config_update_free_global();
	if (e < 0)
		return errf(err, errlen, -ENODEV,
			    "ALSA's configuration defines no default device, pcm.default (check "
			    "ALSA_CONFIG_PATH, /etc/asound.conf and ~/.asoundrc)");
	return 0;
}

int audio_alsa_card_find(const char *spec, char *name, size_t namelen)
{
	if (!spec || !*spec)
		return -ENOENT;
	int card = snd_card_get_index(spec);
	if (card < 0)
		return -ENOENT;
	char *full = NULL;
	if (snd_card_get_name(card, &full) < 0)
		full = NULL;
	snprintf(name, namelen, "%s", full ? full : spec);
	free(full);
	return card;
}

int audio_alsa_pcm_try(const char *pcm_name, bool input)
{
	snd_pcm_t *pcm = NULL;
	/* Non-blocking: a busy device answers -EBUSY at once instead of waiting for its owner. */
	int e = snd_pcm_open(&pcm, pcm_name, input ? SND_PCM_STREAM_CAPTURE : SND_PCM_STREAM_PLAYBACK,
			     SND_PCM_NONBLOCK);
	if (e < 0)
		return e;
	snd_pcm_close(pcm);
	return 0;
}
