/* The grammar search: the templates themselves, written as JSGF for PocketSphinx, and the
 * automaton it compiles to made minimal (automaton.h). */
#include "recogniser_internal.h"

#include <string.h>

#include "log.h"
#include "strbuf.h"

/* How many times the JSGF grammar's states the minimal automaton may take while it is being
 * made (determinising can grow nested alternatives exponentially; past this it is not faster). */
#define GRAMMAR_GROWTH 4

/* A JSGF rule name for a list or entry: letters, digits and '_' only. */
static void sb_rule(struct strbuf *b, const char *prefix, const char *name)
{
	strbuf_add(b, "<");
	strbuf_add(b, prefix);
	char c[2] = { 0 };
	for (const char *p = name; *p; p++) {
		c[0] = (char)((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ? *p : '_');
		strbuf_add(b, c);
	}
	strbuf_add(b, ">");
}

/* Words missing from the task dictionary make ps_set_jsgf_string fail: they become <VOID>. */
static void sb_template(struct strbuf *b, const struct template_node *n, const struct vocab *dict)
{
	switch (n->type) {
	case TEMPLATE_WORD:
		strbuf_add(b, vocab_has(dict, n->text) ? n->text : "<VOID>");
		strbuf_add(b, " ");
		break;
	case TEMPLATE_SEQ:
		for (size_t i = 0; i < n->n_children; i++)
			sb_template(b, n->children[i], dict);
		if (!n->n_children)
			strbuf_add(b, "<NULL> ");
		break;
	case TEMPLATE_ALT:
		strbuf_add(b, "( ");
		for (size_t i = 0; i < n->n_children; i++) {
			if (i)
				strbuf_add(b, "| ");
			sb_template(b, n->children[i], dict);
		}
		strbuf_add(b, ") ");
		break;
	case TEMPLATE_OPT:
		strbuf_add(b, "[ ");
		for (size_t i = 0; i < n->n_children; i++)
			sb_template(b, n->children[i], dict);
		strbuf_add(b, "] ");
		break;
	case TEMPLATE_LIST:
		sb_rule(b, "l_", n->text);
		strbuf_add(b, " ");
		break;
	}
}

char *grammar_build(const struct script_set *set, const struct vocab *dict)
{
	struct strbuf b = { 0 };
	strbuf_add(&b, "#JSGF V1.0;\ngrammar talkleaf;\npublic <utterance> = ");
	size_t n_entries = set->n_topics + set->n_controls, n_alts = 0;
	for (size_t i = 0; i < n_entries; i++) {
		const struct script_entry *e = i < set->n_topics ? &set->topics[i]
								 : &set->controls[i - set->n_topics];
		if (!e->n_asks)
			continue;
		if (n_alts++)
			strbuf_add(&b, " | ");
		sb_rule(&b, i < set->n_topics ? "t_" : "c_", e->id);
	}
	strbuf_add(&b, ";\n");
	for (size_t i = 0; i < n_entries; i++) {
		const struct script_entry *e = i < set->n_topics ? &set->topics[i]
								 : &set->controls[i - set->n_topics];
		if (!e->n_asks)
			continue;
		sb_rule(&b, i < set->n_topics ? "t_" : "c_", e->id);
		strbuf_add(&b, " = ");
		for (size_t k = 0; k < e->n_asks; k++) {
			if (k)
				strbuf_add(&b, "| ");
			strbuf_add(&b, "( ");
			sb_template(&b, e->asks[k].tree, dict);
			strbuf_add(&b, ") ");
		}
		strbuf_add(&b, ";\n");
	}
	for (size_t i = 0; i < set->n_lists; i++) {
		sb_rule(&b, "l_", set->lists[i].name);
		strbuf_add(&b, " = ");
		sb_template(&b, set->lists[i].tree, dict);
		strbuf_add(&b, ";\n");
	}
	return b.s;
}

/* The same sentences with every common start and ending shared, so each is scored once instead of
 * once per template that has it (docs/recognition-tuning.md, "Grammar minimisation"). */
int grammar_minimise(const struct automaton *in, struct automaton *out)
{
	return automaton_minimise(in, (size_t)in->n_states * GRAMMAR_GROWTH, out);
}
