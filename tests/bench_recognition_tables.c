/* The recognition benchmark's tables (Markdown, as the README shows them) and its dump (--dump:
 * one TSV line per utterance, for calibrating the thresholds). */
#include "bench_recognition.h"

#include <stdlib.h>
#include <string.h>

#include "intent.h"

static const char *const set_names[SET_COUNT] = { "in-domain", "paraphrase", "out-of-domain" };
static const char *const family_names[FAMILY_COUNT] = {
	"eSpeak NG voices (7 voices, random speed and pitch)",
	"flite voices built from recordings (slt, rms, awb; random speed)",
	"recordings of real people (PocketSphinx's test data: none about the leaflet)",
	("real people ordering coffee (tests/data/real-speech/coffee; content "
	 "tests/data/scripts-drinks)"), /* brackets: one string, split for the line's length */
};
static const char *const family_ids[FAMILY_COUNT] = { "espeak", "flite", "real", "coffee" };

/* The coffee orders' rows of issue 19's starting build (3dabbc9), measured with this benchmark
 * (--real-speech, report.txt) on it and kept as constants: later builds print theirs beside. */
struct baseline_row {
	const char *name;
	double offered, answered, wrong, rejected; /* percent */
};
static const struct baseline_row baseline_rows[] = {
	{ "quiet", 95.0, 9.0, 0.0, 5.0 },
	{ "steady 12 dB", 87.0, 3.0, 0.0, 13.0 },
	{ "steady 6 dB", 74.0, 0.0, 1.0, 24.0 },
	{ "kitchen 12 dB", 79.0, 0.0, 0.0, 20.0 },
	{ "kitchen 6 dB", 62.0, 0.0, 0.0, 33.0 },
};

/* A table cell: "87.5% (46<note>)", "87.5%" with note NULL, or "-" when there are none. */
static void percent_cell(char *buf, size_t len, size_t k, size_t n, const char *note)
{
	if (!n)
		snprintf(buf, len, "-");
	else if (!note)
		snprintf(buf, len, "%.1f%%", 100.0 * (double)k / (double)n);
	else
		snprintf(buf, len, "%.1f%% (%zu%s)", 100.0 * (double)k / (double)n, n, note);
}

/* The name of a search's intent for the dump ("none" when it heard nothing of the leaflet). */
static void intent_name(const struct intent_result *ir, char *buf, size_t len)
{
	if (!intent_result_name(ir, buf, len))
		snprintf(buf, len, "none");
}

/* One TSV line of the dump (--dump) for a decoded job. */
static void dump_line(FILE *df, const struct job *j)
{
	char gname[128], nname[128];
	intent_name(&j->r.grammar_intent, gname, sizeof(gname));
	intent_name(&j->r.neutral_intent, nname, sizeof(nname));
	fprintf(df, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%.3f\t%.3f\t%.3f\t%.3f\t%.3f\t%s\t%s\t%.4g\t%s\t%s\t%s\t%.3f\t%.3f\t%.3f\t%d\t%d\t%s\t%d\t%.1f\t%.1f\t%d\n",
		conds[j->cond].name, set_names[j->item->set],
		j->item->label ? j->item->label : "none", j->item->text, j->r.heard,
		j->has_intent ? j->intent : "none", recognition_decision_name(j->r.decision),
		j->r.confidence, j->r.intent_score, j->r.intent_margin, j->r.llr, j->r.grammar_llr,
		j->r.grammar_heard, gname, j->r.posterior, family_ids[j->item->family],
		j->r.neutral_heard, nname, j->r.neutral_intent.score, j->r.neutral_intent.margin,
		j->r.grammar_overlap, j->r.sole_phrasing, j->r.noisy,
		j->r.second_topic_id ? j->r.second_topic_id : "none", j->r.denoised,
		j->r.room_spread_db, j->r.room_quiet_sd_db, j->r.heard_owned);
}

/* What one condition's utterances of a family and content gave (tally_jobs). */
struct tally {
	size_t n_in, offered, reached, answered, wrong, rejected, choice_in;
	size_t n_ood, ood_accepted, ood_answered, choice_ood, noisy, n;
	double cpu, audio;
};

/* Whether the job's own topic is among the two of a numbered choice offered. */
static bool job_in_choice(const struct job *j)
{
	return j->r.second_topic_id && j->item->label &&
	       !strcmp(j->r.second_topic_id, j->item->label);
}

/* Tally condition c's jobs of `content` (and of family `fam`, or any when FAMILY_COUNT); their
 * dump lines into df (NULL: none). */
