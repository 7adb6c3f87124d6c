/* The languages of a session and the choice between them (docs/languages.md, docs/keypad.md): each
 * language's "language-choice" prompt said in its own voice, a digit chooses, then that
 * language's greeting. One dialogue a language; only the one spoken now gets events. */
#include "session_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

/* The choice offers digits 1-9: the languages past the ninth cannot be chosen by key. */
static const char *const choice_digits[] = { "1", "2", "3", "4", "5", "6", "7", "8", "9" };
#define CHOICE_MAX (sizeof(choice_digits) / sizeof(choice_digits[0]))
#define CHOICE_PROMPT "language-choice"

bool session_choice_on(const struct session *s)
{
	return s->cfg.choose_language && s->n_langs > 1;
}

int session_dialogues_create(const struct session *s, const struct session_language *langs,
			     size_t n, struct dialogue ***out, char *err, size_t errlen)
{
	bool choose = s->cfg.choose_language && n > 1;
	struct dialogue **dlgs = xcalloc(n, sizeof(*dlgs));
	char why[512];
	int r = 0;
	for (size_t i = 0; r == 0 && i < n; i++) {
		struct dialogue_config dc = s->cfg.dialogue;
		dc.choose_language = choose;
		/* Nothing hears a keypad-only language: speech cannot interrupt it either. */
		if (!langs[i].hears)
			dc.voice_barge_in = false;
		const char *code = langs[i].code ? langs[i].code : "main";
		if (!langs[i].set)
			r = errf(err, errlen, -EINVAL, "language %s has no scripts", code);
		else if (choose && !script_set_find_prompt(langs[i].set, CHOICE_PROMPT))
			r = errf(err, errlen, -EINVAL,
				 "the scripts of language %s have no prompt '" CHOICE_PROMPT
				 "' (add it to its prompts.txt: 'say: For English, press {key}.' in its "
				 "own language)",
				 code);
		else if ((r = dialogue_create(langs[i].set, &dc, &dlgs[i], why, sizeof(why))) < 0)
			errf(err, errlen, r, "%s%s%s", n > 1 ? code : "", n > 1 ? ": " : "", why);
	}
	if (r < 0) {
		for (size_t i = 0; i < n; i++)
			dialogue_destroy(dlgs[i]);
		free(dlgs);
		return r;
	}
	*out = dlgs;
	return 0;
}

static struct playback_speaker language_speaker(const struct session_language *l)
{
	return (struct playback_speaker){ .set = l->set, .voice = l->voice, .language = l->code,
					  .lex = l->lex };
}

void session_language_use(struct session *s, size_t i)
{
	const struct session_language *l = &s->langs[i];
	s->lang = i;
	s->set = l->set;
	s->dlg = s->dlgs[i];
	s->pb.speaker = language_speaker(l);
}

void session_languages_set(struct session *s, const struct session_language *langs, size_t n,
			   struct dialogue **dlgs)
{
	if (dlgs) {
		session_languages_done(s);
		s->dlgs = dlgs;
		s->choosing = s->choice_quiet = false;
		s->lang = s->cfg.language < n ? s->cfg.language : 0;
	}
	s->langs = xreallocarray(s->langs, n, sizeof(*s->langs));
	memcpy(s->langs, langs, n * sizeof(*langs));
	s->n_langs = n;
	session_language_use(s, s->lang);
}

int session_languages_init(struct session *s, const struct script_set *set, char *err,
			   size_t errlen)
{
	struct session_language one = { .set = set, .hears = true };
	const struct session_language *langs = s->cfg.n_languages ? s->cfg.languages : &one;
	size_t n = s->cfg.n_languages ? s->cfg.n_languages : 1;
	/* Borrowed for this call only: the session keeps its own copy. */
	s->cfg.languages = NULL;
	s->cfg.n_languages = 0;
	struct dialogue **dlgs;
	int r = session_dialogues_create(s, langs, n, &dlgs, err, errlen);
	if (r < 0)
		return r;
	session_languages_set(s, langs, n, dlgs);
	return 0;
}

int session_set_assets(struct session *s, const struct script_set *set, struct recogniser *rec,
		       struct synth *synth, char *err, size_t errlen)
{
	struct session_language one = { .set = set, .hears = true };
	return session_set_languages(s, &one, 1, rec, synth, err, errlen);
}

