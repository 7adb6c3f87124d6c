/* `talkleaf counts`: what a station was asked, per day, from the counts its state folder keeps
 * (voice/loop/counts.h): a table, CSV, or a one-page SVG bar chart a school can print. Also
 * what live and converse share to keep the counts and to say what their log holds. */
#include "cmd_counts.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "cmd_outputs.h"
#include "diag.h"
#include "log.h"
#include "svg.h"

const char *cmd_state_dir(const struct app *app, const char *given)
{
	return given ? given : app->state_dir;
}

int cmd_counts_open(const struct app *app, const char *given, struct counts **out)
{
	*out = NULL;
	const char *dir = cmd_state_dir(app, given);
	char err[1024];
	if (!dir)
		return 0;
	if (counts_create(dir, out, err, sizeof(err)) < 0) {
		log_error("%s", err);
		return 2;
	}
	log_info("counting the questions asked (numbers only) in %s", dir);
	return 0;
}

void cmd_counts_close(struct counts *counts)
{
	char err[1024];
	if (counts_save(counts, err, sizeof(err)) != 0)
		log_warn("%s", err);
	counts_destroy(counts);
}

void cmd_log_notice(const char *log_path, bool words)
{
	if (log_path && words)
		log_warn("--log-words: %s keeps the words each person said (remove it when done)",
			 log_path);
}

struct script_set *cmd_scripts_load(const struct app *app)
{
	struct diag d;
	diag_init(&d);
	struct script_set *set = NULL;
	if (script_set_load(app->assets.scripts_dir, app->assets.user_scripts_dir, &set, &d) < 0) {
		diag_print(&d, stderr);
		set = NULL;
	} else if (app->verbose) {
		diag_print(&d, stderr);
	}
	diag_done(&d);
	return set;
}

/* The topic ids to show: every topic of the scripts in key order, then any other id counted
 * (a topic since removed). */
struct topic_row {
	const char *id, *key, *title;
	long n;
};

static size_t topic_rows(const struct script_set *set, const struct counts_day *total,
			 struct topic_row **out)
{
	size_t n_set = set ? set->n_topics : 0, n = 0;
	struct topic_row *rows = xcalloc(n_set + total->n_topics + 1, sizeof(*rows));
	for (size_t i = 0; i < n_set; i++) {
		const struct script_entry *e = &set->topics[i];
		rows[n++] = (struct topic_row){ e->id, e->key, e->title ? e->title : e->id,
						counts_day_topic(total, e->id) };
	}
	for (size_t i = 0; i < total->n_topics; i++) {
		const char *id = total->topics[i].id;
		if (!set || !script_set_find_topic(set, id))
			rows[n++] = (struct topic_row){ id, NULL, id, total->topics[i].n };
	}
	*out = rows;
	return n;
}

static void print_table(const struct counts_day *days, size_t n_days,
			const struct counts_day *total, const struct topic_row *rows,
			size_t n_rows)
{
	printf("%-10s %6s %9s %7s %9s %11s %15s\n", "day", "asked", "by voice", "by key",
	       "answered", "asked back", "not understood");
	for (size_t i = 0; i <= n_days; i++) {
		const struct counts_day *d = i < n_days ? &days[i] : total;
		printf("%-10s %6ld %9ld %7ld %9ld %11ld %15ld\n", i < n_days ? d->date : "total",
		       d->asked_voice + d->asked_key, d->asked_voice, d->asked_key, d->answered,
		       d->asked_back, d->not_understood);
	}
	printf("\n%-4s %-28s %6s  %s\n", "key", "topic", "said", "title");
	for (size_t i = 0; i < n_rows; i++)
		printf("%-4s %-28s %6ld  %s\n", rows[i].key ? rows[i].key : "-", rows[i].id,
		       rows[i].n, rows[i].title);
}

static void print_csv(const struct counts_day *days, size_t n_days, const struct topic_row *rows,
		      size_t n_rows)
{
	fputs("date,asked,asked_voice,asked_key,answered,asked_back,not_understood", stdout);
	for (size_t i = 0; i < n_rows; i++)
		printf(",topic:%s", rows[i].id);
	fputc('\n', stdout);
	for (size_t i = 0; i < n_days; i++) {
		const struct counts_day *d = &days[i];
		printf("%s,%ld,%ld,%ld,%ld,%ld,%ld", d->date, d->asked_voice + d->asked_key,
		       d->asked_voice, d->asked_key, d->answered, d->asked_back, d->not_understood);
		for (size_t j = 0; j < n_rows; j++)
			printf(",%ld", counts_day_topic(d, rows[j].id));
		fputc('\n', stdout);
	}
}

static int row_by_count(const void *a, const void *b)
{
	const struct topic_row *x = a, *y = b;
	return (y->n > x->n) - (y->n < x->n);
}

/* The chart: the period's figures, then a bar a topic, most asked first. */
static void write_chart(FILE *f, const char *from, const char *to, const struct counts_day *total,
			struct topic_row *rows, size_t n_rows)
{
	char line[256];
	svg_begin(f, "Questions asked at the talking leaflet");
	svg_text(f, 60, 90, 34, "start", "bold", 0, "Questions asked at the talking leaflet");
	if (from && to && strcmp(from, to) != 0)
		snprintf(line, sizeof(line), "From %s to %s", from, to);
	else
		snprintf(line, sizeof(line), "On %s", from ? from : to ? to : "no day yet");
	svg_text(f, 60, 140, 28, "start", NULL, 0, line);
	snprintf(line, sizeof(line), "%ld questions: %ld spoken, %ld by key. %ld answered.",
		 total->asked_voice + total->asked_key, total->asked_voice, total->asked_key,
		 total->answered);
	svg_text(f, 60, 190, 26, "start", NULL, 0, line);
	snprintf(line, sizeof(line), "%ld asked back, %ld not understood.", total->asked_back,
		 total->not_understood);
	svg_text(f, 60, 228, 26, "start", NULL, 0, line);
	svg_text(f, 60, SVG_PAGE_H - 30, 20, "start", NULL, 0,
		 "Numbers only: no words and no sound were kept.");