static void tally_jobs(size_t c, enum content content, enum family fam, FILE *df,
		       struct tally *t)
{
	memset(t, 0, sizeof(*t));
	for (size_t k = 0; k < n_jobs; k++) {
		const struct job *j = &jobs[k];
		if (j->cond != (int)c || j->item->content != content ||
		    (fam != FAMILY_COUNT && j->item->family != fam))
			continue;
		bool right = j->has_intent && j->item->label && !strcmp(j->intent, j->item->label);
		bool accepted = j->r.decision != DECISION_REJECT;
		bool choice = j->r.second_topic_id != NULL;
		t->n++;
		if (j->item->set == SET_OOD) {
			t->n_ood++;
			t->ood_accepted += accepted;
			t->ood_answered += j->r.decision == DECISION_ANSWER;
			t->choice_ood += choice;
		} else {
			t->n_in++;
			t->offered += right && accepted;
			t->reached += (right && accepted) || job_in_choice(j);
			t->answered += right && j->r.decision == DECISION_ANSWER;
			t->wrong += !right && j->r.decision == DECISION_ANSWER;
			t->choice_in += choice;
		}
		t->rejected += !accepted;
		t->noisy += j->r.noisy;
		t->cpu += j->r.compute_s;
		t->audio += j->r.audio_s;
		if (df)
			dump_line(df, j);
	}
}

/* A percent cell of k out of n ("-" when n is 0). */
static const char *pct(char *buf, size_t len, size_t k, size_t n)
{
	percent_cell(buf, len, k, n, NULL);
	return buf;
}

/* The coffee orders' table, with the columns of issue 19, and the starting build's rows when
 * the part is the reporting part; their dump lines into df (NULL: none). */
void coffee_print(const char *part, size_t n_orders, FILE *df)
{
	printf("\n%s: %s.txt, %zu orders\n\n", family_names[FAMILY_COFFEE], part, n_orders);
	printf("| condition | right topic offered (answer or \"did you ask\") | offered or reached through the choice | answered outright | wrong answer | rejected | choice offered | judged noisy | real-time factor |\n");
	printf("|---|---|---|---|---|---|---|---|---|\n");
	for (size_t c = 0; c < n_conds; c++) {
		struct tally t;
		tally_jobs(c, CONTENT_COFFEE, FAMILY_COUNT, df, &t);
		if (!t.n)
			continue;
		char b[7][64];
		printf("| %s | %s | %s | %s | %s | %s | %s | %s | %.3f |\n", conds[c].name,
		       pct(b[0], 64, t.offered, t.n), pct(b[1], 64, t.reached, t.n),
		       pct(b[2], 64, t.answered, t.n), pct(b[3], 64, t.wrong, t.n),
		       pct(b[4], 64, t.rejected, t.n), pct(b[5], 64, t.choice_in, t.n),
		       pct(b[6], 64, t.noisy, t.n), t.audio > 0 ? t.cpu / t.audio : 0);
	}
	size_t n_baseline = sizeof(baseline_rows) / sizeof(*baseline_rows);
	if (strcmp(part, "report")) /* figures of another part are not comparable */
		n_baseline = 0;
	for (size_t i = 0; i < n_baseline; i++) {
		const struct baseline_row *b = &baseline_rows[i];
		printf("| %s, baseline (3dabbc9) | %.1f%% | - | %.1f%% | %.1f%% | %.1f%% | - | - | - |\n",
		       b->name, b->offered, b->answered, b->wrong, b->rejected);
	}
	printf("offered: the right drink answered or confirmed (\"did you ask about ...?\"); "
	       "reached through the choice: or among the two of a numbered choice; wrong answer: "
	       "answered outright with another drink (a wrong confirmation is in no column); judged "
	       "noisy: the recogniser's noisy flag\n");
}

/* The school's tables, one a voice family: its in-domain questions and its out-of-domain ones,
 * with how often each was offered the numbered choice; their dump lines into df. */
