/* Task success over whole conversations (issue 19): does a parent who asks a question hear the
 * right answer within two turns (the question and one follow-up)?
 *
 * Each real coffee order of the reporting half (tests/data/real-speech/coffee/report.txt) is the
 * parent's question in the real conversation loop (session_*, as `talkleaf converse --turns`:
 * greeting, endpointer, recogniser, dialogue, eSpeak NG into a null sink) over the drinks content
 * (tests/data/scripts-drinks), quiet and with kitchen noise mixed in (support/noise.c). A
 * simulated parent follows up on what was offered:
 * - "Did you ask about X?": the yes key if X is the drink asked for, else the no key;
 * - a numbered choice: the digit of the drink asked for if it is one of the two, else nothing
 *   (a parent's "neither");
 * - "It is noisy here ... press a number": the keys the prompt names for the list of topics, then
 *   the drink's keys in its menus (keymap_path);
 * - anything else (not heard, not sure): the parent asks again (the same recording; in noise,
 *   another stretch of the same noise).
 * Time is simulated, so the same run is repeatable: a first run with silence after the question
 * gives what was offered and when it ended (the no-speech timeout after it); a second run
 * presses the key 0.5 s after that. The log names a choice's first topic only, so when that is
 * not the drink the parent presses 2, and a 2 that answers another drink counts as "neither"
 * (not within two turns), not as a wrong answer.
 *
 * The kitchen is under the whole conversation (session_config.room_noise), before the question
 * and after it as in a real kitchen, at the order's SNR; --noise-in-turns: under the order and
 * its repetition only, with digital silence around them (as measured until stop 34: the room was
 * then never heard as a kitchen, see docs/recognition-tuning.md, "Task success").
 *
 * Usage: bench_task [--conditions quiet,12,6] [--first N] [--files F,F...] [--check] [--verbose]
 *        [--turns] [--noise-in-turns] [--one-decoder]
 * --turns: --verbose, and each turn of the first run (what was heard, decided and said).
 * --one-decoder: a kitchen's two hearings one after the other (recogniser_config.one_decoder),
 * to compare the wait for a reply.
 * --check (the e2e test): exit 1 if any drink but the one asked for is answered, if a follow-up
 * by key after a confirmation or choice of the right drink does not answer it, or if the room's
 * own sound (nothing heard, in a room too noisy to hear) is answered. */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "audio.h"
#include "diag.h"
#include "jsonl_field.h"
#include "keymap.h"
#include "log.h"
#include "monotonic.h"
#include "noise.h"
#include "paths.h"
#include "real_voices.h"
#include "session.h"

enum outcome {
	OUT_TURN1,  /* the right drink answered to the question */
	OUT_YES,    /* confirmed, then the yes key */
	OUT_DIGIT,  /* a choice, then the right drink's digit */
	OUT_AGAIN,  /* asked again, then answered */
	OUT_KEYPAD, /* steered to the keypad, then the drink reached through the menus */
	OUT_FAILED, /* not the right drink within two turns */
	OUT_WRONG,  /* another drink answered */
	OUT_COUNT
};

/* Logged turns of one run, as read back from its log. */
#define MAX_TURNS 24
struct logged {
	char event[16];
	char decision[16];
	char intent[64];
	char key[16];
	char said[1024];
	char cut_off[1024];
	char heard[256];
	bool noisy;
	double endpoint_s;
	/* Speech: how long the reply waited after the end-of-speech window closed (the decode at
	 * the endpoint, or what of the speculative decode overran its window), wall time. */
	double wait_ms;
	bool speculated;
};
struct run {
	struct logged t[MAX_TURNS];
	size_t n;
};

static struct session_assets assets;
static double timeout_s;
static bool verbose;
static bool show_turns;     /* --turns: each turn of the first run */
static size_t room_answers; /* turns that answered the room's own sound */
/* The wait of each reply to speech in the first runs of a condition (wall time, --turns' wait). */
static double *waits;
static size_t n_waits, cap_waits, n_speculated;
static double spec_window_ms; /* the end-of-speech window less the quiet kept: 500 ms */
/* The kitchen under the whole conversation, at the order's level (NULL in quiet). */
static const int16_t *room_noise;
static size_t room_noise_n;

