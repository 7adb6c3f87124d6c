/* The loop's wall clock (private to voice/loop/): monotonic seconds, for the compute times it
 * reports and the keypad's timing. Conversation time is counted in samples, not read here. */
#pragma once

#include <time.h>

static inline double loop_clock_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
