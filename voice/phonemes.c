#include "phonemes.h"

#include <errno.h>
#include <string.h>

#include "synthesiser.h"

/* Longest eSpeak NG symbols first (British English voice, "en"). Rhotic vowels get their R:
 * the en-us acoustic model hears the speakers it was trained on. */
static const struct {
	const char *espeak, *cmu;
} map[] = {
	{ "aI@", "AY ER" }, { "aU@", "AW ER" }, { "i@3", "IY ER" },
	{ "@U", "OW" }, { "oU", "OW" }, { "aI", "AY" }, { "eI", "EY" }, { "OI", "OY" },
	{ "aU", "AW" }, { "i@", "IH R" }, { "e@", "EH R" }, { "U@", "UH R" }, { "A@", "AA R" },
	{ "O@", "AO R" }, { "o@", "AO R" }, { "3:", "ER" }, { "@L", "AH L" }, { "A:", "AA" },
	{ "O:", "AO" }, { "i:", "IY" }, { "u:", "UW" }, { "I2", "IH" }, { "I#", "IH" },
	{ "@2", "AH" }, { "@5", "AH" }, { "a#", "AH" }, { "aa", "AA" }, { "tS", "CH" },
	{ "dZ", "JH" }, { "t#", "T" }, { "n-", "N" }, { "l-", "L" }, { "r-", "R" },
	{ "@", "AH" }, { "a", "AE" }, { "0", "AA" }, { "V", "AH" }, { "I", "IH" }, { "i", "IY" },
	{ "U", "UH" }, { "u", "UW" }, { "E", "EH" }, { "e", "EH" }, { "3", "ER" }, { "o", "OW" },
	{ "O", "AO" }, { "S", "SH" }, { "Z", "ZH" }, { "T", "TH" }, { "D", "DH" }, { "N", "NG" },
	{ "j", "Y" }, { "h", "HH" }, { "r", "R" }, { "l", "L" }, { "w", "W" }, { "p", "P" },
	{ "b", "B" }, { "t", "T" }, { "d", "D" }, { "k", "K" }, { "g", "G" }, { "f", "F" },
	{ "v", "V" }, { "s", "S" }, { "z", "Z" }, { "m", "M" }, { "n", "N" }, { "x", "K" },
};

int phonemes_espeak_to_cmu(const char *espeak, char *out, size_t outlen)
{
	if (!outlen)
		return -ENOSPC;
	size_t o = 0;
	out[0] = '\0';
	for (const char *p = espeak; *p;) {
		size_t i, len = 0;
		for (i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
			len = strlen(map[i].espeak);
			if (!strncmp(p, map[i].espeak, len))
				break;
		}
		if (i == sizeof(map) / sizeof(map[0])) {
			p++; /* stress, length, pause, separator or an unknown symbol */
			continue;
		}
		size_t add = strlen(map[i].cmu) + (o ? 1 : 0);
		if (o + add + 1 > outlen)
			return -ENOSPC;
		if (o)
			out[o++] = ' ';
		memcpy(out + o, map[i].cmu, strlen(map[i].cmu) + 1);
		o += strlen(map[i].cmu);
		p += len;
	}
	return o ? 0 : -EINVAL;
}

int phonemes_pronounce(void *synth, const char *word, char *phones, size_t len)
{
	char espeak[512];
	int r = synth_text_to_phonemes(synth, word, espeak, sizeof(espeak));
	if (r < 0)
		return r;
	return phonemes_espeak_to_cmu(espeak, phones, len);
}