/* The string value of `name` in a log line without its quotes ("" for null or missing). */
static void field_str(const char *line, const char *name, char *buf, size_t len)
{
	char raw[1024];
	buf[0] = '\0';
	if (jsonl_field(line, name, raw, sizeof(raw)) < 0 || raw[0] != '"')
		return;
	size_t k = strlen(raw) - 1; /* without the closing quote */
	k = k >= len ? len - 1 : k;
	memcpy(buf, raw + 1, k ? k - 1 : 0);
	buf[k ? k - 1 : 0] = '\0';
}

/* The conversation in the child: its log into `log`; exits 0, or 1 with a message. */
static void converse_child(const struct session_turn *turns, size_t n_turns,
			   const struct session_key *keys, size_t n_keys, FILE *log)
{
	char err[1024];
	struct audio_source *src;
	struct audio_sink *sink;
	struct session *s;
	struct session_config cfg;
	session_config_defaults(&cfg);
	cfg.turns = turns;
	cfg.n_turns = n_turns;
	cfg.keys = keys;
	cfg.n_keys = n_keys;
	cfg.log = log;
	cfg.log_words = true;
	cfg.room_noise = room_noise;
	cfg.room_noise_n = room_noise_n;
	if (audio_source_open_memory(NULL, 0, AUDIO_RATE_HZ, "order", &src, err, sizeof(err)) < 0 ||
	    audio_sink_open_null(&sink, err, sizeof(err)) < 0 ||
	    session_create(&cfg, assets.set, assets.rec, assets.synth, src, sink, &s, err,
			   sizeof(err)) < 0 ||
	    session_run(s, err, sizeof(err)) < 0) {
		fprintf(stderr, "bench_task: %s\n", err);
		_exit(1);
	}
	fflush(log);
	_exit(0);
}

/* One conversation: turns said when the assistant listens, keys at their times; *out its log.
 * Each runs in a child of the process that loaded the assets: in one process the same order
 * was heard 10-20 ms later, and differently, after other conversations (eSpeak NG, one engine
 * that cannot restart, keeps state), so each starts as `talkleaf converse` does. */
static int converse(const struct session_turn *turns, size_t n_turns,
		    const struct session_key *keys, size_t n_keys, struct run *out)
{
	FILE *log = tmpfile();
	if (!log) {
		perror("bench_task: tmpfile");
		return -EIO;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0)
		converse_child(turns, n_turns, keys, n_keys, log);
	int status = 0;
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		fprintf(stderr, "bench_task: the conversation failed (status %d)\n", status);
		fclose(log);
		return -EIO;
	}
	rewind(log);
	char line[4096], num[32];
	out->n = 0;
	while (fgets(line, sizeof(line), log) && out->n < MAX_TURNS) {
		struct logged *t = &out->t[out->n++];
		field_str(line, "event", t->event, sizeof(t->event));
		field_str(line, "decision", t->decision, sizeof(t->decision));
		field_str(line, "intent", t->intent, sizeof(t->intent));
		field_str(line, "key", t->key, sizeof(t->key));
		field_str(line, "heard", t->heard, sizeof(t->heard));
		t->noisy =
		    jsonl_field(line, "noisy", num, sizeof(num)) >= 0 && !strcmp(num, "true");
		jsonl_field(line, "said", t->said, sizeof(t->said));
		jsonl_field(line, "cut_off", t->cut_off, sizeof(t->cut_off));
		jsonl_field(line, "endpoint_s", num, sizeof(num));
		t->endpoint_s = strtod(num, NULL);
		t->speculated = jsonl_field(line, "speculative_ms", num, sizeof(num)) >= 0 &&
				strcmp(num, "null");
		if (t->speculated)
			t->wait_ms = fmax(0, strtod(num, NULL) - spec_window_ms);
		else if (jsonl_field(line, "decode_ms", num, sizeof(num)) >= 0)
			t->wait_ms = strtod(num, NULL);
	}
	fclose(log);
	return 0;
}

