// SPDX-License-Identifier: Apache-2.0
//
// LoginThrottleTest.cpp
//


#include "auth/LoginThrottle.h"
#include <gtest/gtest.h>


using namespace XQueue;


namespace {


constexpr Micros SECOND = MICROS_PER_SECOND;
const Micros T0 = 1800000000LL * SECOND;


TEST(LoginThrottleTest, AUserNameIsRefusedAfterItsLimitUntilFailuresLeaveTheWindow)
{
	LoginThrottle throttle({3, 100, 60 * SECOND});
	for (int i = 0; i < 3; ++i)
	{
		EXPECT_EQ(throttle.retryAfter("lms", "10.0.0.1", T0 + i * SECOND), 0);
		throttle.failed("lms", "10.0.0.1", T0 + i * SECOND);
	}
	EXPECT_EQ(throttle.retryAfter("lms", "10.0.0.1", T0 + 3 * SECOND), 57 * SECOND);
	EXPECT_EQ(throttle.retryAfter("grader", "10.0.0.1", T0 + 3 * SECOND), 0) << "other users are unaffected";
	EXPECT_EQ(throttle.retryAfter("lms", "10.0.0.1", T0 + 60 * SECOND), 0) << "the first failure left the window";
}


TEST(LoginThrottleTest, AnAddressIsRefusedAfterItsLimitAcrossUserNames)
{
	LoginThrottle throttle({100, 5, 60 * SECOND});
	for (int i = 0; i < 5; ++i) throttle.failed("user" + std::to_string(i), "203.0.113.7", T0);
	EXPECT_GT(throttle.retryAfter("anyone", "203.0.113.7", T0), 0);
	EXPECT_EQ(throttle.retryAfter("anyone", "203.0.113.8", T0), 0);
}


TEST(LoginThrottleTest, GuessesElsewhereNeverLockOutAnAddressThatHasNotFailed)
{
	// The LMS logs in from its own address with the right password; a third party's wrong
	// guesses, from one address or from many, must not make those logins fail.
	LoginThrottle throttle({10, 100, 60 * SECOND});
	for (int i = 0; i < 1000; ++i) throttle.failed("lms", "192.0.2.1", T0);
	for (int i = 0; i < 1000; ++i) throttle.failed("lms", "198.51.100." + std::to_string(i % 250), T0);
	EXPECT_GT(throttle.retryAfter("lms", "192.0.2.1", T0), 0) << "the guessers are refused";
	EXPECT_GT(throttle.retryAfter("lms", "198.51.100.7", T0), 0);
	EXPECT_EQ(throttle.retryAfter("lms", "10.0.0.5", T0), 0) << "the LMS's address is not";
	// A fresh address may make one guess once the user's limit is reached, then it is refused.
	EXPECT_EQ(throttle.retryAfter("lms", "203.0.113.1", T0), 0);
	throttle.failed("lms", "203.0.113.1", T0);
	EXPECT_GT(throttle.retryAfter("lms", "203.0.113.1", T0), 0);
}


TEST(LoginThrottleTest, ACorrectPasswordClearsTheAddressFailuresAndZeroDisables)
{
	LoginThrottle throttle({2, 100, 60 * SECOND});
	throttle.failed("lms", "a", T0);
	throttle.failed("lms", "a", T0);
	EXPECT_GT(throttle.retryAfter("lms", "a", T0), 0);
	throttle.succeeded("lms", "a");
	EXPECT_EQ(throttle.retryAfter("lms", "a", T0), 0) << "this address has not failed since its success";
	throttle.failed("lms", "b", T0);
	EXPECT_GT(throttle.retryAfter("lms", "b", T0), 0) << "the user's count was not reset by a's success";
	LoginThrottle unlimited({0, 0, 60 * SECOND});
	for (int i = 0; i < 1000; ++i) unlimited.failed("lms", "a", T0);
	EXPECT_EQ(unlimited.retryAfter("lms", "a", T0), 0);
}


TEST(LoginThrottleTest, RandomUserNamesCannotGrowItWithoutBound)
{
	LoginThrottle throttle({10, 0, 60 * SECOND});
	for (std::size_t i = 0; i < LoginThrottle::MAX_TRACKED + 1000; ++i) throttle.failed("random-" + std::to_string(i), "x", T0);
	// Still answers, and a fresh name is not throttled.
	EXPECT_EQ(throttle.retryAfter("fresh", "x", T0), 0);
}


} // namespace
