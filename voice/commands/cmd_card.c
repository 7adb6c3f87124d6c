/* `talkleaf card`: a keypad card to put beside a station, made from the scripts: each topic's
 * key in large digits with its title, then the controls' keys. Text on stdout, or a one-page
 * SVG (A4) to print. */
#include "commands.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cmd_counts.h"
#include "log.h"
#include "svg.h"

#define CARD_TITLE "Press a number to hear about"
#define CARD_ASK "Or ask out loud, in your own words."

/* Yes and no share their keys with topics: they are listed apart, as answers. */
static bool answer_key(const struct script_entry *control)
{
	return control->control == CONTROL_YES || control->control == CONTROL_NO;
}

/* "When asked yes or no: 1 yes, 2 no." from the scripts; false when they have no keys. */
static bool yes_no_line(const struct script_set *set, char *buf, size_t len)
{
	const struct script_entry *yes = script_set_control(set, CONTROL_YES);
	const struct script_entry *no = script_set_control(set, CONTROL_NO);
	if (!yes || !no || !yes->key || !no->key)
		return false;
	snprintf(buf, len, "When asked yes or no: %s %s, %s %s.", yes->key,
		 yes->title ? yes->title : "yes", no->key, no->title ? no->title : "no");
	return true;
}

/* One key of the card: `key` in a box, `title` beside it, the top left corner at (x, y). */
static void card_key(FILE *f, double x, double y, double h, const char *key, const char *title)
{
	/* "backspace" and the like need a wider box than a digit. */
	double w = strlen(key) > 2 ? h * 0.45 * (double)strlen(key) + h * 0.4 : h * 1.2;
	svg_rect(f, x, y, w, h * 0.86, h * 0.15, "white", "black");
	svg_text(f, x + w / 2, y + h * 0.66, strlen(key) > 2 ? h * 0.42 : h * 0.62, "middle",
		 "bold", 0, key);
	svg_text(f, x + w + h * 0.35, y + h * 0.6, h * 0.44, "start", NULL, 1, title);
}

static void write_card(FILE *f, const struct script_set *set)
{
	svg_begin(f, "talkleaf keypad card");
	svg_text(f, SVG_PAGE_W / 2.0, 100, 44, "middle", "bold", 0, CARD_TITLE);
	svg_text(f, SVG_PAGE_W / 2.0, 150, 28, "middle", NULL, 0, CARD_ASK);
	size_t n = 0, n_ctl = 0;
	for (size_t i = 0; i < set->n_topics; i++)
		n += set->topics[i].key != NULL;
	for (size_t i = 0; i < set->n_controls; i++)
		n_ctl += set->controls[i].key && !answer_key(&set->controls[i]);
	/* Topics in one column while they fit with large digits, else two; below them the other
	 * keys, two a row, and the yes and no line. */
	int cols = n > 12 ? 2 : 1;
	size_t rows = (n + (size_t)cols - 1) / (size_t)cols;
	double ctl_h = 48, below = 60 + ctl_h * (double)((n_ctl + 1) / 2) + 60 + 40;
	double top = 200, height = SVG_PAGE_H - top - below;
	double row_h = rows ? height / (double)rows : 0;
	if (row_h > 72)
		row_h = 72;
	size_t k = 0;
	for (size_t i = 0; i < set->n_topics; i++) {
		const struct script_entry *e = &set->topics[i];
		if (!e->key)
			continue;
		double x = 60 + (double)(k / rows) * (SVG_PAGE_W - 120) / cols;
		card_key(f, x, top + row_h * (double)(k % rows), row_h, e->key,
			 e->title ? e->title : e->id);
		k++;
	}
	double y = top + row_h * (double)rows + 40;
	svg_text(f, 60, y, 30, "start", "bold", 0, "Other keys");
	y += 20;
	size_t c = 0;
	for (size_t i = 0; i < set->n_controls; i++) {
		const struct script_entry *e = &set->controls[i];
		if (!e->key || answer_key(e))
			continue;
		card_key(f, 60 + (double)(c % 2) * (SVG_PAGE_W - 120) / 2,
			 y + ctl_h * (double)(c / 2), ctl_h, e->key, e->title ? e->title : e->id);
		c++;
	}
	char line[256];
	if (yes_no_line(set, line, sizeof(line)))
		svg_text(f, 60, y + ctl_h * (double)((c + 1) / 2) + 45, 28, "start", NULL, 0, line);
	svg_end(f);
}

int cmd_card(const struct app *app, int argc, char **argv)
{
	const char *svg = NULL;
	const struct cli_option options[] = {
		{ "svg", CLI_STRING, &svg, "FILE", "write the card as a one-page SVG (A4) to print" },
		{ NULL },
	};
	const struct cli_command cmd = {
		"card", "[--svg FILE]",
		"A keypad card to put beside a station, made from the scripts: each topic's key and\n"
		"title, then the other keys. Printed as text, or written as SVG with --svg.",
		options,
	};
	char **pos;
	int npos, r = cli_parse_command(&cmd, argc, argv, &pos, &npos, 0);
	if (r != CLI_CONTINUE)
		return r;
	struct script_set *set = cmd_scripts_load(app);
	if (!set)
		return 1;
	int status = 0;
	if (svg) {
		FILE *f = cmd_svg_open(app, "card", svg);
		status = 1;
		if (f) {
			write_card(f, set);
			status = cmd_svg_close("card", svg, f);
		}
	} else {
		printf("%s:\n", CARD_TITLE);
		for (size_t i = 0; i < set->n_topics; i++)
			if (set->topics[i].key)
				printf("  %-4s %s\n", set->topics[i].key,
				       set->topics[i].title ? set->topics[i].title
							    : set->topics[i].id);
		printf("%s\n\nOther keys:\n", CARD_ASK);
		for (size_t i = 0; i < set->n_controls; i++)
			if (set->controls[i].key && !answer_key(&set->controls[i]))
				printf("  %-10s %s\n", set->controls[i].key,
				       set->controls[i].title ? set->controls[i].title
							      : set->controls[i].id);
		char line[256];
		if (yes_no_line(set, line, sizeof(line)))
			printf("%s\n", line);
	}
	script_set_destroy(set);
	return status;
}
