/* The decoder of a kitchen's second hearing (the utterance as it was, heard beside the denoised
 * one: recogniser.c), made the first time a kitchen is heard, on the thread that needs it. A home
 * that is never that noisy never pays for its memory. The generated search's files are
 * removed once the first decoder has read them, so their text is kept here until then and
 * written again into the second decoder's own private folder. */
#include "recogniser_internal.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "textfile.h"

enum { SEARCH_DICT, SEARCH_LM, SEARCH_NEUTRAL, SEARCH_FILES };
static const char *const file_names[SEARCH_FILES] = { "task.dict", "task.arpa", "neutral.arpa" };

struct second_decoder {
	struct decoder_config config; /* its strings owned here; the file paths set when made */
	char *text[SEARCH_FILES];     /* until the decoder is made */
	char dir[PATH_MAX];
	bool have_dir;
	bool failed; /* made once and failed: not again */
	struct decoder *dec;
};

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

struct second_decoder *second_decoder_keep(const struct decoder_config *config,
					   const char *scratch_template)
{
	struct second_decoder *sd = xcalloc(1, sizeof(*sd));
	const char *paths[SEARCH_FILES] = { config->dict_path, config->lm_path,
					    config->neutral_path };
	for (int i = 0; i < SEARCH_FILES; i++) {
		int r = textfile_read(paths[i], &sd->text[i]);
		if (r < 0) {
			log_warn("%s: cannot read it back for a second decoder (%s); a kitchen's two "
				 "hearings will be decoded one after the other", paths[i],
				 textfile_read_error(r));
			second_decoder_destroy(sd);
			return NULL;
		}
	}
	sd->config = *config;
	sd->config.acoustic_model = dup_or_null(config->acoustic_model);
	sd->config.phone_lm = dup_or_null(config->phone_lm);
	sd->config.grammar = dup_or_null(config->grammar);
	sd->config.adaptation = dup_or_null(config->adaptation);
	sd->config.dict_path = sd->config.lm_path = sd->config.neutral_path = NULL;
	sd->config.scratch_dir = sd->dir;
	snprintf(sd->dir, sizeof(sd->dir), "%s", scratch_template);
	return sd;
}

/* Write the kept files into the private folder, make the decoder, remove them. */
static int second_decoder_make(struct second_decoder *sd, char *err, size_t errlen)
{
	int r = scratch_create(sd->dir, err, errlen);
	if (r < 0)
		return r;
	sd->have_dir = true;
	char *paths[SEARCH_FILES] = { NULL };
	for (int i = 0; r == 0 && i < SEARCH_FILES; i++) {
		paths[i] = xasprintf("%s/%s", sd->dir, file_names[i]);
		FILE *f = fopen(paths[i], "wb");
		size_t len = strlen(sd->text[i]);
		bool written = f && fwrite(sd->text[i], 1, len, f) == len;
		if ((f && fclose(f) != 0) || !written)
			r = errf(err, errlen, -EIO, "%s: cannot write (is the disk full?)", paths[i]);
	}
	if (r == 0) {
		sd->config.dict_path = paths[SEARCH_DICT];
		sd->config.lm_path = paths[SEARCH_LM];
		sd->config.neutral_path = paths[SEARCH_NEUTRAL];
		r = decoder_create(&sd->config, &sd->dec, err, errlen);
		sd->config.dict_path = sd->config.lm_path = sd->config.neutral_path = NULL;
	}
	for (int i = 0; i < SEARCH_FILES; i++) {
		if (paths[i])
			unlink(paths[i]);
		free(paths[i]);
	}
	return r;
}

struct decoder *second_decoder_get(struct second_decoder *sd)
{
	if (sd->dec || sd->failed)
		return sd->dec;
	char err[512];
	if (second_decoder_make(sd, err, sizeof(err)) < 0) {
		sd->failed = true;
		log_warn("the second decoder: %s; a kitchen's two hearings are decoded one after the "
			 "other", err);
	}
	for (int i = 0; i < SEARCH_FILES; i++) {
		free(sd->text[i]);
		sd->text[i] = NULL;
	}
	return sd->dec;
}

bool second_decoder_failed(const struct second_decoder *sd)
{
	return sd->failed;
}

void second_decoder_destroy(struct second_decoder *sd)
{
	if (!sd)
		return;
	decoder_destroy(sd->dec);
	if (sd->have_dir)
		scratch_remove(sd->dir);
	for (int i = 0; i < SEARCH_FILES; i++)
		free(sd->text[i]);
	free((char *)sd->config.acoustic_model);
	free((char *)sd->config.phone_lm);
	free((char *)sd->config.grammar);
	free((char *)sd->config.adaptation);
	free(sd);
}
