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

#include "log.h"
#include "stop.h"

/* The parts of a set, as folders of the last good copy. */
static const char *const kept_parts[] = { "builtin", "scripts", "lexicon" };

/* The scripts and the lexicon from these folders (user_dir may be NULL; lexicon_dir NULL: an
 * empty lexicon, pronunciations left to eSpeak NG). */
static int content_load(const char *builtin_dir, const char *user_dir, const char *lexicon_dir,
			struct session_assets *out, struct diag *d, char *err, size_t errlen)
{
	int r = script_set_load(builtin_dir, user_dir, &out->set, d);
	if (r < 0)
		return errf(err, errlen, r, "the scripts cannot be loaded (fix the errors above)");
	if (!lexicon_dir) {
		out->lex = xcalloc(1, sizeof(*out->lex));
		return 0;
	}
	r = lexicon_load_with_scripts(lexicon_dir, user_dir, &out->lex, d);
	if (r < 0)
		return errf(err, errlen, r, "the lexicon cannot be loaded (fix the errors above)");
	return 0;
}

/* The synthesiser and (unless no_recogniser) the recogniser over out's set and lexicon. */
static int engines_create(const struct session_assets_config *config, struct session_assets *out,
			  struct diag *d, char *err, size_t errlen)
{
	struct synth_config sc;
	synth_config_defaults(&sc);
	int r = synth_create(&sc, out->lex, &out->synth, err, errlen);
	if (r < 0 || config->no_recogniser)
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
	int r = content_load(config->scripts_dir, config->user_scripts_dir, config->lexicon_dir, out,
			     d, err, errlen);
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
	lexicon_destroy(assets->lex);
	script_set_destroy(assets->set);
	memset(assets, 0, sizeof(*assets));
}

/* --- the last good set --- */

static bool is_folder(const char *path)
{
	struct stat st;
	return path && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The files of `from` (not hidden, not subfolders) into the new folder `to`, synced. */
static int folder_copy(const char *from, const char *to)
{
	if (mkdir(to, 0755) != 0)
		return -errno;
	DIR *dir = opendir(from);
	if (!dir)
		return -errno;
	int r = 0;
	struct dirent *e;
	while (r == 0 && (e = readdir(dir))) {
		char *src = xasprintf("%s/%s", from, e->d_name), *dst = NULL;
		struct stat st;
		if (e->d_name[0] == '.' || stat(src, &st) != 0 || !S_ISREG(st.st_mode)) {
			free(src);
			continue;
		}
		dst = xasprintf("%s/%s", to, e->d_name);
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
		free(src);
		free(dst);
	}
	closedir(dir);
	return r;
}

/* Remove a copy: its part folders, then itself. */
static void kept_remove(const char *path)
{
	for (size_t i = 0; i < sizeof(kept_parts) / sizeof(kept_parts[0]); i++) {
		char *part = xasprintf("%s/%s", path, kept_parts[i]);
		stop_folder_remove(part);
		free(part);
	}
	stop_folder_remove(path);
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
			r = folder_copy(from[i], to);
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
		if (!is_folder(part[i])) {
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
		r = content_load(tries[i].builtin, tries[i].user, tries[i].lexicon, out, &quiet,
				 err, errlen);
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
	int r = content_load(config->scripts_dir, config->user_scripts_dir, config->lexicon_dir,
			     &next, d, err, errlen);
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
		r = session_set_assets(s, next.set, next.rec, next.synth, err, errlen);
	if (r < 0) {
		session_assets_done(&next);
		struct synth_config sc;
		synth_config_defaults(&sc);
		char err2[256];
		int r2 = synth_create(&sc, cur->lex, &cur->synth, err2, sizeof(err2));
		if (r2 == 0)
			r2 = session_set_assets(s, cur->set, cur->rec, cur->synth, err2,
						sizeof(err2));
		return r2 < 0 ? errf(err, errlen, r2, "%s", err2) : r;
	}
	session_assets_done(cur);
	*cur = next;
	return 0;
}
