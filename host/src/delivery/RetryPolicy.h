// SPDX-License-Identifier: Apache-2.0
//
// RetryPolicy.h
//
// Exponential backoff with jitter for LMS deliveries, bounded by a horizon.
//


#ifndef XQueue_RetryPolicy_INCLUDED
#define XQueue_RetryPolicy_INCLUDED


#include "util/Clock.h"


namespace XQueue {


class RetryPolicy
{
public:
	RetryPolicy(double initialDelaySeconds, double maxDelaySeconds, int horizonSeconds);

	Micros delayAfter(int failedAttempts, double random01) const;
		/// Delay before the next attempt after failedAttempts (>= 1) failures:
		/// d = min(max, initial * 2^(failedAttempts-1)), then "equal jitter": a uniform
		/// value in [d/2, d], so that deliveries that failed together spread out.

	bool withinHorizon(Micros firstAttemptAt, Micros retryAt) const;
		/// False once retryAt lies beyond the horizon measured from the first attempt.

private:
	double _initial;
	double _max;
	Micros _horizon;
};


} // namespace XQueue


#endif // XQueue_RetryPolicy_INCLUDED
