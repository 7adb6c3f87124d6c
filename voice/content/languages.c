/* Finding the installed languages and reading their language.txt (docs/languages.md). */
#include "languages.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "lexicon.h"
#include "log.h"
#include "paths.h"
#include "script.h"
#include "textfile.h"

/* Longest code: "pt-br", "en-gb-x-rp" fit. */
#define CODE_MAX 16

static bool is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Lower-case letters, digits and '-', starting with a letter (also a folder name). */
static bool valid_code(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > CODE_MAX || !islower((unsigned char)s[0]))
		return false;
	for (; *s; s++)
		if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '-'))
			return false;
	return true;
}

/* An eSpeak NG voice name: "en+f3", "pl", "en-gb-x-rp", "mb/mb-en1". */
static bool valid_voice(const char *s)
{
	for (; *s; s++)
		if (!(isalnum((unsigned char)*s) || strchr("+-_/", *s)))
			return false;
	return true;
}

void languages_language_done(struct language *lang)
{
	if (!lang)
		return;
	free(lang->code);
	free(lang->name);
	free(lang->voice);
	for (size_t i = 0; i < lang->n_speaking_words; i++)
		free(lang->speaking_words[i]);
	free(lang->speaking_words);
	free(lang->builtin_dir);
	free(lang->user_dir);
	free(lang->lexicon_builtin_dir);
	free(lang->lexicon_user_dir);
	free((char *)lang->path);
	memset(lang, 0, sizeof(*lang));
}

void languages_destroy(struct languages *langs)
{
	if (!langs)
		return;
	for (size_t i = 0; i < langs->n; i++)
		languages_language_done(&langs->items[i]);
	free(langs->items);
	free(langs);
}

const struct language *languages_find_code(const struct languages *langs, const char *code)
{
	for (size_t i = 0; langs && code && i < langs->n; i++)
		if (strcmp(langs->items[i].code, code) == 0)
			return &langs->items[i];
	return NULL;
}

void languages_codes(const struct languages *langs, char *buf, size_t len)
{
	if (!len)
		return;
	buf[0] = '\0';
	for (size_t i = 0; langs && i < langs->n; i++) {
		size_t used = strlen(buf);
		snprintf(buf + used, len - used, "%s%s", i ? ", " : "", langs->items[i].code);
	}
}

static void set_field(struct diag *d, const char *path, int line, const char *field,
		      const char *value, char **slot, int *slot_line)
{
	if (*slot) {
		diag_error(d, path, line, "second '%s:' (the first is on line %d; keep one)", field,
			   *slot_line);
		return;
	}
	*slot = xstrdup(value);
	*slot_line = line;
}

static void parse_speaking_words(struct language *lang, struct diag *d, const char *path, int line,
				 const char *value)
{
	char *copy = xstrdup(value), *rest = copy;
	for (char *w; (w = strsep(&rest, "|"));) {
		while (*w == ' ' || *w == '\t')
			w++;
		size_t n = strlen(w);
		while (n && (w[n - 1] == ' ' || w[n - 1] == '\t'))
			w[--n] = '\0';
		if (!n) {
			diag_error(d, path, line,
				   "empty word in speaking-words: (write 'speaking-words: say | speak')");
			continue;
		}
		lang->speaking_words = xreallocarray(lang->speaking_words,
						     lang->n_speaking_words + 1,
						     sizeof(*lang->speaking_words));
		lang->speaking_words[lang->n_speaking_words++] = xstrdup(w);
	}
	free(copy);
}

