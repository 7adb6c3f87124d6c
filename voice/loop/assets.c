/* What a session speaks from and listens with, loaded once for the commands that run one; for the
 * station, also the last good set kept in its state folder, and the reload (docs/station.md). */
#include "session.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "languages.h"
#include "log.h"
#include "paths.h"
#include "stop.h"

/* The parts of a set, as folders of the last good copy. */
static const char *const kept_parts[] = { "builtin", "scripts", "lexicon" };

int session_language_lexicon(const struct language *l, bool main, const char *lexicon_dir,
			     struct lexicon **out, struct diag *d)
{
	*out = NULL;
	if (!main)
		return languages_load_lexicon(l, out, d);
	if (!lexicon_dir) {
		*out = xcalloc(1, sizeof(**out));
		return 0;
	}
	return lexicon_load_with_scripts(lexicon_dir, l->lexicon_user_dir, out, d);
}

int session_language_find(const struct languages *langs, const char *code, size_t *index,
			  char *err, size_t errlen)
{
	const struct language *l = languages_find_code(langs, code);
	if (l) {
		*index = (size_t)(l - langs->items);
		return 0;
	}
	char codes[512];
	languages_codes(langs, codes, sizeof(codes));
	return errf(err, errlen, -EINVAL,
		    "no language '%s' is installed (the languages are: %s; see talkleaf check)",
		    code, codes);
}

/* Every installed language's scripts and lexicon from these folders (user_dir may be NULL;
 * lexicon_dir, the main language's: NULL for an empty lexicon, pronunciations left to eSpeak
 * NG). */
static int content_load(const struct session_assets_config *config, const char *builtin_dir,
			const char *user_dir, const char *lexicon_dir, struct session_assets *out,
			struct diag *d, char *err, size_t errlen)
{
	int r = languages_find(builtin_dir, user_dir, &out->installed, d);
	if (r < 0)
		return errf(err, errlen, r, "the languages cannot be found (fix the errors above)");
	size_t n = out->installed->n;
	out->languages = xcalloc(n, sizeof(*out->languages));
	out->sets = xcalloc(n, sizeof(*out->sets));
	out->lexes = xcalloc(n, sizeof(*out->lexes));
	out->n_languages = n;
	for (size_t i = 0; i < n; i++) {
		const struct language *l = &out->installed->items[i];
		const char *which = i ? " of language " : "", *code = i ? l->code : "";
		if ((r = languages_load_set(l, &out->sets[i], d)) < 0)
			return errf(err, errlen, r,
				    "the scripts%s%s cannot be loaded (fix the errors above)", which,
				    code);
		if ((r = session_language_lexicon(l, i == 0, lexicon_dir, &out->lexes[i], d)) < 0)
			return errf(err, errlen, r,
				    "the lexicon%s%s cannot be loaded (fix the errors above)", which,
				    code);
		out->languages[i] = (struct session_language){ .code = l->code,
							       .voice = l->voice,
							       .set = out->sets[i],
							       .lex = out->lexes[i],
							       .hears = l->recognition };
	}
	out->set = out->sets[0];
	out->lex = out->lexes[0];
	return config->language ? session_language_find(out->installed, config->language,
							&out->language, err, errlen)
				: 0;
}

/* The synthesiser (in the voice of the language spoken first) and, unless no_recogniser or
 * nothing is to be heard, the recogniser over the main language's set and lexicon. */
static int engines_create(const struct session_assets_config *config, struct session_assets *out,
			  struct diag *d, char *err, size_t errlen)
{
	struct synth_config sc;
	synth_config_defaults(&sc);
	sc.voice = out->languages[out->language].voice;
	sc.language = out->languages[out->language].code;
	int r = synth_create(&sc, out->lex, &out->synth, err, errlen);
	if (r < 0 || config->no_recogniser || !out->languages[0].hears ||
	    (config->language && !out->languages[out->language].hears))
		return r;
	/* As `talkleaf ask`, so live, converse and ask hear alike; the synthesiser that speaks
	 * lends itself for the pronunciations (eSpeak NG is one engine a process). */
	struct recogniser_setup_config rs = config->hearing;
	rs.synth = out->synth;
	return recogniser_setup(&rs, out->set, out->lex, &out->rec, d, err, errlen);
}

