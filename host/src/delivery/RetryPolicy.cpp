// SPDX-License-Identifier: Apache-2.0
//
// RetryPolicy.cpp
//


#include "delivery/RetryPolicy.h"
#include <algorithm>
#include <cmath>


namespace XQueue {


RetryPolicy::RetryPolicy(double initialDelaySeconds, double maxDelaySeconds, int horizonSeconds):
	_initial(initialDelaySeconds),
	_max(maxDelaySeconds),
	_horizon(static_cast<Micros>(horizonSeconds) * MICROS_PER_SECOND)
{
}


Micros RetryPolicy::delayAfter(int failedAttempts, double random01) const
{
	int exponent = std::clamp(failedAttempts - 1, 0, 62);
	double delay = std::min(_max, _initial * std::ldexp(1.0, exponent));
	double jittered = delay / 2.0 + (delay / 2.0) * std::clamp(random01, 0.0, 1.0);
	return static_cast<Micros>(jittered * MICROS_PER_SECOND);
}


bool RetryPolicy::withinHorizon(Micros firstAttemptAt, Micros retryAt) const
{
	return retryAt - firstAttemptAt <= _horizon;
}


} // namespace XQueue