void school_print(FILE *df)
{
	for (int fam = FAMILY_ESPEAK; fam <= FAMILY_FLITE; fam++) {
		bool header = false;
		for (size_t c = 0; c < n_conds; c++) {
			struct tally t;
			tally_jobs(c, CONTENT_SCHOOL, (enum family)fam, df, &t);
			if (!t.n)
				continue;
			if (!header) {
				printf("\na school's topics (tests/data/scripts-school): %s\n\n",
				       family_names[fam]);
				printf("| condition | in-domain offered or reached through the choice | answered outright | wrong answers | choice offered (in-domain) | out-of-domain accepted | out-of-domain answered | choice offered (out-of-domain) | judged noisy |\n");
				printf("|---|---|---|---|---|---|---|---|---|\n");
				header = true;
			}
			char b[8][64];
			printf("| %s | %s (%zu) | %s | %s | %s | %s (%zu) | %s | %s | %s |\n",
			       conds[c].name, pct(b[0], 64, t.reached, t.n_in), t.n_in,
			       pct(b[1], 64, t.answered, t.n_in), pct(b[2], 64, t.wrong, t.n_in),
			       pct(b[3], 64, t.choice_in, t.n_in),
			       pct(b[4], 64, t.ood_accepted, t.n_ood), t.n_ood,
			       pct(b[5], 64, t.ood_answered, t.n_ood),
			       pct(b[6], 64, t.choice_ood, t.n_ood), pct(b[7], 64, t.noisy, t.n));
		}
	}
}

/* The leaflet's tables, one a voice family (eSpeak NG, flite, the real recordings): accuracy,
 * wrong answers, paraphrases, out-of-domain speech and the choice, per condition; their dump
 * lines into df (NULL: none). */
void leaflet_print(FILE *df)
{
	double tot_cpu = 0, tot_audio = 0;
	bool any_leaflet = false;
	for (int fam = 0; fam < FAMILY_COFFEE; fam++) {
		bool any = false;
		for (size_t k = 0; k < n_jobs; k++)
			any |= jobs[k].item->family == (enum family)fam &&
			       jobs[k].item->content == CONTENT_LEAFLET;
		if (!any)
			continue;
		any_leaflet = true;
		printf("%s%s\n\n", fam ? "\n" : "", family_names[fam]);
		printf("| condition | in-domain accuracy | wrong answers | paraphrase accuracy | out-of-domain false accepts | choice offered (in-domain / out-of-domain) | real-time factor |\n");
		printf("|---|---|---|---|---|---|---|\n");
		for (size_t c = 0; c < n_conds; c++) {
			size_t n[SET_COUNT] = { 0 }, ok[SET_COUNT] = { 0 }, wrong[SET_COUNT] = { 0 };
			size_t choice[SET_COUNT] = { 0 };
			double cpu = 0, audio = 0;
			for (size_t k = 0; k < n_jobs; k++) {
				struct job *j = &jobs[k];
				if (j->cond != (int)c || j->item->family != (enum family)fam ||
				    j->item->content != CONTENT_LEAFLET)
					continue;
				enum set_kind s = j->item->set;
				bool accepted = j->r.decision != DECISION_REJECT;
				bool right = j->has_intent && j->item->label && !strcmp(j->intent, j->item->label);
				n[s]++;
				if (s == SET_OOD)
					ok[s] += accepted;
				else
					ok[s] += accepted && right;
				wrong[s] += j->r.decision == DECISION_ANSWER && !right;
				choice[s] += j->r.second_topic_id != NULL;
				cpu += j->r.compute_s;
				audio += j->r.audio_s;
				if (df)
					dump_line(df, j);
			}
			if (!n[SET_IN] && !n[SET_OOD])
				continue;
			tot_cpu += cpu;
			tot_audio += audio;
			char in[64], wrong_s[64], para[64], ood[64], answered[32];
			size_t nw = n[SET_IN] + n[SET_PARA];
			snprintf(answered, sizeof(answered), "; %zu answered", wrong[SET_OOD]);
			percent_cell(in, sizeof(in), ok[SET_IN], n[SET_IN], "");
			percent_cell(wrong_s, sizeof(wrong_s), wrong[SET_IN] + wrong[SET_PARA], nw, NULL);
			percent_cell(para, sizeof(para), ok[SET_PARA], n[SET_PARA], "");
			percent_cell(ood, sizeof(ood), ok[SET_OOD], n[SET_OOD], answered);
			char ch_in[64], ch_ood[64];
			pct(ch_in, sizeof(ch_in), choice[SET_IN] + choice[SET_PARA], nw);
			pct(ch_ood, sizeof(ch_ood), choice[SET_OOD], n[SET_OOD]);
			printf("| %s | %s | %s | %s | %s | %s / %s | %.3f |\n", conds[c].name, in, wrong_s,
			       para, ood, ch_in, ch_ood,
			       audio > 0 ? cpu / audio : 0);
		}
	}
	if (any_leaflet) {
		printf("\nreal-time factor over everything: %.3f (CPU time / audio time, one core per "
		       "thread)\n", tot_audio > 0 ? tot_cpu / tot_audio : 0);
		printf("wrong answers: decision 'answer' with the wrong topic, over in-domain + "
		       "paraphrases\n");
	}
}