/* Whether the JSON array `items` has "topic:ID" (ID NULL: any topic but `except`). */
static bool has_topic(const char *items, const char *id, const char *except)
{
	for (const char *p = strstr(items, "\"topic:"); p; p = strstr(p + 1, "\"topic:")) {
		const char *b = p + 7, *e = strchr(b, '"');
		size_t k = e ? (size_t)(e - b) : strlen(b);
		bool same = id && strlen(id) == k && !strncmp(b, id, k);
		bool other = !id && !(strlen(except) == k && !strncmp(b, except, k));
		if (same || other)
			return true;
	}
	return false;
}

/* Whether the turn said prompt `name`, in either wording (NAME-push-to-talk asks for keys). */
static bool said_prompt(const struct logged *t, const char *name)
{
	char q[64], keys_only[64];
	snprintf(q, sizeof(q), "\"prompt:%s\"", name);
	snprintf(keys_only, sizeof(keys_only), "\"prompt:%s-push-to-talk\"", name);
	return strstr(t->said, q) || strstr(t->said, keys_only);
}

/* The turns [from, n) of a run: the drink answered (said whole), another drink said at all. */
static void answered(const struct run *r, size_t from, const char *drink, bool *right, bool *wrong)
{
	*right = *wrong = false;
	for (size_t i = from; i < r->n; i++) {
		*right |= has_topic(r->t[i].said, drink, NULL);
		*wrong |= has_topic(r->t[i].said, NULL, drink) ||
			  has_topic(r->t[i].cut_off, NULL, drink);
	}
}

/* The keys of a keymap_path ("0, then 1") appended to keys[] from at_s, 1 s apart. */
static size_t path_keys(const char *path, double at_s, struct session_key *keys, size_t n)
{
	char buf[64];
	snprintf(buf, sizeof(buf), "%s", path);
	for (char *tok = strtok(buf, ", "); tok; tok = strtok(NULL, ", ")) {
		if (!strcmp(tok, "then"))
			continue;
		const char *k = !strcmp(tok, "star") ? "*" : !strcmp(tok, "hash") ? "#" : tok;
		keys[n].at_s = at_s + (double)n;
		snprintf(keys[n].key, sizeof(keys[n].key), "%s", k);
		n++;
	}
	return n;
}

/* How to reach the topic or control `id` by key, as keymap_path says it ("2, then 4"). */
static const char *entry_path(const char *id, char *buf, size_t len)
{
	const struct script_entry *e = keymap_find_entry(assets.set, id);
	return e ? keymap_path(assets.set, e, buf, len) : "";
}

/* The parent follows up this long after the reply ends. */
#define FOLLOW_UP_S 0.5

/* Where a conversation stands after the question (its first run, silence after it). The parent
 * acts on the last reply to what was heard before the first silence (the room's own sound gets
 * none), or if there was none, on the prompt said at that silence. */
struct question {
	size_t k;         /* turns [1, k) are the question and that reply */
	size_t reply;     /* the turn whose reply the parent acts on (0: none) */
	/* The topic asked back about ("did you ask about ...?", a choice's first): the intent of
	 * the last turn decided "confirm" up to the reply (a question asked again after a miss
	 * in the noise keeps it). "" if none. */
	const char *asked;
	double reply_end; /* when that reply ended (-1: the run ended) */
};

static bool said_nothing(const struct logged *t)
{
	return !t->said[0] || !strcmp(t->said, "[]");
}

