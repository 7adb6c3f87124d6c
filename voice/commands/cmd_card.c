/* `talkleaf card`: a keypad card to put beside a station, made from the scripts' key map: the
 * main menu's keys in large digits with their titles and each sub-menu's topics under its digit,
 * then *, # and 0 (with the help menu under it). Its own words are the language's card-* prompts,
 * so a parent can read it in the language the station speaks to them. Text on stdout, or a
 * one-page SVG (A4) to print. */
#include "commands.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd_assets.h"
#include "cmd_counts.h"
#include "keymap.h"
#include "log.h"
#include "svg.h"

/* One line of the card, made once and then written as text or SVG. */
enum card_kind {
	CARD_MAIN,    /* a main-menu key: a sub-menu or a topic */
	CARD_SUB,     /* a key under the one above: a sub-menu's topic */
	CARD_HELP,    /* a help-menu control, under 0: two a row */
	CARD_HEADING, /* "Other keys" */
	CARD_OTHER,   /* a key that means the same everywhere: *, #, 0 */
	CARD_NOTE,    /* a sentence: how to answer yes or no */
};

/* A menu of 9, each with a sub-menu of 8, the other keys, help's 8 and a few headings. */
#define CARD_LINES_MAX (KEYMAP_MENU_MAX * KEYMAP_MENU_MAX + 2 * KEYMAP_MENU_MAX + 8)

struct card_line {
	enum card_kind kind;
	const char *key;
	char text[160];
};

struct card {
	char title[160]; /* "Press a number to hear about" */
	char ask[160];   /* "Or ask out loud ...", or "" for a language heard by keypad only */
	struct card_line lines[CARD_LINES_MAX];
	size_t n;
};

/* The card prompt `name` with its placeholders filled ({title} from `about`), its say: lines
 * joined, into buf; "" when the scripts have no such prompt. */
static void card_words(const struct script_set *set, const char *name,
		       const struct script_entry *about, char *buf, size_t len)
{
	const struct script_entry *p = script_set_find_prompt(set, name);
	buf[0] = '\0';
	for (size_t i = 0; p && i < p->n_say; i++) {
		char *line = keymap_fill(set, p->say[i], about, NULL);
		size_t o = strlen(buf);
		snprintf(buf + o, len - o, "%s%s", o ? " " : "", line);
		free(line);
	}
}

static const char *entry_title(const struct script_entry *e)
{
	return e->title ? e->title : e->id;
}

/* A line for `e` on `key`: its title, or the prompt `prompt` about it (NULL: the title). */
static void card_add(struct card *c, const struct script_set *set, enum card_kind kind,
		     const char *key, const struct script_entry *e, const char *prompt)
{
	if (c->n == CARD_LINES_MAX)
		return;
	struct card_line *l = &c->lines[c->n++];
	l->kind = kind;
	l->key = key;
	if (prompt)
		card_words(set, prompt, e, l->text, sizeof(l->text));
	else
		snprintf(l->text, sizeof(l->text), "%s", entry_title(e));
}

/* The card from the key map (docs/keypad.md): the main menu's keys with each sub-menu's topics
 * under its digit; then *, # and 0 with the help menu's controls under 0; then yes and no.
 * `spoken`: the language is heard as well as keyed, so the card says a parent can ask. */
static void card_make(const struct script_set *set, bool spoken, struct card *c)
{
	const struct script_entry *items[KEYMAP_MENU_MAX], *sub[KEYMAP_MENU_MAX];
	const struct script_entry *everywhere = keymap_everywhere_topic(set);
	c->n = 0;
	card_words(set, "card-title", NULL, c->title, sizeof(c->title));
	c->ask[0] = '\0';
	if (spoken)
		card_words(set, "card-ask", NULL, c->ask, sizeof(c->ask));
	size_t n = keymap_menu_items(set, NULL, items);
	for (size_t i = 0; i < n; i++) {
		card_add(c, set, CARD_MAIN, items[i]->key, items[i],
			 items[i] == everywhere ? "card-from-anywhere" : NULL);
		if (items[i]->kind != SCRIPT_MENU)
			continue;
		size_t k = keymap_menu_items(set, items[i], sub);
		for (size_t j = 0; j < k; j++)
			card_add(c, set, CARD_SUB, sub[j]->key, sub[j], NULL);
	}
	card_add(c, set, CARD_HEADING, NULL, NULL, "card-other-keys");
	static const char *const keys[] = { "*", "#", "0" };
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		enum control ctl = keymap_everywhere_control(set, keys[i]);
		const struct script_entry *e =
			ctl == CONTROL_COUNT ? NULL : script_set_control(set, ctl);
		if (!e)
			continue;
		card_add(c, set, CARD_OTHER, e->key, e, ctl == CONTROL_HELP ? "card-help-then" : NULL);
		if (ctl != CONTROL_HELP)
			continue;
		size_t k = keymap_help_items(set, sub);
		for (size_t j = 0; j < k; j++)
			card_add(c, set, CARD_HELP, sub[j]->key, sub[j], NULL);
	}
	const struct script_entry *yes = script_set_control(set, CONTROL_YES);
	const struct script_entry *no = script_set_control(set, CONTROL_NO);
	if (yes && no && yes->key && no->key)
		card_add(c, set, CARD_NOTE, NULL, NULL, "card-yes-no");
}

