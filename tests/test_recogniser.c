/* The recogniser end to end: eSpeak NG asks the shipped topics' questions and some questions the
 * leaflet does not cover; quiet speakers, long utterances, its scratch folder, the adaptation
 * file. All audio is made here (`talkleaf ask` on awkward files: test_ask.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audio.h"
#include "lexicon.h"
#include "log.h"
#include "noise.h"
#include "paths.h"
#include "real_voices.h"
#include "recogniser.h"
#include "recogniser_internal.h"
#include "script.h"
#include "spoken.h"
#include "synthesiser.h"

static struct script_set *set;
static struct lexicon *lex;
static struct recogniser *rec;
static struct synth *synth;

static int setup(void **state)
{
	struct diag d;
	diag_init(&d);
	char dir[1024], lexdir[1024], err[512];
	snprintf(dir, sizeof(dir), "%s/scripts", TEST_SOURCE_DIR);
	snprintf(lexdir, sizeof(lexdir), "%s/lexicon", TEST_SOURCE_DIR);
	assert_int_equal(script_set_load(dir, NULL, &set, &d), 0);
	assert_int_equal(lexicon_load(lexdir, NULL, &lex, &d), 0);
	/* As `talkleaf ask`: generated and British pronunciations from eSpeak NG (with the
	 * lexicon), from an engine of the set-up's own made before the one that speaks the
	 * questions. */
	const struct recogniser_setup_config rs = {
		.acoustic_model = paths_acoustic_model(),
		.dictionary = paths_dictionary(),
		.adaptation = paths_adaptation(),
	};
	int r = recogniser_setup(&rs, set, lex, &rec, &d, err, sizeof(err));
	if (r < 0)
		fprintf(stderr, "%s\n", err);
	assert_int_equal(r, 0);
	assert_false(diag_contains(&d, "adaptation")); /* the shipped one is used */
	struct synth_config sc;
	synth_config_defaults(&sc);
	sc.voice = "en-us"; /* the lexicon is not used: people say words their own way */
	assert_int_equal(synth_create(&sc, NULL, &synth, err, sizeof(err)), 0);
	diag_done(&d);
	return 0;
}

static int teardown(void **state)
{
	synth_destroy(synth);
	recogniser_destroy(rec);
	lexicon_destroy(lex);
	script_set_destroy(set);
	return 0;
}

struct pick {
	char *phrases[3];
	size_t n, seen;
};

/* The first phrasing of each of the first three ask: lines (the plainest ways to ask). */
static int pick_phrase(void *data, const char *phrase)
{
	struct pick *p = data;
	if (p->n < 3)
		p->phrases[p->n++] = xstrdup(phrase);
	return 1; /* one per template */
}

static void test_topics_are_heard(void **state)
{
	char err[512], name[160];
	size_t total = 0, right = 0, wrong_answers = 0;
	for (size_t t = 0; t < set->n_topics; t++) {
		const struct script_entry *e = &set->topics[t];
		struct pick p = { 0 };
		for (size_t a = 0; a < e->n_asks && p.n < 3; a++)
			template_expand(e->asks[a].tree, script_set_list_lookup, set, pick_phrase, &p);
		size_t ok = 0;
		for (size_t i = 0; i < p.n; i++) {
			size_t n;
			int16_t *pcm = spoken_16k(synth, p.phrases[i], 0.3, &n);
			struct recognition r;
			assert_int_equal(recogniser_decode(rec, pcm, n, &r, err, sizeof(err)), 0);
			const char *got = recognition_intent_name(&r, name, sizeof(name));
			bool hit = got && !strcmp(got, e->id) && r.decision != DECISION_REJECT;
			ok += hit;
			wrong_answers += r.decision == DECISION_ANSWER && !(got && !strcmp(got, e->id));
			if (!hit)
				fprintf(stderr, "%s: \"%s\" heard \"%s\" -> %s (%s %.2f)\n", e->id,
					p.phrases[i], r.heard, got ? got : "nothing",
					recognition_decision_name(r.decision), r.confidence);
			free(pcm);
			free(p.phrases[i]);
		}
		total += p.n;
		right += ok;
		/* Every topic can be reached by voice with its plainest questions. */
		assert_true(ok >= 1);
	}
	fprintf(stderr, "topics: %zu of %zu questions understood, %zu wrong answers\n", right, total,
		wrong_answers);
	assert_true(right * 10 >= total * 9); /* measured 35 of 36 */
	assert_int_equal(wrong_answers, 0);
}