int languages_parse_text(struct language *lang, const char *path, const char *text, bool is_main,
			 struct diag *d)
{
	size_t before = d->n_errors;
	char *copy = xstrdup(text);
	struct textfile_line *lines;
	size_t n = textfile_lines(copy, path, d, &lines);
	char *recognition = NULL;
	int name_line = 0;
	lang->path = xstrdup(path);
	for (size_t i = 0; i < n; i++) {
		const struct textfile_line *l = &lines[i];
		const char *f = l->field, *v = l->value;
		if (!f) {
			diag_error(d, path, l->number,
				   "line has no 'field:' (write it as 'name: Polski')");
			continue;
		}
		if (!*v) {
			diag_error(d, path, l->number,
				   "empty '%s:' (write something after the colon or remove the line)",
				   f);
			continue;
		}
		if (strcmp(f, "language") == 0) {
			if (!valid_code(v))
				diag_error(d, path, l->number,
					   "bad language code '%s' (use lower-case letters, digits and '-', as 'pl' or 'pt-br')",
					   v);
			set_field(d, path, l->number, f, v, &lang->code, &lang->line);
		} else if (strcmp(f, "name") == 0) {
			set_field(d, path, l->number, f, v, &lang->name, &name_line);
		} else if (strcmp(f, "voice") == 0) {
			if (!valid_voice(v))
				diag_error(d, path, l->number,
					   "bad voice '%s' (an eSpeak NG voice, as 'pl' or 'en+f3': espeak-ng --voices lists them)",
					   v);
			set_field(d, path, l->number, f, v, &lang->voice, &lang->voice_line);
		} else if (strcmp(f, "recognition") == 0) {
			if (strcmp(v, "en") != 0 && strcmp(v, "none") != 0)
				diag_error(d, path, l->number,
					   "recognition '%s' is not known (write 'recognition: none' for keypad only, or 'en')",
					   v);
			else if (strcmp(v, "en") == 0 && !is_main)
				diag_error(d, path, l->number,
					   "only the main language can have 'recognition: en' (there is one recogniser, for English; write 'recognition: none')");
			set_field(d, path, l->number, f, v, &recognition, &lang->recognition_line);
		} else if (strcmp(f, "speaking-words") == 0) {
			if (lang->speaking_words_line)
				diag_error(d, path, l->number,
					   "second 'speaking-words:' (the first is on line %d; keep one)",
					   lang->speaking_words_line);
			else
				parse_speaking_words(lang, d, path, l->number, v);
			lang->speaking_words_line = lang->speaking_words_line ? lang->speaking_words_line
									      : l->number;
		} else {
			diag_error(d, path, l->number,
				   "unknown field '%s' (expected language, name, voice, recognition or speaking-words)",
				   f);
		}
	}
	if (!lang->code)
		diag_error(d, path, 0, "no 'language:' line (add 'language: CODE', as 'language: pl')");
	if (!lang->name)
		diag_error(d, path, 0,
			   "no 'name:' line (add the language's own name, as 'name: Polski': the language choice says it)");
	if (!lang->voice)
		diag_error(d, path, 0,
			   "no 'voice:' line (add its eSpeak NG voice, as 'voice: pl')");
	/* Unwritten: English keeps its recogniser, any other language is keypad only. */
	lang->recognition = recognition ? strcmp(recognition, "en") == 0
					: is_main && lang->code && strcmp(lang->code, "en") == 0;
	free(recognition);
	free(lines);
	free(copy);
	return d->n_errors > before ? -EINVAL : 0;
}

