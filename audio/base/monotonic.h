/* talkleaf's wall clock: monotonic seconds, for the compute and load times it reports, the
 * keypad's timing, the device retries and the benchmarks. Conversation time is counted in
 * samples. */
#pragma once

#include <time.h>

static inline double monotonic_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}
