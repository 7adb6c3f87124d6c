/* The dialogue tests' fixture (tests/test_dialogue.c, tests/test_dialogue_keys.c): a small script
 * set written at test time (topics a-e on the main menu's 1-5, a sub-menu m on 6 holding f and g,
 * w on 9, one key from anywhere, so the main menu has two pages; the controls with the shipped
 * keys, help menu on 0: 1 start again, 2 slower, 3 faster, 4 louder, 5 quieter, 6 back, 7 stop,
 * 8 goodbye, then 9; and every prompt), a dialogue over it, and events sent one at a time.
 * Actions are rendered as one string per event ("stop say[topic:a,prompt:after-answer]"; a
 * prompt about an entry names it, "menu-item(f)", and the key it is offered on when that is not
 * its own, "see-also(b@1)") so each test reads as the conversation it checks. */
#pragma once

#include "dialogue.h"

struct fixture {
	struct script_set *set;
	struct dialogue *dlg;
	char out[1024];
};

/* A dialogue over the test's scripts with `cfg` (NULL: the defaults); free with teardown. */
struct fixture *fixture_new(const struct dialogue_config *cfg);
/* cmocka's set-up and tear-down: *state a fixture_new(NULL). */
int setup(void **state);
int teardown(void **state);

/* Handle one event; its actions rendered (valid until the next event). */
const char *run(struct fixture *fx, const struct dialogue_event *ev);
const char *start(struct fixture *fx);
/* What was said has been heard out. */
const char *done(struct fixture *fx);
const char *key(struct fixture *fx, const char *k);
/* Press each of the comma-separated keys, hearing each reply out ("6,1": sub-menu m, then f). */
void press_keys(struct fixture *fx, const char *keys);
const char *silence(struct fixture *fx);
/* A question about topic `id`, answered or confirmed as `dec` says. */
const char *topic(struct fixture *fx, const char *id, enum recognition_decision dec);
const char *ctl(struct fixture *fx, enum control c, enum recognition_decision dec);
/* Words heard that name nothing. */
const char *rejected(struct fixture *fx);
/* An utterance with no words at all. */
const char *nothing_heard(struct fixture *fx);
/* An unsure question between two topics (`second` the close runner-up; NULL: none). */
const char *between(struct fixture *fx, const char *id, const char *second,
		    enum recognition_decision dec);
/* Words heard while a question is asked back, as the recogniser names them. */
const char *said(struct fixture *fx, const char *words, enum control c);
/* Nothing understood in a room too noisy to hear. */
const char *noisy(struct fixture *fx, const char *words);
/* Start, hear the greeting out, and be listening. */
void begin(struct fixture *fx);

#define ANSWER(id) "say[topic:" id ",prompt:after-answer]"
/* The choice of topics a and b, on 1 and 2. */
#define CHOICE_ITEMS(a, b) "prompt:choice(" a "@1),prompt:choice-or(" b "@2)"
#define CHOICE(a, b) "say[" CHOICE_ITEMS(a, b) "]"
/* The main menu's two pages, the sub-menu m, and the help menu's two pages. */
#define MAIN_PAGE_1                                                                        \
	"say[prompt:menu-intro,prompt:menu-item(a),prompt:menu-item(b),prompt:menu-item(c),"  \
	"prompt:menu-item(d),prompt:menu-item(e),prompt:menu-next]"
#define MAIN_PAGE_2 "say[prompt:menu-item(m),prompt:menu-item(w),prompt:menu-end]"
#define MENU_M                                                                             \
	"say[prompt:menu-item(f),prompt:menu-item(g),"                 \
	"prompt:submenu-end]"
#define HELP_PAGE_1                                                                        \
	"say[prompt:help,prompt:help-menu-intro,prompt:help-item(start-again),"               \
	"prompt:help-item(slower),prompt:help-item(faster),prompt:help-item(louder),"         \
	"prompt:help-item(quieter),prompt:menu-next]"
#define HELP_PAGE_2                                                                        \
	"say[prompt:help-item(back),prompt:help-item(stop),prompt:help-item(goodbye),"        \
	"prompt:menu-item(w),prompt:submenu-end]"

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