void session_languages_done(struct session *s)
{
	for (size_t i = 0; s->dlgs && i < s->n_langs; i++)
		dialogue_destroy(s->dlgs[i]);
	free(s->dlgs);
	free(s->langs);
	s->dlgs = NULL;
	s->langs = NULL;
	s->dlg = NULL;
}

bool session_listening(const struct session *s)
{
	if (s->choosing && !s->choice_quiet)
		return endpointer_listening(s->ep);
	return dialogue_listening(s->dlg);
}

/* Stop whatever is being said (a key came during the choice). */
static void choice_stop(struct session *s)
{
	if (playback_active(&s->pb) || s->notify_done) {
		audio_sink_stop(s->sink);
		session_stop_playback(s);
		if (s->prev.open)
			s->prev.interrupted = true;
	}
	s->listen_pending = false;
}

/* Each language's line in its own voice, its digit in {key}. Nothing is heard meanwhile. */
static void choice_say(struct session *s)
{
	choice_stop(s);
	s->choosing = true;
	s->choice_quiet = false;
	endpointer_pause(s->ep);
	struct playback_speaker keep = s->pb.speaker;
	const char *said[TURN_SAID_MAX];
	size_t first = s->turn.n_said, n = s->n_langs < CHOICE_MAX ? s->n_langs : CHOICE_MAX;
	for (size_t i = 0; i < n; i++) {
		const struct session_language *l = &s->langs[i];
		s->pb.speaker = language_speaker(l);
		playback_add(&s->pb, PLAYBACK_ITEM,
			     &(struct dialogue_item){
				     .type = DIALOGUE_ITEM_PROMPT,
				     .entry = script_set_find_prompt(l->set, CHOICE_PROMPT),
				     .key = choice_digits[i] });
		if (s->turn.n_said < TURN_SAID_MAX) {
			snprintf(s->turn.said[s->turn.n_said], TURN_SAID_LEN, CHOICE_PROMPT ":%s",
				 l->code ? l->code : "");
			said[s->turn.n_said - first] = s->turn.said[s->turn.n_said];
			s->turn.n_said++;
		}
	}
	s->pb.speaker = keep;
	status_emit(s->cfg.status, &(struct status_event){ .kind = STATUS_SPEAKING,
							   .said = said,
							   .n_said = s->turn.n_said - first });
	s->notify_done = true;
	playback_fill(&s->pb);
}

/* Language i chosen: its dialogue starts over with its greeting. */
static void choose(struct session *s, size_t i)
{
	choice_stop(s);
	s->choosing = s->choice_quiet = false;
	session_language_use(s, i);
	log_debug("language %s chosen", s->langs[i].code ? s->langs[i].code : "");
	/* A new person, a new language: the speed and level start at the default (START forgets
	 * the dialogue's steps). */
	synth_set_rate(s->synth, SYNTH_RATE_DEFAULT);
	s->pb.gain = 1.0;
	session_dispatch(s, &(struct dialogue_event){ .type = DIALOGUE_EVENT_START });
}

void session_choice_begin(struct session *s, bool quiet)
{
	s->choice_silences = 0;
	if (!quiet) {
		choice_say(s);
		return;
	}
	/* Waiting for the next person, as after a reset, in the main language (whose speech is
	 * heard, if it has a recogniser). */
	s->choosing = s->choice_quiet = true;
	if (s->lang != 0) {
		session_language_use(s, 0);
		session_dispatch(s, &(struct dialogue_event){ .type = DIALOGUE_EVENT_WAIT });
	}
}

void session_choice_key(struct session *s, const char *key)
{
	size_t n = s->n_langs < CHOICE_MAX ? s->n_langs : CHOICE_MAX;
	if (key[0] >= '1' && key[1] == '\0' && (size_t)(key[0] - '1') < n) {
		choose(s, (size_t)(key[0] - '1'));
		return;
	}
	/* Star says it again; any other key is not a language: the choice again too. */
	s->choice_silences = 0;
	choice_say(s);
}

void session_choice_silence(struct session *s)
{
	/* No key: the choice once more, then the main language (someone who only speaks). */
	if (++s->choice_silences < 2)
		choice_say(s);
	else
		choose(s, 0);
}

void session_choice_said(struct session *s)
{
	session_start_listening(s);
}