static struct question question_reply(const struct run *r)
{
	struct question qu = { .k = 1, .reply = 0, .reply_end = -1, .asked = "" };
	size_t silence = 1;
	for (; silence < r->n && strcmp(r->t[silence].event, "silence"); silence++)
		if (!strcmp(r->t[silence].event, "speech") && !said_nothing(&r->t[silence]))
			qu.reply = silence;
	if (!qu.reply && silence < r->n)
		qu.reply = silence;
	for (size_t i = 1; i <= qu.reply; i++)
		if (!strcmp(r->t[i].decision, "confirm"))
			qu.asked = r->t[i].intent;
	qu.k = qu.reply + 1;
	/* The no-speech window starts when the reply ends: the next silence ends it. */
	for (size_t i = qu.k; i < r->n; i++)
		if (!strcmp(r->t[i].event, "silence")) {
			qu.reply_end = r->t[i].endpoint_s - timeout_s;
			break;
		}
	return qu;
}

/* The turns after after_s that answered the room's own sound: nothing heard, in a room too noisy
 * to hear. */
static size_t room_sound_answered(const struct run *r, double after_s)
{
	size_t n = 0;
	for (size_t i = 0; i < r->n; i++)
		n += r->t[i].endpoint_s > after_s && !strcmp(r->t[i].event, "speech") &&
		     !r->t[i].heard[0] && r->t[i].noisy && !said_nothing(&r->t[i]);
	return n;
}

/* Ask the question q, follow up as a parent would (`again`: the question asked once more) and
 * say how the drink was reached, or not; what happened into `how` for --verbose. OUT_COUNT when
 * a conversation could not run. */