	/* A stable order: most said first, then as the scripts list them. */
	for (size_t i = 1; i < n_rows; i++)
		for (size_t j = i; j > 0 && row_by_count(&rows[j - 1], &rows[j]) > 0; j--) {
			struct topic_row t = rows[j];
			rows[j] = rows[j - 1];
			rows[j - 1] = t;
		}
	long max = 1;
	for (size_t i = 0; i < n_rows; i++)
		if (rows[i].n > max)
			max = rows[i].n;
	const double top = 280, bottom = SVG_PAGE_H - 80, left = 60, width = SVG_PAGE_W - 180;
	double row_h = n_rows ? (bottom - top) / (double)n_rows : 0;
	if (row_h > 72)
		row_h = 72;
	double font = row_h * 0.36, bar_h = row_h * 0.42;
	for (size_t i = 0; i < n_rows; i++) {
		double y = top + row_h * (double)i;
		svg_text(f, left, y + font, font, "start", NULL, 1, rows[i].title);
		double w = width * (double)rows[i].n / (double)max;
		svg_rect(f, left, y + font * 1.25, w > 2 ? w : 2, bar_h, 0, "#3060a0", NULL);
		snprintf(line, sizeof(line), "%ld", rows[i].n);
		svg_text(f, left + (w > 2 ? w : 2) + 12, y + font * 1.25 + bar_h * 0.8, font, "start",
			 "bold", 0, line);
	}
	svg_end(f);
}

FILE *cmd_svg_open(const struct app *app, const char *who, const char *path)
{
	char err[1024];
	if (cmd_output_check(app, "--svg", path, NULL, 0, err, sizeof(err)) < 0) {
		log_error("%s: %s", who, err);
		return NULL;
	}
	FILE *f = fopen(path, "w");
	if (!f)
		log_error("%s: cannot write %s: %s", who, path, strerror(errno));
	return f;
}

int cmd_svg_close(const char *who, const char *path, FILE *f)
{
	if (fclose(f) != 0) {
		log_error("%s: cannot write %s: %s", who, path, strerror(errno));
		return 1;
	}
	return 0;
}

int cmd_counts(const struct app *app, int argc, char **argv)
{
	const char *state_dir = NULL, *svg = NULL, *from = NULL, *to = NULL;
	bool csv = false;
	const struct cli_option options[] = {
		{ "state-dir", CLI_STRING, &state_dir, "DIR",
		  "the counts kept here (default: $STATE_DIRECTORY, as systemd sets it)" },
		{ "csv", CLI_FLAG, &csv, NULL, "print CSV: a row a day, a column a topic" },
		{ "svg", CLI_STRING, &svg, "FILE", "write a one-page bar chart to print (A4)" },
		{ "from", CLI_STRING, &from, "YYYY-MM-DD", "from this day" },
		{ "to", CLI_STRING, &to, "YYYY-MM-DD", "up to this day" },
		{ NULL },
	};
	const struct cli_command cmd = {
		"counts", "[--state-dir DIR] [--csv | --svg FILE] [--from DATE] [--to DATE]",
		"What the station was asked, per day: questions by voice and by key, answered, asked\n"
		"back (\"did you ask about ...?\"), not understood, and each topic said. Numbers only:\n"
		"no words and no sound are kept (docs/counts.md).",
		options,
	};
	char **pos;
	int npos, r = cli_parse_command(&cmd, argc, argv, &pos, &npos, 0);
	if (r != CLI_CONTINUE)
		return r;
	const char *dir = cmd_state_dir(app, state_dir);
	if (!dir) {
		log_error("counts: no state folder (give --state-dir DIR, the folder the station "
			  "was given)");
		return 2;
	}
	if ((from && !counts_date_valid(from)) || (to && !counts_date_valid(to))) {
		log_error("counts: write dates as YYYY-MM-DD, e.g. --from 2026-09-01");
		return 2;
	}
	if (csv && svg) {
		log_error("counts: give --csv or --svg, not both");
		return 2;
	}
	char err[1024];
	struct counts_day *days;
	size_t n_days;
	if (counts_read(dir, from, to, &days, &n_days, err, sizeof(err)) < 0) {
		log_error("counts: %s", err);
		return 1;
	}
	struct counts_day total = { 0 };
	for (size_t i = 0; i < n_days; i++)
		counts_day_add(&total, &days[i]);
	struct script_set *set = cmd_scripts_load(app);
	if (!set)
		log_warn("counts: the scripts did not load; topics are shown by id");
	struct topic_row *rows;
	size_t n_rows = topic_rows(set, &total, &rows);
	int status = 0;
	if (csv)
		print_csv(days, n_days, rows, n_rows);
	else if (svg) {
		FILE *f = cmd_svg_open(app, "counts", svg);
		status = 1;
		if (f) {
			write_chart(f, from ? from : n_days ? days[0].date : NULL,
				    to ? to : n_days ? days[n_days - 1].date : NULL, &total, rows,
				    n_rows);
			status = cmd_svg_close("counts", svg, f);
		}
	} else
		print_table(days, n_days, &total, rows, n_rows);
	free(rows);
	script_set_destroy(set);
	counts_day_done(&total);
	counts_days_free(days, n_days);
	return status;
}
