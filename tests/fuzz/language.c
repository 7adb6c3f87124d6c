/* libFuzzer target: language.txt (languages_parse_text). The first byte says whether it is the
 * main language's; the rest is the file. What parses has a valid code, a name, a voice and no
 * empty speaking word, and asking whether a text asks to speak reads the input safely. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "languages.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	char *text = malloc(size);
	if (!text)
		abort();
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	struct diag d;
	diag_init(&d);
	struct language lang;
	memset(&lang, 0, sizeof(lang));
	if (languages_parse_text(&lang, "fuzz/language.txt", text, data[0] & 1, &d) == 0) {
		if (!lang.code || !lang.name || !lang.voice || !*lang.code || (!(data[0] & 1) &&
										 lang.recognition))
			abort();
		for (size_t i = 0; i < lang.n_speaking_words; i++)
			if (!*lang.speaking_words[i])
				abort();
	}
	const char *word;
	languages_text_asks_to_speak(&lang, text, &word);
	languages_language_done(&lang);
	diag_done(&d);
	free(text);
	return 0;
}