/* Read dir/language.txt into lang. -ENOENT when there is none. */
static int read_language(struct language *lang, const char *dir, bool is_main, struct diag *d)
{
	char *path = xasprintf("%s/%s", dir, LANGUAGES_FILE), *text;
	int r = -ENOENT;
	if (is_file(path)) {
		r = textfile_read(path, &text);
		if (r < 0) {
			diag_error(d, path, 0, "cannot read: %s", textfile_read_error(r));
			r = -EINVAL;
		} else {
			r = languages_parse_text(lang, path, text, is_main, d);
			free(text);
		}
	}
	free(path);
	return r;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The sub-folders of dir holding a language.txt, sorted by name. Warns on one that holds
 * scripts but no language.txt (a language a school forgot to name). */
static int list_language_dirs(const char *dir, char ***out, size_t *n_out, struct diag *d)
{
	DIR *dp = opendir(dir);
	*out = NULL;
	*n_out = 0;
	if (!dp) {
		diag_error(d, dir, 0, "cannot read the scripts folder: %s (check the path)",
			   strerror(errno));
		return -ENOENT;
	}
	struct dirent *e;
	while ((e = readdir(dp))) {
		if (e->d_name[0] == '.')
			continue;
		char *sub = xasprintf("%s/%s", dir, e->d_name);
		char *file = xasprintf("%s/%s", sub, LANGUAGES_FILE);
		if (paths_is_dir(sub) && is_file(file)) {
			*out = xreallocarray(*out, *n_out + 1, sizeof(**out));
			(*out)[(*n_out)++] = xstrdup(e->d_name);
		} else if (paths_is_dir(sub) && strcmp(e->d_name, LEXICON_USER_SUBDIR) != 0) {
			char **files;
			int nf = textfile_list_dir(sub, &files);
			if (nf > 0)
				diag_warning(d, sub, 0,
					     "this folder has scripts but no %s, so it is not a language (add one: docs/languages.md)",
					     LANGUAGES_FILE);
			if (nf >= 0)
				textfile_free_list(files, (size_t)nf);
		}
		free(file);
		free(sub);
	}
	closedir(dp);
	if (*n_out)
		qsort(*out, *n_out, sizeof(**out), cmp_str);
	return 0;
}

static char *dir_or_null(char *path)
{
	if (paths_is_dir(path))
		return path;
	free(path);
	return NULL;
}

/* A sub-folder language: code must be the folder's name and unique. */
static void add_sub_language(struct languages *ls, const char *builtin_dir, const char *user_dir,
			     const char *name, struct diag *d)
{
	const char *top = user_dir ? user_dir : builtin_dir;
	char *dir = xasprintf("%s/%s", top, name);
	struct language lang = { 0 };
	if (read_language(&lang, dir, false, d) < 0) {
		languages_language_done(&lang);
		free(dir);
		return;
	}
	const struct language *same = languages_find_code(ls, lang.code);
	if (same) {
		if (same->path)
			diag_error(d, lang.path, lang.line,
				   "language '%s' is already installed by %s:%d (give each language its own code)",
				   lang.code, same->path, same->line);
		else
			diag_error(d, lang.path, lang.line,
				   "language '%s' is already the main language (give each language its own code)",
				   lang.code);
	} else if (strcmp(lang.code, name) != 0) {
		diag_error(d, lang.path, lang.line,
			   "language '%s' is in the folder '%s' (name the folder after the code: '%s/', or change the code)",
			   lang.code, name, lang.code);
	}
	if (user_dir) {
		char *own = dir_or_null(xasprintf("%s/%s", builtin_dir, name));
		lang.builtin_dir = own ? own : xstrdup(builtin_dir);
		lang.user_dir = xstrdup(dir);
		lang.lexicon_user_dir = xstrdup(dir);
	} else {
		lang.builtin_dir = xstrdup(dir);
	}
	lang.lexicon_builtin_dir =
		dir_or_null(xasprintf("%s/%s/%s", builtin_dir, name, LEXICON_USER_SUBDIR));
	ls->items = xreallocarray(ls->items, ls->n + 1, sizeof(*ls->items));
	ls->items[ls->n++] = lang;
	free(dir);
}

/* The main language: top's language.txt, or today's English without one (or, after errors, in
 * place of what is missing, so the other languages are still checked). */
static struct language main_language(const char *builtin_dir, const char *user_dir,
				     struct diag *d)
{
	struct language m = { 0 };
	read_language(&m, user_dir ? user_dir : builtin_dir, true, d);
	if (!m.path)
		m.recognition = true;
	if (!m.code)
		m.code = xstrdup(LANGUAGES_DEFAULT_CODE);
	if (!m.name)
		m.name = xstrdup(LANGUAGES_DEFAULT_NAME);
	if (!m.voice)
		m.voice = xstrdup(LANGUAGES_DEFAULT_VOICE);
	m.builtin_dir = xstrdup(builtin_dir);
	m.user_dir = user_dir ? xstrdup(user_dir) : NULL;
	m.lexicon_builtin_dir = xstrdup(paths_lexicon_dir());
	m.lexicon_user_dir = user_dir ? xstrdup(user_dir) : NULL;
	return m;
}

int languages_find(const char *builtin_dir, const char *user_dir, struct languages **out,
		   struct diag *d)
{
	struct languages *ls = xcalloc(1, sizeof(*ls));
	size_t before = d->n_errors;
	char **names = NULL;
	size_t n_names = 0;
	int r = 0;
	*out = NULL;
	if (list_language_dirs(user_dir ? user_dir : builtin_dir, &names, &n_names, d) < 0)
		r = -ENOENT;
	else if (user_dir && !paths_is_dir(builtin_dir)) {
		diag_error(d, builtin_dir, 0,
			   "cannot read the built-in scripts folder (check the installation)");
		r = -ENOENT;
	}
	if (r == 0) {
		ls->items = xmalloc(sizeof(*ls->items));
		ls->items[ls->n++] = main_language(builtin_dir, user_dir, d);
		for (size_t i = 0; i < n_names; i++)
			add_sub_language(ls, builtin_dir, user_dir, names[i], d);
	}
	for (size_t i = 0; i < n_names; i++)
		free(names[i]);
	free(names);
	if (r == 0 && d->n_errors > before)
		r = -EINVAL;
	if (r < 0) {
		languages_destroy(ls);
		return r;
	}
	*out = ls;
	return 0;
}

int languages_load_set(const struct language *lang, struct script_set **out, struct diag *d)
{
	return script_set_load_flags(lang->builtin_dir, lang->user_dir,
				     lang->recognition ? 0 : SCRIPT_LOAD_KEYPAD_ONLY, out, d);
}

int languages_load_lexicon(const struct language *lang, struct lexicon **out, struct diag *d)
{
	if (lang->lexicon_builtin_dir)
		return lexicon_load_with_scripts(lang->lexicon_builtin_dir, lang->lexicon_user_dir,
						 out, d);
	char *user = lang->lexicon_user_dir
			     ? dir_or_null(xasprintf("%s/%s", lang->lexicon_user_dir,
						     LEXICON_USER_SUBDIR))
			     : NULL;
	int r = 0;
	if (user)
		r = lexicon_load(user, NULL, out, d);
	else
		*out = xcalloc(1, sizeof(**out));
	free(user);
	return r;
}

/* True when the n bytes at p are a whole word of text (no letter or digit either side; bytes
 * >= 0x80 count as letters so Polish words are whole too). */
static bool whole_word_at(const char *text, const char *p, size_t n)
{
	unsigned char before = p > text ? (unsigned char)p[-1] : ' ';
	unsigned char after = (unsigned char)p[n];
	return !(isalnum(before) || before >= 0x80) && !(isalnum(after) || after >= 0x80);
}

static const char *find_word(const char *text, const char *word)
{
	size_t n = strlen(word);
	if (!n)
		return NULL;
	for (const char *p = text; *p; p++)
		if (strncasecmp(p, word, n) == 0 && whole_word_at(text, p, n))
			return p;
	return NULL;
}

bool languages_text_asks_to_speak(const struct language *lang, const char *text,
				  const char **word)
{
	static const char *const english[] = { "say", "speak", "ask", "tell me" };
	for (size_t i = 0; lang && i < lang->n_speaking_words; i++)
		if (find_word(text, lang->speaking_words[i])) {
			*word = lang->speaking_words[i];
			return true;
		}
	for (size_t i = 0; i < sizeof(english) / sizeof(*english); i++)
		if (find_word(text, english[i])) {
			*word = english[i];
			return true;
		}
	return false;
}
