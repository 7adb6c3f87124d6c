/* An ALSA PCM plugin whose every open fails with EBUSY, as a card another program holds (a
 * desktop's sound server) does: tests/test_station_unit.sh gives the station such a device as its
 * card (tests/device/asound-station.conf) and checks the journal names it busy. */
#include <alsa/asoundlib.h>
#include <alsa/pcm_external.h>
#include <errno.h>

/* ALSA finds the open function by name; declared first for -Wmissing-prototypes. */
SND_PCM_PLUGIN_DEFINE_FUNC(talkleaf_busy);

SND_PCM_PLUGIN_DEFINE_FUNC(talkleaf_busy)
{
	(void)pcmp;
	(void)name;
	(void)root;
	(void)conf;
	(void)stream;
	(void)mode;
	return -EBUSY;
}

SND_PCM_PLUGIN_SYMBOL(talkleaf_busy);
