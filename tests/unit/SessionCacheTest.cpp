// SPDX-License-Identifier: Apache-2.0
//
// SessionCacheTest.cpp
//
// The LMS makes a new session for every submission and never closes one: the cache must
// not keep them past their lifetime, in answers or in memory.
//


#include "auth/SessionCache.h"
#include <gtest/gtest.h>
#include <chrono>
#include <string>
#include <thread>


using XQueue::Micros;
using XQueue::SessionCache;
using XQueue::SessionUser;


namespace {


TEST(SessionCacheTest, ExpiredSessionsLeaveMemoryAtTheNextInsertion)
{
	SessionCache cache(50 * 1000);
	SessionUser user;
	user.id = 7;
	user.username = "lms";
	for (int i = 0; i < 1000; ++i) cache.remember("token-" + std::to_string(i), user, XQueue::Clock::now());
	EXPECT_EQ(cache.size(), 1000u);
	ASSERT_TRUE(cache.find("token-1", XQueue::Clock::now()));
	std::this_thread::sleep_for(std::chrono::milliseconds(1100)); // past the lifetime and Poco's 1 s margin
	EXPECT_FALSE(cache.find("token-2", XQueue::Clock::now()));
	cache.remember("token-new", user, XQueue::Clock::now());
	EXPECT_EQ(cache.size(), 1u) << "one-use sessions must not pile up";
}


TEST(SessionCacheTest, ALifetimeOfZeroKeepsNothing)
{
	SessionCache cache(0);
	SessionUser user;
	cache.remember("t", user, XQueue::Clock::now());
	EXPECT_FALSE(cache.find("t", XQueue::Clock::now()));
	EXPECT_EQ(cache.size(), 0u);
}


TEST(SessionCacheTest, AnEntryEndsWithItsSessionAndWithForget)
{
	SessionCache cache(60 * XQueue::MICROS_PER_SECOND);
	const Micros now = XQueue::Clock::now();
	SessionUser ending;
	ending.expiresAt = now + 1000;
	cache.remember("ending", ending, now);
	EXPECT_TRUE(cache.find("ending", now + 999));
	EXPECT_FALSE(cache.find("ending", now + 1000));
	SessionUser lasting;
	cache.remember("lasting", lasting, now);
	cache.forget("lasting");
	EXPECT_FALSE(cache.find("lasting", now));
}


} // namespace