static void test_out_of_domain_is_not_answered(void **state)
{
	char path[1024], line[256], err[512], name[160];
	snprintf(path, sizeof(path), "%s/tests/data/out-of-domain.txt", TEST_SOURCE_DIR);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	size_t n_q = 0, accepted = 0;
	while (n_q < 10 && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		size_t n;
		int16_t *pcm = spoken_16k(synth, line, 0.3, &n);
		struct recognition r;
		assert_int_equal(recogniser_decode(rec, pcm, n, &r, err, sizeof(err)), 0);
		const char *got = recognition_intent_name(&r, name, sizeof(name));
		if (r.decision != DECISION_REJECT)
			fprintf(stderr, "out of domain: \"%s\" heard \"%s\" -> %s (%s %.2f)\n", line,
				r.heard, got ? got : "nothing", recognition_decision_name(r.decision),
				r.confidence);
		/* Never answered as if it were a leaflet question, nor taken for a control that would
		 * change the conversation. "help" is the one safe mistake: it offers the menu, as a
		 * rejection does. */
		if (r.decision == DECISION_ANSWER)
			assert_true(r.kind == INTENT_CONTROL && r.control == CONTROL_HELP);
		accepted += r.decision != DECISION_REJECT;
		n_q++;
		free(pcm);
	}
	fclose(f);
	assert_int_equal(n_q, 10);
	assert_true(accepted <= 3); /* "did you ask about ...?" at most now and then */
}

/* Real people, not synthesised (tests/data/real-voices.txt): read sentences, digits, playing
 * cards, a robot's command. Nothing the leaflet covers, so none may be answered. Measured: 1 of
 * 14 confirmed (a 7 s sentence of a novel heard as 20 words, two of them leaflet words), none
 * answered. */
#define REAL_VOICES_MAX_CONFIRMED 2
static void test_real_voices_are_not_answered(void **state)
{
	char list[1024], err[512], name[160];
	snprintf(list, sizeof(list), "%s/tests/data/real-voices.txt", TEST_SOURCE_DIR);
	struct real_voice *v;
	int n = real_voices_load(list, POCKETSPHINX_TEST_DATA, &v, err, sizeof(err));
	if (n < 0)
		fail_msg("%s", err);
	assert_true(n >= 14);
	size_t confirmed = 0;
	for (int i = 0; i < n; i++) {
		struct recognition r;
		assert_int_equal(recogniser_decode(rec, v[i].pcm, v[i].n, &r, err, sizeof(err)), 0);
		const char *got = recognition_intent_name(&r, name, sizeof(name));
		if (r.decision != DECISION_REJECT)
			fprintf(stderr, "real voice: %s (\"%s\") heard \"%s\" -> %s (%s %.2f)\n",
				v[i].file, v[i].text, r.heard, got ? got : "nothing",
				recognition_decision_name(r.decision), r.confidence);
		if (r.decision == DECISION_ANSWER)
			assert_true(r.kind == INTENT_CONTROL && r.control == CONTROL_HELP);
		confirmed += r.decision == DECISION_CONFIRM;
	}
	print_message("real voices: %zu of %d confirmed, none answered\n", confirmed, n);
	assert_true(confirmed <= REAL_VOICES_MAX_CONFIRMED);
	real_voices_free(v, (size_t)n);
}

/* Questions in a parent's own words (tests/data/paraphrases.txt, kept apart from the templates):
 * the grammar has no sentence for most of them, so what lets them through is the neutral search
 * agreeing with the language model; that only ever confirms ("did you ask about ...?"). Two per
 * topic, in the program's own voice. */
/* Measured: 16 of 24 understood, 3 of them through the neutral search (2 when this test built
 * the recogniser without eSpeak NG's pronunciations). 19 when the grammar's topic alone was
 * agreement (GRAMMAR_WORDS_AGREE); 15 with PocketSphinx's default beams. */