static enum outcome follow_up(const struct session_turn *q, const struct session_turn *again,
			      const char *drink, char *how, size_t howlen)
{
	struct session_turn turns[3] = { q[0], { .silence_s = 30, .name = "silence" } };
	struct run r1, r2;
	if (converse(turns, 2, NULL, 0, &r1) < 0)
		return OUT_COUNT;
	if (show_turns)
		for (size_t i = 0; i < r1.n; i++)
			fprintf(stderr, "  %5.2f s %s \"%s\" %s %s: %.160s\n", r1.t[i].endpoint_s,
				r1.t[i].event, r1.t[i].heard, r1.t[i].decision, r1.t[i].intent,
				r1.t[i].said);
	room_answers += room_sound_answered(&r1, -1);
	for (size_t i = 0; i < r1.n; i++)
		if (!strcmp(r1.t[i].event, "speech") && !said_nothing(&r1.t[i])) {
			if (n_waits == cap_waits)
				waits = xreallocarray(waits, cap_waits = cap_waits * 2 + 64,
						      sizeof(*waits));
			waits[n_waits++] = r1.t[i].wait_ms;
			n_speculated += r1.t[i].speculated;
		}
	struct question qu = question_reply(&r1);
	bool right, wrong;
	answered(&r1, 1, drink, &right, &wrong);
	const struct logged *t = qu.reply ? &r1.t[qu.reply] : NULL;
	double follow_s = qu.reply_end + FOLLOW_UP_S; /* the parent's key, or asking again */
	if (!t)
		snprintf(how, howlen, "nothing heard");
	else if (!strcmp(t->event, "silence"))
		snprintf(how, howlen, "only the room heard, then %.80s", t->said);
	else
		snprintf(how, howlen, "\"%s\" %s %s", t->heard, t->decision,
			 t->intent[0] ? t->intent : "-");
	if (wrong)
		return OUT_WRONG;
	if (right)
		return OUT_TURN1;
	size_t hl = strlen(how);
	struct session_key keys[8];
	size_t n_keys = 0;
	char path[64];
	enum outcome by;
	if (t && said_prompt(t, "confirm") && qu.reply_end > 0) {
		bool yes = !strcmp(qu.asked, drink);
		snprintf(how + hl, howlen - hl, "; %s", yes ? "yes" : "no");
		if (!yes)
			return OUT_FAILED; /* no: "please ask again", a third turn */
		n_keys = path_keys(entry_path("yes", path, sizeof(path)), follow_s, keys, 0);
		by = OUT_YES;
	} else if (t && said_prompt(t, "choice") && qu.reply_end > 0) {
		keys[0].at_s = follow_s;
		snprintf(keys[0].key, sizeof(keys[0].key), "%s",
			 !strcmp(qu.asked, drink) ? "1" : "2");
		n_keys = 1;
		snprintf(how + hl, howlen - hl, "; choice, key %s", keys[0].key);
		by = OUT_DIGIT;
	} else if (t && said_prompt(t, "noisy") && qu.reply_end > 0) {
		n_keys =
		    path_keys(entry_path("start-again", path, sizeof(path)), follow_s, keys, 0);
		n_keys = path_keys(entry_path(drink, path, sizeof(path)), follow_s, keys, n_keys);
		snprintf(how + hl, howlen - hl, "; noisy, keypad");
		by = OUT_KEYPAD;
	} else if (qu.reply_end > 0 || !t) {
		turns[1] = again[0];
		turns[1].not_before_s = follow_s;
		turns[2] = (struct session_turn){ .silence_s = 10, .name = "silence" };
		snprintf(how + hl, howlen - hl, "; again");
		by = OUT_AGAIN;
	} else {
		snprintf(how + hl, howlen - hl, "; the conversation ended");
		return OUT_FAILED;
	}
	if (converse(turns, by == OUT_AGAIN ? 3 : 2, keys, n_keys, &r2) < 0)
		return OUT_COUNT;
	/* The second run repeats the first until the follow-up: only what came after counts
	 * again. */
	room_answers += room_sound_answered(&r2, follow_s);
	answered(&r2, qu.k, drink, &right, &wrong);
	hl = strlen(how);
	for (size_t i = qu.k; i < r2.n && by == OUT_AGAIN; i++)
		if (!strcmp(r2.t[i].event, "speech") && !said_nothing(&r2.t[i])) {
			snprintf(how + hl, howlen - hl, ": \"%s\" %s %s", r2.t[i].heard,
				 r2.t[i].decision, r2.t[i].intent[0] ? r2.t[i].intent : "-");
			break;
		}
	/* A choice whose first is not the drink: a 2 that answers another drink is the parent's
	 * "neither" (no key), not a wrong answer. */
	if (by == OUT_DIGIT && !right && !strcmp(keys[0].key, "2"))
		return OUT_FAILED;
	return wrong ? OUT_WRONG : right ? by : OUT_FAILED;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* The waits of the condition just run as a table row into buf; starts the next condition's. */
static void wait_row(const char *name, char *buf, size_t len)
{
	if (n_waits) {
		qsort(waits, n_waits, sizeof(*waits), cmp_double);
		double sum = 0;
		size_t over = 0;
		for (size_t i = 0; i < n_waits; i++) {
			sum += waits[i];
			over += waits[i] > 300;
		}
		snprintf(buf, len, "| %s | %zu | %.0f ms | %.0f ms | %.0f ms | %zu | %zu |\n", name,
			 n_waits, sum / (double)n_waits, waits[n_waits * 9 / 10],
			 waits[n_waits - 1], over, n_speculated);
	}
	n_waits = n_speculated = 0;
}

static const char *const out_names[OUT_COUNT] = {
	"turn 1", "yes key", "choice digit", "asked again", "keypad", "failed", "WRONG"
};

int main(int argc, char **argv)
{
	const char *conditions = "quiet,12,6", *files = NULL;
	size_t first = 0;
	bool check = false, noise_in_turns = false, one_decoder = false;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--conditions") && i + 1 < argc)
			conditions = argv[++i];
		else if (!strcmp(argv[i], "--first") && i + 1 < argc)
			first = (size_t)atoi(argv[++i]);
		else if (!strcmp(argv[i], "--files") && i + 1 < argc)
			files = argv[++i];
		else if (!strcmp(argv[i], "--check"))
			check = true;
		else if (!strcmp(argv[i], "--verbose"))
			verbose = true;
		else if (!strcmp(argv[i], "--one-decoder"))
			one_decoder = true;
		else if (!strcmp(argv[i], "--turns"))
			verbose = show_turns = true;
		else if (!strcmp(argv[i], "--noise-in-turns"))
			noise_in_turns = true;
		else {
			fprintf(stderr, "usage: bench_task [--conditions quiet,12,6] [--first N] "
					"[--files F,F...] [--check] [--verbose] [--turns] "
					"[--one-decoder] "
					"[--noise-in-turns]\n");
			return 2;
		}
	}
	const char *src = TEST_SOURCE_DIR;
	char dir[1024], list[1100], topics[1100], err[1024];
	snprintf(dir, sizeof(dir), "%s/tests/data/real-speech/coffee", src);
	snprintf(list, sizeof(list), "%s/report.txt", dir);
	snprintf(topics, sizeof(topics), "%s/tests/data/scripts-drinks", src);
	struct real_voice *orders;
	int n_orders = real_voices_load(list, dir, &orders, err, sizeof(err));
	if (n_orders < 0) {
		fprintf(stderr, "bench_task: %s\n", err);
		return 1;
	}
	struct diag d;
	diag_init(&d);
	struct recogniser_config tuning;
	recogniser_config_defaults(&tuning);
	tuning.one_decoder = one_decoder;
	struct session_assets_config ac = {
		.scripts_dir = paths_scripts_dir(),
		.user_scripts_dir = topics,
		.lexicon_dir = paths_lexicon_dir(),
		.hearing = { .acoustic_model = paths_acoustic_model(),
			     .dictionary = paths_dictionary(),
			     .adaptation = paths_adaptation(),
			     .tuning = &tuning },
	};
	if (session_assets_load(&ac, &assets, &d, err, sizeof(err)) < 0) {
		diag_print(&d, stderr);
		fprintf(stderr, "bench_task: %s\n", err);
		return 1;
	}
	diag_done(&d);
	struct session_config defaults;
	session_config_defaults(&defaults);
	timeout_s = defaults.endpointer.no_speech_timeout_ms / 1000.0;
	spec_window_ms =
	    defaults.endpointer.trailing_silence_ms - defaults.endpointer.kept_silence_ms;
	char wait_rows[2048] = "";

	size_t n_noise = 16000 * 60;
	uint32_t seed = 12345;
	float *pink = noise_pink_create(n_noise, &seed);
	float *kitchen = noise_kitchen_create(pink, n_noise, NOISE_KITCHEN_SEED);
	int16_t *room = xmalloc(n_noise * sizeof(*room));
	double kitchen_power = 0; /* over the whole loop: the room plays all of it */
	for (size_t k = 0; k < n_noise; k++)
		kitchen_power += (double)kitchen[k] * kitchen[k];
	kitchen_power /= (double)n_noise;
	int status = 0;
	char conds[256];
	snprintf(conds, sizeof(conds), "%s", conditions);
	char *save = NULL;
	printf("| condition | orders | answered in turn 1 | turn 2 by key (yes / choice digit) | "
	       "turn 2 by asking again | by keypad | right answer within two turns | failed | "
	       "wrong answer |\n|---|---|---|---|---|---|---|---|---|\n");
	for (char *c = strtok_r(conds, ",", &save); c; c = strtok_r(NULL, ",", &save)) {
		bool quiet = !strcmp(c, "quiet");
		double snr = quiet ? 0 : atof(c);
		size_t count[OUT_COUNT] = { 0 }, n = 0, n_by_key = 0;
		double t0 = monotonic_s();
		for (int i = 0; i < n_orders; i++) {
			if ((first && (size_t)i >= first) || (files && !strstr(files, orders[i].file)))
				continue;
			size_t len = orders[i].n;
			int16_t *once = xmalloc(len * sizeof(*once)), *twice = xmalloc(len * sizeof(*twice));
			size_t offset = (size_t)i * 104729u % n_noise;
			if (quiet || !noise_in_turns) {
				memcpy(once, orders[i].pcm, len * sizeof(*once));
				memcpy(twice, orders[i].pcm, len * sizeof(*twice));
			}
			if (!quiet && !noise_in_turns) {
				/* The order's SNR, as noise_mix sets it. */
				double ps = noise_speech_power(orders[i].pcm, len);
				double g = sqrt(ps / kitchen_power / pow(10, snr / 10));
				for (size_t k = 0; k < n_noise; k++)
					room[k] = pcm_clip16(g * kitchen[(offset + k) % n_noise]);
				room_noise = room;
				room_noise_n = n_noise;
			} else if (!quiet) {
				noise_mix(orders[i].pcm, len, kitchen, n_noise, snr, offset, once);
				noise_mix(orders[i].pcm, len, kitchen, n_noise, snr,
					  offset + n_noise / 2, twice);
			}
			struct session_turn q = { .samples = once, .n = len, .name = orders[i].file };
			struct session_turn again = { .samples = twice, .n = len, .name = "again" };
			char how[1024];
			enum outcome o = follow_up(&q, &again, orders[i].text, how, sizeof(how));
			free(once);
			free(twice);
			if (o == OUT_COUNT)
				return 1;
			count[o]++;
			n++;
			if (verbose || check)
				fprintf(stderr, "%s %s (%s): %s: %s\n", c, orders[i].file, orders[i].text,
					out_names[o], how);
			if (check && o == OUT_WRONG)
				status = 1;
			if (check && room_answers) {
				fprintf(stderr,
					"FAIL: %s: the room's own sound (nothing heard, too noisy "
					"to hear) was answered %zu times\n",
					orders[i].file, room_answers);
				status = 1;
			}
			room_answers = 0;
			/* The first turn confirmed the drink or offered it in a choice: a key must reach
			 * it. */
			bool by_key = strstr(how, "; yes") || strstr(how, "; choice, key 1");
			n_by_key += by_key;
			if (check && by_key && o != OUT_YES && o != OUT_DIGIT) {
				fprintf(stderr, "FAIL: %s: the follow-up by key did not answer %s: %s\n",
					orders[i].file, orders[i].text, how);
				status = 1;
			}
		}
		if (!n)
			continue;
		char name[64];
		snprintf(name, sizeof(name), quiet ? "quiet" : "kitchen %s dB", c);
#define PC(k) (100.0 * (double)(k) / (double)n)
		size_t within = count[OUT_TURN1] + count[OUT_YES] + count[OUT_DIGIT] +
				count[OUT_AGAIN] + count[OUT_KEYPAD];
		printf("| %s | %zu | %.0f%% | %.0f%% (%zu / %zu) | %.0f%% | %.0f%% | **%.0f%%** | %.0f%% | "
		       "%.0f%% |\n",
		       name, n, PC(count[OUT_TURN1]), PC(count[OUT_YES] + count[OUT_DIGIT]),
		       count[OUT_YES], count[OUT_DIGIT], PC(count[OUT_AGAIN]), PC(count[OUT_KEYPAD]),
		       PC(within), PC(count[OUT_FAILED]), PC(count[OUT_WRONG]));
#undef PC
		fflush(stdout);
		size_t used = strlen(wait_rows);
		wait_row(name, wait_rows + used, sizeof(wait_rows) - used);
		fprintf(stderr, "%s: %zu orders in %.0f s\n", name, n, monotonic_s() - t0);
		if (check && !n_by_key) {
			fprintf(stderr, "FAIL: no order was confirmed or offered in a choice: the "
					"follow-up by key was not tested (choose other files)\n");
			status = 1;
		}
	}
	printf("\nThe wait for a reply to speech after the %d ms end-of-speech window (wall time, "
	       "first runs; the decode at the endpoint, or what of the decode started at a %d ms "
	       "pause overran the %.0f ms left):\n\n| condition | replies | mean | 90th "
	       "percentile | max | over 300 ms | decoded at a pause |\n"
	       "|---|---|---|---|---|---|---|\n%s",
	       defaults.endpointer.trailing_silence_ms, defaults.endpointer.kept_silence_ms,
	       spec_window_ms, wait_rows);
	free(waits);
	free(pink);
	free(kitchen);
	free(room);
	real_voices_free(orders, (size_t)n_orders);
	session_assets_done(&assets);
	return status;
}
