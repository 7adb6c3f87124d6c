#include "real_voices.h"

#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

/* PocketSphinx's .raw files have no header: 16 kHz, mono, 16-bit little-endian. */
static SNDFILE *open_recording(const char *path, SF_INFO *info)
{
	memset(info, 0, sizeof(*info));
	size_t len = strlen(path);
	if (len > 4 && !strcmp(path + len - 4, ".raw")) {
		info->samplerate = 16000;
		info->channels = 1;
		info->format = SF_FORMAT_RAW | SF_FORMAT_PCM_16 | SF_ENDIAN_LITTLE;
	}
	return sf_open(path, SFM_READ, info);
}

static int read_recording(const char *path, struct real_voice *v, char *err, size_t errlen)
{
	SF_INFO info;
	SNDFILE *f = open_recording(path, &info);
	if (!f) {
		snprintf(err, errlen, "%s: %s (is pocketsphinx-testdata installed? .ci/setup installs it)",
			 path, sf_strerror(NULL));
		return -1;
	}
	if (info.samplerate != 16000 || info.channels != 1 || info.frames <= 0) {
		snprintf(err, errlen, "%s: %d Hz, %d channels, %lld frames: expected 16 kHz mono speech",
			 path, info.samplerate, info.channels, (long long)info.frames);
		sf_close(f);
		return -1;
	}
	v->n = (size_t)info.frames;
	v->pcm = xmalloc(v->n * sizeof(int16_t));
	sf_count_t got = sf_readf_short(f, v->pcm, info.frames);
	sf_close(f);
	if (got != info.frames) {
		snprintf(err, errlen, "%s: read %lld of %lld frames", path, (long long)got,
			 (long long)info.frames);
		return -1;
	}
	return 0;
}

int real_voices_load(const char *list, const char *data_dir, struct real_voice **out, char *err,
		     size_t errlen)
{
	*out = NULL;
	FILE *f = fopen(list, "r");
	if (!f) {
		snprintf(err, errlen, "%s: cannot open", list);
		return -1;
	}
	struct real_voice *v = NULL;
	size_t n = 0;
	char line[1024], path[2048];
	int lineno = 0, r = 0;
	while (r == 0 && fgets(line, sizeof(line), f)) {
		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		char *tab = strchr(line, '\t');
		if (!tab || !tab[1]) {
			snprintf(err, errlen, "%s:%d: expected a file, a tab and what is said", list,
				 lineno);
			r = -1;
			break;
		}
		*tab = '\0';
		v = xreallocarray(v, n + 1, sizeof(*v));
		memset(&v[n], 0, sizeof(v[n]));
		v[n].file = xstrdup(line);
		v[n].text = xstrdup(tab + 1);
		snprintf(path, sizeof(path), "%s/%s", data_dir, line);
		r = read_recording(path, &v[n], err, errlen);
		n++;
	}
	fclose(f);
	if (r < 0) {
		real_voices_free(v, n);
		return -1;
	}
	*out = v;
	return (int)n;
}

void real_voices_free(struct real_voice *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].file);
		free(v[i].text);
		free(v[i].pcm);
	}
	free(v);
}