/* One key of the card: `key` in a box, `title` beside it, the top left corner at (x, y). */
static void card_key(FILE *f, double x, double y, double h, const char *key, const char *title,
		     const char *weight)
{
	double w = h * 1.2;
	svg_rect(f, x, y, w, h * 0.86, h * 0.15, "white", "black");
	svg_text(f, x + w / 2, y + h * 0.66, h * 0.62, "middle", "bold", 0, key);
	svg_text(f, x + w + h * 0.35, y + h * 0.6, h * 0.44, "start", weight, 1, title);
}

/* Each line's height on an A4 page at full size; all shrink together when the scripts have more
 * than fits. */
static double line_height(enum card_kind kind)
{
	static const double h[] = { [CARD_MAIN] = 58, [CARD_SUB] = 34, [CARD_HELP] = 34,
				    [CARD_HEADING] = 60, [CARD_OTHER] = 50, [CARD_NOTE] = 50 };
	return h[kind];
}

static void write_card(FILE *f, const struct card *c)
{
	svg_begin(f, "talkleaf keypad card");
	svg_text(f, SVG_PAGE_W / 2.0, 90, 44, "middle", "bold", 0, c->title);
	if (c->ask[0])
		svg_text(f, SVG_PAGE_W / 2.0, 136, 28, "middle", NULL, 0, c->ask);
	double top = 170, total = 0;
	size_t help = 0; /* help-menu controls so far: two a row */
	for (size_t i = 0; i < c->n; i++)
		if (c->lines[i].kind != CARD_HELP || help++ % 2 == 0)
			total += line_height(c->lines[i].kind);
	help = 0;
	double scale = total > SVG_PAGE_H - top - 30 ? (SVG_PAGE_H - top - 30) / total : 1.0;
	double y = top;
	for (size_t i = 0; i < c->n; i++) {
		const struct card_line *l = &c->lines[i];
		double h = line_height(l->kind) * scale;
		switch (l->kind) {
		case CARD_MAIN:
		case CARD_OTHER:
			card_key(f, 60, y + h * 0.1, h * 0.9, l->key, l->text, "bold");
			break;
		case CARD_SUB:
			card_key(f, 60 + 90 * scale, y, h, l->key, l->text, NULL);
			break;
		case CARD_HELP:
			card_key(f, 60 + 90 * scale + (double)(help % 2) * (SVG_PAGE_W - 150) / 2,
				 y, h, l->key, l->text, NULL);
			/* The first of a row: the next goes beside it. */
			if (help++ % 2 == 0 && i + 1 < c->n && c->lines[i + 1].kind == CARD_HELP)
				continue;
			break;
		case CARD_HEADING:
			svg_text(f, 60, y + h * 0.7, h * 0.5, "start", "bold", 0, l->text);
			break;
		case CARD_NOTE:
			svg_text(f, 60, y + h * 0.7, h * 0.5, "start", NULL, 0, l->text);
			break;
		}
		y += h;
	}
	svg_end(f);
}

static void print_card(const struct card *c)
{
	printf("%s:\n", c->title);
	for (size_t i = 0; i < c->n; i++) {
		const struct card_line *l = &c->lines[i];
		switch (l->kind) {
		case CARD_MAIN:
		case CARD_OTHER:
			printf("  %-3s %s\n", l->key, l->text);
			break;
		case CARD_SUB:
		case CARD_HELP:
			printf("        %-3s %s\n", l->key, l->text);
			break;
		case CARD_HEADING:
			printf("%s%s\n%s:\n", c->ask, c->ask[0] ? "\n" : "", l->text);
			break;
		case CARD_NOTE:
			printf("%s\n", l->text);
			break;
		}
	}
}

int cmd_card(const struct app *app, int argc, char **argv)
{
	const char *svg = NULL, *language = NULL;
	const struct cli_option options[] = {
		{ "svg", CLI_STRING, &svg, "FILE", "write the card as a one-page SVG (A4) to print" },
		{ "language", CLI_STRING, &language, "CODE",
		  "the card of that installed language (\"pl\"): its titles and its own words" },
		{ NULL },
	};
	const struct cli_command cmd = {
		"card", "[--svg FILE] [--language CODE]",
		"A keypad card to put beside a station, made from the scripts: the main menu's keys and\n"
		"titles with each sub-menu's topics under its key, then star, hash and 0 (help).\n"
		"Printed as text, or written as SVG with --svg. The card's own words are the card-*\n"
		"prompts of the language's prompts.txt.",
		options,
	};
	char **pos;
	int npos, r = cli_parse_command(&cmd, argc, argv, &pos, &npos, 0);
	if (r != CLI_CONTINUE)
		return r;
	struct diag d;
	diag_init(&d);
	struct languages *langs = NULL;
	struct script_set *set = NULL;
	size_t li;
	int status = 1;
	if (cmd_language_find(app, "card", language, &langs, &li, &d) < 0)
		goto done;
	if (languages_load_set(&langs->items[li], &set, &d) < 0) {
		diag_print(&d, stderr);
		goto done;
	}
	if (app->verbose)
		diag_print(&d, stderr);
	struct card *card = xmalloc(sizeof(*card));
	card_make(set, langs->items[li].recognition, card);
	status = 0;
	if (svg) {
		FILE *f = cmd_svg_open(app, "card", svg);
		status = 1;
		if (f) {
			write_card(f, card);
			status = cmd_svg_close("card", svg, f);
		}
	} else {
		print_card(card);
	}
	free(card);
done:
	script_set_destroy(set);
	languages_destroy(langs);
	diag_done(&d);
	return status;
}
