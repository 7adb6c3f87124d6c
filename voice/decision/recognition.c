#include "recognition.h"

const char *recognition_decision_name(enum recognition_decision d)
{
	switch (d) {
	case DECISION_ANSWER:
		return "answer";
	case DECISION_CONFIRM:
		return "confirm";
	case DECISION_REJECT:
	default:
		return "reject";
	}
}

const char *recognition_intent_name(const struct recognition *r, char *buf, size_t buflen)
{
	struct intent_result ir = { .kind = r->kind, .topic_id = r->topic_id, .control = r->control };
	return intent_result_name(&ir, buf, buflen);
}