#define FLOOR_BY_NEUTRAL 2
#define FLOOR_UNDERSTOOD 15
static void test_paraphrases_are_confirmed(void **state)
{
	char path[1024], line[256], err[512], name[160];
	snprintf(path, sizeof(path), "%s/tests/data/paraphrases.txt", TEST_SOURCE_DIR);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	size_t n_q = 0, understood = 0, by_neutral = 0;
	char last_topic[256] = "";
	int per_topic = 0;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		char *colon = strchr(line, ':');
		if (!line[0] || line[0] == '#' || !colon)
			continue;
		*colon = '\0';
		const char *topic = line, *text = colon + 2;
		if (strcmp(topic, last_topic)) {
			snprintf(last_topic, sizeof(last_topic), "%s", topic);
			per_topic = 0;
		}
		if (per_topic++ >= 2)
			continue;
		size_t n;
		int16_t *pcm = spoken_16k(synth, text, 0.3, &n);
		struct recognition r;
		assert_int_equal(recogniser_decode(rec, pcm, n, &r, err, sizeof(err)), 0);
		free(pcm);
		const char *got = recognition_intent_name(&r, name, sizeof(name));
		bool right = got && !strcmp(got, topic);
		bool grammar_agrees = r.grammar_intent.kind == r.kind && r.grammar_intent.topic_id &&
				      r.topic_id && !strcmp(r.grammar_intent.topic_id, r.topic_id);
		fprintf(stderr, "paraphrase %s: \"%s\" heard \"%s\" (neutral \"%s\") -> %s (%s %.2f)\n",
			topic, text, r.heard, r.neutral_heard, got ? got : "nothing",
			recognition_decision_name(r.decision), r.confidence);
		/* A wrong topic is never answered outright. */
		if (r.decision == DECISION_ANSWER)
			assert_true(right);
		/* Without the grammar's support a question is only ever confirmed. */
		if (!grammar_agrees)
			assert_int_not_equal(r.decision, DECISION_ANSWER);
		understood += right && r.decision != DECISION_REJECT;
		by_neutral += right && r.decision == DECISION_CONFIRM && !grammar_agrees;
		n_q++;
	}
	fclose(f);
	fprintf(stderr, "paraphrases: %zu of %zu understood, %zu through the neutral search\n",
		understood, n_q, by_neutral);
	assert_int_equal(n_q, 24);
	assert_true(by_neutral >= FLOOR_BY_NEUTRAL);
	assert_true(understood >= FLOOR_UNDERSTOOD);
}

static void test_silence_and_empty_are_rejected(void **state)
{
	char err[512];
	struct recognition r;
	int16_t *zeros = xcalloc(32000, sizeof(int16_t));
	assert_int_equal(recogniser_decode(rec, zeros, 32000, &r, err, sizeof(err)), 0);
	assert_int_equal(r.decision, DECISION_REJECT);
	assert_int_equal(recogniser_decode(rec, zeros, 0, &r, err, sizeof(err)), 0);
	assert_int_equal(r.decision, DECISION_REJECT);
	assert_string_equal(r.heard, "");
	free(zeros);
}

/* A parent far from the microphone, or with its gain turned low: questions 35 dB quieter than
 * eSpeak NG makes them (peaks near -40 dBFS) are still heard. Before quiet speech was brought
 * up, all three were rejected: the recogniser's own faint hiss drowned them. */
static void test_quiet_speaker_is_heard(void **state)
{
	const char *questions[][2] = { { "what is camhs", "camhs" },
				       { "what are looked after children", "looked-after-children" },
				       { "are all babies different", "babies-differ" } };
	char err[512], name[160];
	for (size_t q = 0; q < 3; q++) {
		size_t n;
		int16_t *pcm = spoken_16k(synth, questions[q][0], 0.3, &n);
		for (size_t i = 0; i < n; i++)
			pcm[i] = (int16_t)lrint(pcm[i] * 0.0178); /* -35 dB */
		struct recognition r;
		assert_int_equal(recogniser_decode(rec, pcm, n, &r, err, sizeof(err)), 0);
		const char *got = recognition_intent_name(&r, name, sizeof(name));
		fprintf(stderr, "quiet: \"%s\" heard \"%s\" -> %s (%s)\n", questions[q][0], r.heard,
			got ? got : "nothing", recognition_decision_name(r.decision));
		assert_non_null(got);
		assert_string_equal(got, questions[q][1]);
		assert_int_not_equal(r.decision, DECISION_REJECT);
		free(pcm);
	}
}

/* The same audio is heard the same way whatever was heard before it: each question, with
 * someone else talking 6 dB below it, decoded in one order and again in reverse after a loud
 * burst of that talk alone (PocketSphinx's front end keeps a noise estimate between utterances
 * unless the recogniser starts it afresh). */