int session_assets_load(const struct session_assets_config *config, struct session_assets *out,
			struct diag *d, char *err, size_t errlen)
{
	memset(out, 0, sizeof(*out));
	int r = content_load(config, config->scripts_dir, config->user_scripts_dir,
			     config->lexicon_dir, out, d, err, errlen);
	if (r == 0)
		r = engines_create(config, out, d, err, errlen);
	if (r < 0)
		session_assets_done(out);
	return r;
}

void session_assets_done(struct session_assets *assets)
{
	recogniser_destroy(assets->rec);
	synth_destroy(assets->synth);
	for (size_t i = 0; i < assets->n_languages; i++) {
		lexicon_destroy(assets->lexes[i]);
		script_set_destroy(assets->sets[i]);
	}
	free(assets->lexes);
	free(assets->sets);
	free(assets->languages);
	languages_destroy(assets->installed);
	memset(assets, 0, sizeof(*assets));
}

void session_assets_languages(const struct session_assets *assets, bool fixed,
			      struct session_config *config)
{
	config->languages = assets->languages;
	config->n_languages = assets->n_languages;
	config->language = assets->language;
	config->choose_language = !fixed;
}

/* --- the last good set --- */

/* How deep a copy goes below each part: a language folder (pl/), then its clips/ and lexicon/. */
#define KEPT_DEPTH 2

/* The file `src` into the new file `dst`, synced. */
static int file_copy(const char *src, const char *dst)
{
	int r = 0;
	int in = open(src, O_RDONLY | O_CLOEXEC);
	int out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	char buf[8192];
	ssize_t n = 0;
	while (in >= 0 && out >= 0 && (n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, (size_t)n) != n)
			n = -1;
	if (in < 0 || out < 0 || n < 0 || fsync(out) != 0)
		r = -errno ? -errno : -EIO;
	if (in >= 0)
		close(in);
	if (out >= 0 && close(out) != 0 && r == 0)
		r = -errno;
	return r;
}

/* The files of `from` (not hidden) into the new folder `to`, and its sub-folders `depth` levels
 * down: the loader reads a language's folder and clips and lexicon below it. Links to files are
 * copied as the loader read them; links to folders are skipped (no loop, nothing outside). */
static int folder_copy(const char *from, const char *to, int depth)
{
	if (mkdir(to, 0755) != 0)
		return -errno;
	DIR *dir = opendir(from);
	if (!dir)
		return -errno;
	int r = 0;
	struct dirent *e;
	while (r == 0 && (e = readdir(dir))) {
		if (e->d_name[0] == '.')
			continue;
		char *src = xasprintf("%s/%s", from, e->d_name);
		char *dst = xasprintf("%s/%s", to, e->d_name);
		struct stat st;
		if (lstat(src, &st) == 0 && S_ISDIR(st.st_mode)) {
			if (depth > 0)
				r = folder_copy(src, dst, depth - 1);
		} else if (stat(src, &st) == 0 && S_ISREG(st.st_mode)) {
			r = file_copy(src, dst);
		}
		free(src);
		free(dst);
	}
	closedir(dir);
	return r;
}

/* Remove a folder and its sub-folders `depth` levels down (not following links), deepest first:
 * stop_folder_remove removes only files, being safe in a signal handler. The folder is read
 * again after a removal, as removing while reading may skip a name. */
static void folder_remove(const char *path, int depth)
{
	DIR *dir = depth > 0 ? opendir(path) : NULL;
	for (bool removed = dir != NULL; removed;) {
		removed = false;
		rewinddir(dir);
		struct dirent *e;
		while ((e = readdir(dir))) {
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			char *sub = xasprintf("%s/%s", path, e->d_name);
			struct stat st;
			if (lstat(sub, &st) == 0 && S_ISDIR(st.st_mode)) {
				folder_remove(sub, depth - 1);
				removed = removed || lstat(sub, &st) != 0;
			}
			free(sub);
		}
	}
	if (dir)
		closedir(dir);
	stop_folder_remove(path);
}

/* Remove a copy: its parts and their sub-folders, then itself. */
static void kept_remove(const char *path)
{
	folder_remove(path, KEPT_DEPTH + 1);
}

