// SPDX-License-Identifier: Apache-2.0
//
// PausedQueuesTest.cpp
//
// The paused-queue set every hand-out consults: read from the store at most once an
// interval, the last known answer kept when a read fails, and a slow read (a frozen
// MySQL) delaying nobody but the thread that does it.
//


#include "queue/PausedQueues.h"
#include "Poco/Exception.h"
#include <gtest/gtest.h>
#include <atomic>
#include <chrono>
#include <future>
#include <thread>


using XQueue::PausedQueues;


namespace {


const XQueue::Micros HOUR = 3600LL * XQueue::MICROS_PER_SECOND;


TEST(PausedQueuesTest, TheSetIsReadOnceAnInterval)
{
	std::atomic<int> reads{0};
	PausedQueues paused([&]() { ++reads; return std::set<std::string>{"a"}; }, HOUR);
	for (int i = 0; i < 100; ++i)
	{
		EXPECT_TRUE(paused.isPaused("a"));
		EXPECT_FALSE(paused.isPaused("b"));
	}
	EXPECT_EQ(reads, 1);
	EXPECT_EQ(paused.paused(), std::set<std::string>{"a"});
}


TEST(PausedQueuesTest, AFailedReadKeepsTheLastKnownAnswer)
{
	int reads = 0;
	PausedQueues paused([&]() -> std::set<std::string> {
		if (reads++ == 0) return {"a"};
		throw Poco::IOException("store unreachable");
	}, 0);
	EXPECT_TRUE(paused.isPaused("a"));
	EXPECT_TRUE(paused.isPaused("a")) << "read failed: the last known set stands";
	EXPECT_GE(reads, 2);
}


TEST(PausedQueuesTest, NothingIsPausedUntilAReadSucceeds)
{
	int reads = 0;
	PausedQueues paused([&]() -> std::set<std::string> {
		if (reads++ == 0) throw Poco::IOException("store unreachable");
		return {"b"};
	}, 0);
	EXPECT_FALSE(paused.isPaused("b"));
	EXPECT_TRUE(paused.isPaused("b"));
}


TEST(PausedQueuesTest, ASlowReadDelaysOnlyTheThreadDoingIt)
{
	std::promise<void> release;
	std::shared_future<void> released = release.get_future().share();
	std::promise<void> entered;
	std::atomic<int> reads{0};
	PausedQueues paused([&]() {
		if (++reads == 2)
		{
			entered.set_value();
			released.wait(); // a store read that hangs
		}
		return std::set<std::string>{"a"};
	}, 0);
	ASSERT_TRUE(paused.isPaused("a")); // the first read
	std::thread slow([&]() { paused.isPaused("a"); });
	entered.get_future().wait();
	auto other = std::async(std::launch::async, [&]() { return paused.isPaused("a"); });
	bool answered = other.wait_for(std::chrono::seconds(2)) == std::future_status::ready;
	release.set_value();
	slow.join();
	ASSERT_TRUE(answered) << "another thread waited for the slow read";
	EXPECT_TRUE(other.get());
}


} // namespace
