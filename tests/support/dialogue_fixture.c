/* The dialogue tests' fixture: dialogue_fixture.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dialogue_fixture.h"
#include "diag.h"
#include "log.h"
#include "script.h"
#include "script_files.h"

static const char controls_txt[] =
	"control: repeat\nkey: *\ntitle: Repeat\nask: (say that again | repeat)\n"
	"control: slower\nkey: 2\nkeyboard: -\ntitle: Slower\nask: slower\n"
	"control: faster\nkey: 3\nkeyboard: +\ntitle: Faster\nask: faster\n"
	"control: more\nkey: #\ntitle: More\nask: more\n"
	"control: back\nkey: 6\nkeyboard: /\ntitle: Back\nask: go back\n"
	"control: help\nkey: 0\ntitle: Help\nask: help\n"
	"control: stop\nkey: 7\nkeyboard: .\ntitle: Stop\nask: stop\n"
	"control: yes\nkey: 1\ntitle: Yes\nask: yes\n"
	"control: no\nkey: 2\ntitle: No\nask: no\n"
	"control: goodbye\nkey: 8\nkeyboard: backspace\ntitle: Goodbye\nask: goodbye\n"
	"control: louder\nkey: 4\ntitle: Louder\nask: louder\n"
	"control: quieter\nkey: 5\ntitle: Quieter\nask: quieter\n"
	"control: start-again\nkey: 1\ntitle: Start again\nask: start again\n"
	"control: language\nkey: 0\ntitle: Another language\nask: change language\n";

static const char topics_txt[] =
	"menu: m\nkey: 6\ntitle: Menu M\n"
	"topic: a\nkey: 1\ntitle: Topic A\nask: tell me about apples\nsay: A says this.\n"
	"more: A has more.\nsee: b, c, d\n"
	"topic: b\nkey: 2\ntitle: Topic B\nask: tell me about bananas\nsay: B says this.\n"
	"topic: c\nkey: 3\ntitle: Topic C\nask: tell me about cherries\nsay: C says this.\n"
	"topic: d\nkey: 4\ntitle: Topic D\nask: tell me about dates\nsay: D says this.\n"
	"topic: e\nkey: 5\ntitle: Topic E\nask: tell me about eggs\nsay: E says this.\n"
	"topic: f\nin-menu: m\nkey: 1\ntitle: Topic F\nask: tell me about figs\n"
	"say: F says this.\n"
	"topic: g\nin-menu: m\nkey: 2\ntitle: Topic G\nask: tell me about grapes\n"
	"say: G says this.\n"
	"topic: w\nkey: 9\ntitle: Who can help\nask: who can help\nsay: W says this.\n";

static void remove_file(const char *dir, const char *name)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	unlink(path);
}

static struct script_set *load_set(void)
{
	char dir[] = TEST_BUILD_DIR "/dialogue-XXXXXX";
	assert_non_null(mkdtemp(dir));
	script_file_write(dir, "controls.txt", controls_txt);
	script_file_write(dir, "topics.txt", topics_txt);
	char *prompts = xstrdup("");
	for (size_t i = 0; script_required_prompts[i]; i++) {
		char *next = xasprintf("%sprompt: %s\nsay: The %s prompt.\n", prompts,
				       script_required_prompts[i], script_required_prompts[i]);
		free(prompts);
		prompts = next;
	}
	/* A push-to-talk variant (said only with config.push_to_talk). */
	char *next = xasprintf("%sprompt: confirm-push-to-talk\nsay: Press a key.\n", prompts);
	free(prompts);
	prompts = next;
	script_file_write(dir, "prompts.txt", prompts);
	free(prompts);

	struct diag d;
	diag_init(&d);
	struct script_set *set = NULL;
	int r = script_set_load(dir, NULL, &set, &d);
	for (size_t i = 0; r != 0 && i < d.n_lines; i++)
		fprintf(stderr, "%s\n", d.lines[i]);
	diag_done(&d);
	remove_file(dir, "controls.txt");
	remove_file(dir, "topics.txt");
	remove_file(dir, "prompts.txt");
	rmdir(dir);
	assert_int_equal(r, 0);
	return set;
}

struct fixture *fixture_new(const struct dialogue_config *cfg)
{
	struct fixture *fx = xcalloc(1, sizeof(*fx));
	fx->set = load_set();
	char err[256] = "";
	struct dialogue_config def;
	dialogue_config_defaults(&def);
	int r = dialogue_create(fx->set, cfg ? cfg : &def, &fx->dlg, err, sizeof(err));
	if (r)
		fprintf(stderr, "%s\n", err);
	assert_int_equal(r, 0);
	return fx;
}

int setup(void **state)
{
	*state = fixture_new(NULL);
	return 0;
}

int teardown(void **state)
{
	struct fixture *fx = *state;
	dialogue_destroy(fx->dlg);
	script_set_destroy(fx->set);
	free(fx);
	return 0;
}