static void test_history_does_not_change_what_is_heard(void **state)
{
	enum { N = 6 };
	static const char *const questions[N] = {
		"what does attuned mean", "is it my fault", "what is camhs",
		"how common are attachment difficulties", "tell me more", "what is the weather like"
	};
	size_t n_talk;
	int16_t *talk = spoken_16k(synth,
				   "the council meeting was moved to thursday because the hall was "
				   "booked for a wedding and nobody told the mayor about it",
				   0.3, &n_talk);
	int16_t *audio[N];
	size_t n[N];
	for (int i = 0; i < N; i++) {
		audio[i] = spoken_16k(synth, questions[i], 0.3, &n[i]);
		for (size_t k = 0; k < n[i]; k++) {
			int v = audio[i][k] + talk[(k + 4000 * (size_t)i) % n_talk] / 2;
			audio[i][k] = (int16_t)(v > 32767 ? 32767 : v < -32768 ? -32768 : v);
		}
	}
	char err[512];
	struct recognition first[N], again;
	for (int i = 0; i < N; i++)
		assert_int_equal(recogniser_decode(rec, audio[i], n[i], &first[i], err, sizeof(err)), 0);
	for (size_t k = 0; k < n_talk; k++)
		talk[k] = (int16_t)(talk[k] > 16383 ? 32767 : talk[k] < -16384 ? -32768 : talk[k] * 2);
	assert_int_equal(recogniser_decode(rec, talk, n_talk, &again, err, sizeof(err)), 0);
	for (int i = N - 1; i >= 0; i--) {
		assert_int_equal(recogniser_decode(rec, audio[i], n[i], &again, err, sizeof(err)), 0);
		print_message("\"%s\" heard \"%s\", then \"%s\"\n", questions[i], first[i].heard,
			      again.heard);
		assert_string_equal(again.heard, first[i].heard);
		assert_int_equal(again.decision, first[i].decision);
		assert_true(again.confidence == first[i].confidence);
	}
	for (int i = 0; i < N; i++)
		free(audio[i]);
	free(talk);
}

