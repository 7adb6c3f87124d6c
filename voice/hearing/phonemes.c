#include "phonemes.h"

#include <errno.h>
#include <stdbool.h>
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

/* How a speaker of Southern British English says the same symbols: no R after a vowel, a
 * schwa for the final "-er". The en-us model knows these vowels, only not in these words. */
static const struct {
	const char *espeak, *cmu;
} nonrhotic[] = {
	{ "aI@", "AY AH" }, { "aU@", "AW AH" }, { "i@3", "IY AH" }, { "i@", "IH AH" },
	{ "e@", "EH" }, { "U@", "UH AH" }, { "A@", "AA" }, { "O@", "AO" }, { "o@", "AO" },
	{ "3:", "ER" }, { "3", "AH" },
};

static int espeak_to_cmu(const char *espeak, bool rhotic, char *out, size_t outlen)
{
	if (!outlen)
		return -ENOSPC;
	size_t o = 0;
	out[0] = '\0';
	for (const char *p = espeak; *p;) {
		size_t i, len = 0;
		const char *cmu = NULL;
		for (size_t k = 0; !rhotic && k < sizeof(nonrhotic) / sizeof(nonrhotic[0]); k++) {
			len = strlen(nonrhotic[k].espeak);
			if (!strncmp(p, nonrhotic[k].espeak, len)) {
				cmu = nonrhotic[k].cmu;
				break;
			}
		}
		for (i = 0; !cmu && i < sizeof(map) / sizeof(map[0]); i++) {
			len = strlen(map[i].espeak);
			if (!strncmp(p, map[i].espeak, len)) {
				cmu = map[i].cmu;
				break;
			}
		}
		if (!cmu) {
			p++; /* stress, length, pause, separator or an unknown symbol */
			continue;
		}
		size_t add = strlen(cmu) + (o ? 1 : 0);
		if (o + add + 1 > outlen)
			return -ENOSPC;
		if (o)
			out[o++] = ' ';
		memcpy(out + o, cmu, strlen(cmu) + 1);
		o += strlen(cmu);
		p += len;
	}
	return o ? 0 : -EINVAL;
}

int phonemes_espeak_to_cmu(const char *espeak, char *out, size_t outlen)
{
	return espeak_to_cmu(espeak, true, out, outlen);
}

int phonemes_espeak_to_cmu_nonrhotic(const char *espeak, char *out, size_t outlen)
{
	return espeak_to_cmu(espeak, false, out, outlen);
}

static int pronounce(void *synth, const char *word, bool rhotic, char *phones, size_t len)
{
	char espeak[512];
	int r = synth_text_to_phonemes(synth, word, espeak, sizeof(espeak));
	if (r < 0)
		return r;
	return espeak_to_cmu(espeak, rhotic, phones, len);
}

int phonemes_pronounce(void *synth, const char *word, char *phones, size_t len)
{
	return pronounce(synth, word, true, phones, len);
}

int phonemes_pronounce_british(void *synth, const char *word, char *phones, size_t len)
{
	return pronounce(synth, word, false, phones, len);
}