int session_assets_keep(const struct session_assets_config *config, char *err, size_t errlen)
{
	if (!config->state_dir)
		return 0;
	char *tmp = xasprintf("%s/.last-good.%ld", config->state_dir, (long)getpid());
	char *kept = xasprintf("%s/last-good", config->state_dir);
	const char *from[] = { config->scripts_dir, config->user_scripts_dir, config->lexicon_dir };
	kept_remove(tmp);
	int r = mkdir(tmp, 0755) == 0 ? 0 : -errno;
	for (size_t i = 0; r == 0 && i < sizeof(kept_parts) / sizeof(kept_parts[0]); i++) {
		char *to = xasprintf("%s/%s", tmp, kept_parts[i]);
		if (from[i])
			r = folder_copy(from[i], to, KEPT_DEPTH);
		free(to);
	}
	/* Swapped whole: a power cut leaves the old copy or the new one, never half of one. */
	if (r == 0 && renameat2(AT_FDCWD, tmp, AT_FDCWD, kept, RENAME_EXCHANGE) != 0 &&
	    (errno != ENOENT || rename(tmp, kept) != 0))
		r = -errno;
	kept_remove(tmp);
	if (r < 0)
		errf(err, errlen, r, "cannot keep the last good scripts in %s (check the folder "
				     "exists and is writable)",
		     config->state_dir);
	free(tmp);
	free(kept);
	return r;
}

int session_assets_load_any(const struct session_assets_config *config,
			    struct session_assets *out, const char **served, struct diag *d,
			    char *err, size_t errlen)
{
	int r = session_assets_load(config, out, d, err, errlen);
	*served = "the scripts and lexicon given";
	if (r != -EINVAL && r != -ENOENT)
		return r;
	char *kept = config->state_dir ? xasprintf("%s/last-good", config->state_dir) : NULL;
	char *part[3] = { NULL, NULL, NULL };
	for (size_t i = 0; kept && i < 3; i++) {
		part[i] = xasprintf("%s/%s", kept, kept_parts[i]);
		if (!paths_is_dir(part[i])) {
			free(part[i]);
			part[i] = NULL;
		}
	}
	/* The last good copy, the built-in set, the built-in scripts without a lexicon. */
	struct {
		const char *builtin, *user, *lexicon, *what;
	} tries[] = {
		{ part[0] && part[2] ? part[0] : NULL, part[1], part[2],
		  "the last good scripts and lexicon" },
		{ config->scripts_dir, NULL, config->lexicon_dir, "the built-in scripts and lexicon" },
		{ config->scripts_dir, NULL, NULL, "the built-in scripts without a lexicon" },
	};
	char why[1024];
	snprintf(why, sizeof(why), "%s", err);
	for (size_t i = 0; r < 0 && i < sizeof(tries) / sizeof(tries[0]); i++) {
		if (!tries[i].builtin)
			continue;
		struct diag quiet;
		diag_init(&quiet);
		memset(out, 0, sizeof(*out));
		r = content_load(config, tries[i].builtin, tries[i].user, tries[i].lexicon, out,
				 &quiet, err, errlen);
		if (r == 0)
			r = engines_create(config, out, &quiet, err, errlen);
		if (r < 0)
			session_assets_done(out);
		diag_done(&quiet);
		*served = tries[i].what;
	}
	if (r == 0)
		errf(err, errlen, 0, "%s; serving %s instead", why, *served);
	for (size_t i = 0; i < 3; i++)
		free(part[i]);
	free(kept);
	return r;
}

int session_assets_reload(const struct session_assets_config *config,
			  struct session_assets *cur, struct session *s, struct diag *d,
			  char *err, size_t errlen)
{
	struct session_assets next = { 0 };
	int r = content_load(config, config->scripts_dir, config->user_scripts_dir,
			     config->lexicon_dir, &next, d, err, errlen);
	if (r < 0) {
		session_assets_done(&next);
		return r;
	}
	/* eSpeak NG is one engine a process: the new synthesiser (with the new lexicon, which
	 * the recogniser's pronunciations need) replaces the one in service. */
	synth_destroy(cur->synth);
	cur->synth = NULL;
	r = engines_create(config, &next, d, err, errlen);
	if (r == 0)
		r = session_set_languages(s, next.languages, next.n_languages, next.rec, next.synth,
					  err, errlen);
	if (r < 0) {
		session_assets_done(&next);
		struct synth_config sc;
		synth_config_defaults(&sc);
		char err2[256];
		sc.voice = cur->languages[cur->language].voice;
		sc.language = cur->languages[cur->language].code;
		int r2 = synth_create(&sc, cur->lex, &cur->synth, err2, sizeof(err2));
		if (r2 == 0)
			r2 = session_set_languages(s, cur->languages, cur->n_languages, cur->rec,
						   cur->synth, err2, sizeof(err2));
		return r2 < 0 ? errf(err, errlen, r2, "%s", err2) : r;
	}
	session_assets_done(cur);
	*cur = next;
	return 0;
}