static size_t files_in(const char *dir)
{
	DIR *d = opendir(dir);
	assert_non_null(d);
	size_t n = 0;
	for (struct dirent *e; (e = readdir(d));)
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

/* The acoustic scores live in the private folder only while an utterance is decoded; a longer
 * utterance than any before needs more room (see scores_reserve); an unattended station whose
 * folder a /tmp cleaner took keeps hearing. */
static void test_scratch_folder(void **state)
{
	char err[512];
	size_t n;
	int16_t *q = spoken_16k(synth, "is it my fault", 0.3, &n);
	struct recognition first, r;
	assert_int_equal(recogniser_decode(rec, q, n, &first, err, sizeof(err)), 0);
	assert_string_equal(first.heard, "is it my fault");
	const char *dir = recogniser_scratch_dir(rec);
	assert_int_equal(files_in(dir), 0);

	/* 40 s (4000 frames), longer than this recogniser has heard. */
	size_t n_long = 40 * 16000;
	int16_t *longer = xcalloc(n_long, sizeof(int16_t));
	for (size_t at = 0; at + n <= n_long; at += n + 16000)
		memcpy(longer + at, q, n * sizeof(int16_t));
	assert_int_equal(recogniser_decode(rec, longer, n_long, &r, err, sizeof(err)), 0);
	print_message("40 s of the question heard as \"%s\"\n", r.heard);
	assert_non_null(strstr(r.heard, "is it my fault"));
	assert_int_equal(files_in(dir), 0);

	assert_int_equal(rmdir(dir), 0);
	assert_int_equal(recogniser_decode(rec, q, n, &r, err, sizeof(err)), 0);
	assert_string_equal(r.heard, first.heard);
	assert_int_equal(r.decision, first.decision);
	assert_int_equal(files_in(dir), 0);
	free(longer);
	free(q);
}

/* ---- the acoustic model's adaptation ---- */

static char *file_read_all(const char *path)
{
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char *text = xcalloc(1, 1 << 16);
	size_t n = fread(text, 1, (1 << 16) - 1, f);
	assert_true(n > 0 && n < (1 << 16) - 1);
	fclose(f);
	return text;
}

static void file_write_all(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/* The shipped file with its first occurrence of `from` replaced by `to`, checked. */
static int adaptation_edited(const char *shipped, const char *path, const char *from,
			     const char *to, char *err, size_t errlen)
{
	char *text = file_read_all(shipped);
	char *at = strstr(text, from);
	assert_non_null(at);
	char *edited = xasprintf("%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
	file_write_all(path, edited);
	free(edited);
	free(text);
	return adaptation_check(path, err, errlen);
}

static void test_adaptation_files(void **state)
{
	char err[512], path[] = "/tmp/talkleaf-adaptation-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	const char *shipped = paths_adaptation();
	assert_int_equal(adaptation_check(shipped, err, sizeof(err)), 0);

	/* two streams where the model has three: named, with its line */
	assert_int_equal(adaptation_edited(shipped, path, "1\n3\n", "1\n2\n", err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, path));
	assert_non_null(strstr(err, ":2: the number of feature streams is 2 where the model "
				    "needs 3"));
	/* a number cut short in the second stream */
	char *text = file_read_all(shipped);
	char *second = strstr(strstr(text, "\n13\n") + 4, "\n13\n");
	assert_non_null(second);
	second[40] = '\0';
	file_write_all(path, text);
	free(text);
	assert_int_equal(adaptation_check(path, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "stream 2: number"));
	/* a variance scale that would make the model's variances zero */
	assert_int_equal(adaptation_edited(shipped, path, " 1 ", " 0 ", err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "stream 1: variance scale 184 of 195 is missing or not a "
				    "number above 0"));
	/* words, and more numbers than the model has */
	assert_int_equal(adaptation_edited(shipped, path, "1\n3\n", "1\nthree\n", err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, ":2: the number of feature streams is not a number"));
	text = file_read_all(shipped);
	char *more = xasprintf("%s\n0.5\n", text);
	file_write_all(path, more);
	free(more);
	free(text);
	assert_int_equal(adaptation_check(path, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "more numbers than the model's transform"));

	/* The recogniser still starts without it, with a warning, and hears quiet speech. */
	struct diag d;
	diag_init(&d);
	struct recogniser *other;
	const struct recogniser_setup_config rs = {
		.acoustic_model = paths_acoustic_model(),
		.dictionary = paths_dictionary(),
		.adaptation = path,
		.synth = synth,
	};
	assert_int_equal(recogniser_setup(&rs, set, lex, &other, &d, err, sizeof(err)), 0);
	assert_true(diag_contains(&d, path));
	assert_true(diag_contains(&d, "heard without the model's adaptation"));
	size_t n;
	int16_t *q = spoken_16k(synth, "is it my fault", 0.3, &n);
	struct recognition r;
	assert_int_equal(recogniser_decode(other, q, n, &r, err, sizeof(err)), 0);
	assert_string_equal(r.heard, "is it my fault");
	free(q);
	recogniser_destroy(other);
	diag_done(&d);

	unlink(path);
	assert_int_equal(adaptation_check(path, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, path));
}

/* A real coffee order (the tuning half) is too noisy to hear in a kitchen at 6 dB, where the
 * recogniser fails, and not in the quiet room it was recorded in (docs/recognition-tuning.md,
 * "Too noisy to hear"). */
static void test_kitchen_is_too_noisy(void **state)
{
	(void)state;
	char path[1024];
	snprintf(path, sizeof(path), "%s/tests/data/real-speech/coffee/"
		 "3f94e11d-445a-4852-9e1a-a99f0fa71aac.flac", TEST_SOURCE_DIR);
	SF_INFO info = { 0 };
	SNDFILE *f = sf_open(path, SFM_READ, &info);
	assert_non_null(f);
	assert_int_equal(info.samplerate, 16000);
	size_t n = (size_t)info.frames;
	int16_t *speech = xmalloc(n * sizeof(*speech)), *mixed = xmalloc(n * sizeof(*mixed));
	assert_int_equal(sf_readf_short(f, speech, (sf_count_t)n), (sf_count_t)n);
	sf_close(f);
	struct recogniser_config config;
	recogniser_config_defaults(&config);
	size_t n_noise = 16000 * 20;
	uint32_t rng = 12345;
	float *pink = noise_pink_create(n_noise, &rng);
	float *kitchen = noise_kitchen_create(pink, n_noise, NOISE_KITCHEN_SEED);
	struct room room = { .noisy = true };
	free(signal_condition(&config, speech, n, &room));
	assert_false(room.noisy);
	for (size_t offset = 0; offset < n_noise; offset += n_noise / 4) {
		noise_mix(speech, n, kitchen, n_noise, 6, offset, mixed);
		room.noisy = false;
		free(signal_condition(&config, mixed, n, &room));
		assert_true(room.noisy);
	}
	free(pink);
	free(kitchen);
	free(speech);
	free(mixed);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_topics_are_heard),
		cmocka_unit_test(test_out_of_domain_is_not_answered),
		cmocka_unit_test(test_real_voices_are_not_answered),
		cmocka_unit_test(test_paraphrases_are_confirmed),
		cmocka_unit_test(test_silence_and_empty_are_rejected),
		cmocka_unit_test(test_quiet_speaker_is_heard),
		cmocka_unit_test(test_history_does_not_change_what_is_heard),
		cmocka_unit_test(test_scratch_folder),
		cmocka_unit_test(test_adaptation_files),
		cmocka_unit_test(test_kitchen_is_too_noisy),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