/* Handle one event and render its actions. */
const char *run(struct fixture *fx, const struct dialogue_event *ev)
{
	const struct dialogue_action *a;
	size_t n = dialogue_handle(fx->dlg, ev, &a);
	char *p = fx->out;
	size_t left = sizeof(fx->out);
	fx->out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		int w = 0;
		const char *sep = i ? " " : "";
		switch (a[i].type) {
		case DIALOGUE_ACTION_STOP_SPEECH:
			w = snprintf(p, left, "%sstop", sep);
			break;
		case DIALOGUE_ACTION_SAY:
			w = snprintf(p, left, "%ssay[", sep);
			for (size_t k = 0; k < a[i].n_items; k++) {
				char name[128];
				dialogue_item_name(&a[i].items[k], name, sizeof(name));
				const struct script_entry *t = a[i].items[k].topic;
				const char *on = a[i].items[k].key;
				int ww = snprintf(p + w, left - (size_t)w, "%s%s%s%s%s%s%s", k ? "," : "",
						  name, t ? "(" : "", t ? t->id : "", on ? "@" : "",
						  on ? on : "", t ? ")" : "");
				w += ww;
			}
			w += snprintf(p + w, left - (size_t)w, "]");
			break;
		case DIALOGUE_ACTION_TONE:
			w = snprintf(p, left, "%stone", sep);
			break;
		case DIALOGUE_ACTION_LISTEN:
			w = snprintf(p, left, a[i].same_window ? "%slisten-on" : "%slisten", sep);
			break;
		case DIALOGUE_ACTION_RATE:
			w = snprintf(p, left, "%srate(%d)", sep, a[i].rate_step);
			break;
		case DIALOGUE_ACTION_VOLUME:
			w = snprintf(p, left, "%svolume(%d)", sep, a[i].volume_step);
			break;
		case DIALOGUE_ACTION_RESET:
			w = snprintf(p, left, "%sreset", sep);
			break;
		case DIALOGUE_ACTION_EXIT:
			w = snprintf(p, left, "%sexit", sep);
			break;
		case DIALOGUE_ACTION_LANGUAGE:
			w = snprintf(p, left, "%slanguage", sep);
			break;
		}
		assert_true(w >= 0 && (size_t)w < left);
		p += w;
		left -= (size_t)w;
	}
	return fx->out;
}

const char *start(struct fixture *fx)
{
	return run(fx, &(struct dialogue_event){ .type = DIALOGUE_EVENT_START });
}

const char *done(struct fixture *fx)
{
	return run(fx, &(struct dialogue_event){ .type = DIALOGUE_EVENT_PLAYBACK_DONE });
}

const char *key(struct fixture *fx, const char *k)
{
	return run(fx, &(struct dialogue_event){ .type = DIALOGUE_EVENT_KEY, .key = k });
}

/* Press each of the comma-separated keys, hearing each reply out ("6,1": sub-menu m, then f). */
void press_keys(struct fixture *fx, const char *keys)
{
	char k[16];
	for (const char *p = keys; *p; p += *p == ',') {
		size_t n = strcspn(p, ",");
		assert_true(n > 0 && n < sizeof(k));
		memcpy(k, p, n);
		k[n] = '\0';
		key(fx, k);
		done(fx);
		p += n;
	}
}

const char *silence(struct fixture *fx)
{
	return run(fx, &(struct dialogue_event){ .type = DIALOGUE_EVENT_SILENCE });
}

const char *topic(struct fixture *fx, const char *id, enum recognition_decision dec)
{
	return run(fx, &(struct dialogue_event){ .type = DIALOGUE_EVENT_UTTERANCE,
						 .heard = "tell me about it",
						 .kind = INTENT_TOPIC,
						 .topic_id = id,
						 .confidence = dec == DECISION_ANSWER ? 0.9 : 0.5,
						 .decision = dec });
}

const char *ctl(struct fixture *fx, enum control c, enum recognition_decision dec)
{
	return run(fx, &(struct dialogue_event){ .type = DIALOGUE_EVENT_UTTERANCE,
						 .heard = control_names[c],
						 .kind = INTENT_CONTROL,
						 .control = c,
						 .confidence = 0.9,
						 .decision = dec });
}

const char *rejected(struct fixture *fx)
{
	return run(fx, &(struct dialogue_event){ .type = DIALOGUE_EVENT_UTTERANCE,
						 .heard = "what is the weather",
						 .kind = INTENT_NONE,
						 .confidence = 0.1,
						 .decision = DECISION_REJECT });
}

const char *nothing_heard(struct fixture *fx)
{
	return run(fx, &(struct dialogue_event){ .type = DIALOGUE_EVENT_UTTERANCE,
						 .heard = "",
						 .kind = INTENT_NONE,
						 .decision = DECISION_REJECT });
}

/* An unsure question between two topics (`second` the close runner-up; NULL: none). */
const char *between(struct fixture *fx, const char *id, const char *second,
			   enum recognition_decision dec)
{
	return run(fx, &(struct dialogue_event){ .type = DIALOGUE_EVENT_UTTERANCE,
						 .heard = "tell me about it",
						 .kind = INTENT_TOPIC,
						 .topic_id = id,
						 .second_topic_id = second,
						 .confidence = 0.6,
						 .decision = dec });
}

/* Words heard while a question is asked back, as the recogniser names them. */
const char *said(struct fixture *fx, const char *words, enum control c)
{
	return run(fx, &(struct dialogue_event){ .type = DIALOGUE_EVENT_UTTERANCE,
						 .heard = words,
						 .kind = INTENT_CONTROL,
						 .control = c,
						 .confidence = 0.9,
						 .decision = DECISION_ANSWER });
}

/* Nothing understood in a room too noisy to hear. */
const char *noisy(struct fixture *fx, const char *words)
{
	return run(fx, &(struct dialogue_event){ .type = DIALOGUE_EVENT_UTTERANCE,
						 .heard = words,
						 .kind = INTENT_NONE,
						 .decision = DECISION_REJECT,
						 .noisy = true });
}

/* Start, hear the greeting out, and be listening. */
void begin(struct fixture *fx)
{
	assert_string_equal(start(fx), "say[prompt:greeting]");
	assert_string_equal(done(fx), "listen");
}
