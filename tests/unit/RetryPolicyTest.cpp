// SPDX-License-Identifier: Apache-2.0
//
// RetryPolicyTest.cpp
//


#include "delivery/RetryPolicy.h"
#include <gtest/gtest.h>


using XQueue::Micros;
using XQueue::MICROS_PER_SECOND;
using XQueue::RetryPolicy;


namespace {


TEST(RetryPolicyTest, DelayDoublesWithinJitterBounds)
{
	RetryPolicy policy(5, 600, 86400);
	EXPECT_EQ(policy.delayAfter(1, 1.0), 5 * MICROS_PER_SECOND);
	EXPECT_EQ(policy.delayAfter(1, 0.0), 5 * MICROS_PER_SECOND / 2);
	EXPECT_EQ(policy.delayAfter(2, 1.0), 10 * MICROS_PER_SECOND);
	EXPECT_EQ(policy.delayAfter(4, 1.0), 40 * MICROS_PER_SECOND);
	for (int attempt = 1; attempt < 10; ++attempt)
	{
		Micros low = policy.delayAfter(attempt, 0.0);
		Micros high = policy.delayAfter(attempt, 1.0);
		Micros mid = policy.delayAfter(attempt, 0.5);
		EXPECT_LE(low, mid);
		EXPECT_LE(mid, high);
		EXPECT_EQ(low * 2, high);
	}
}


TEST(RetryPolicyTest, DelayIsCapped)
{
	RetryPolicy policy(5, 600, 86400);
	EXPECT_EQ(policy.delayAfter(30, 1.0), 600 * MICROS_PER_SECOND);
	EXPECT_EQ(policy.delayAfter(1000, 1.0), 600 * MICROS_PER_SECOND);
}


TEST(RetryPolicyTest, HorizonBoundsRetries)
{
	RetryPolicy policy(5, 600, 3600);
	EXPECT_TRUE(policy.withinHorizon(0, 3600 * MICROS_PER_SECOND));
	EXPECT_FALSE(policy.withinHorizon(0, 3600 * MICROS_PER_SECOND + 1));
	RetryPolicy never(5, 600, 0);
	EXPECT_FALSE(never.withinHorizon(0, 1));
}


} // namespace
