// SPDX-License-Identifier: Apache-2.0
//
// WorkerGroupTest.cpp
//
// The loop under every background worker (delivery, dispatch, retention, history): a
// notify is never lost, a due time wakes a sleeper, stop() never waits for a poll
// interval. Poll intervals here are a minute, so any wake-up seen is the one under test;
// the waits only bound how long a broken group may take to fail the test.
//


#include "util/WorkerGroup.h"
#include <gtest/gtest.h>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>


using XQueue::WorkerGroup;
using namespace std::chrono_literals;


namespace {


const double A_MINUTE = 60.0;
const auto BOUND = 10s; // far beyond any wake-up under test, far below the poll interval


class Steps
	/// Counts steps and lets a test wait for a count; a step finds work while `pending` > 0.
{
public:
	bool step()
	{
		std::lock_guard<std::mutex> lock(_mutex);
		++_steps;
		bool found = _pending > 0;
		if (found) --_pending;
		_changed.notify_all();
		return found;
	}

	void addWork(int units)
	{
		std::lock_guard<std::mutex> lock(_mutex);
		_pending += units;
	}

	bool waitForSteps(int count)
	{
		std::unique_lock<std::mutex> lock(_mutex);
		return _changed.wait_for(lock, BOUND, [&] { return _steps >= count; });
	}

	bool waitUntilDone()
	{
		std::unique_lock<std::mutex> lock(_mutex);
		return _changed.wait_for(lock, BOUND, [&] { return _pending == 0; });
	}

	int steps()
	{
		std::lock_guard<std::mutex> lock(_mutex);
		return _steps;
	}

private:
	std::mutex _mutex;
	std::condition_variable _changed;
	int _steps = 0;
	int _pending = 0;
};


TEST(WorkerGroupTest, NotifyWakesASleeperAtOnceAndWorkRunsUntilNoneIsLeft)
{
	Steps steps;
	WorkerGroup group(1, A_MINUTE, [&] { return steps.step(); });
	group.start();
	ASSERT_TRUE(steps.waitForSteps(1)) << "the first look happens at start";
	steps.addWork(3);
	group.notify();
	EXPECT_TRUE(steps.waitUntilDone()) << "woken by notify, not by the poll interval";
	EXPECT_TRUE(steps.waitForSteps(5)) << "1 + 3 units + one more look that finds nothing";
	group.stop();
}


TEST(WorkerGroupTest, NotifyDuringAStepIsNotLost)
{
	// Work announced while the only thread is busy in its step: the thread must look
	// again instead of sleeping through it. Repeated, to hit the window between the
	// step's end and the sleep.
	std::atomic<int> done{0};
	std::atomic<int> announced{0};
	WorkerGroup group(1, A_MINUTE, [&] {
		// Takes the work it sees and says "nothing more": only a notify brings it back.
		if (done.load() < announced.load()) ++done;
		return false;
	});
	group.start();
	for (int i = 0; i < 200; ++i)
	{
		++announced;
		group.notify();
		auto until = std::chrono::steady_clock::now() + BOUND;
		while (done.load() < announced.load() && std::chrono::steady_clock::now() < until) std::this_thread::yield();
		ASSERT_EQ(done.load(), announced.load()) << "notification " << i << " was lost";
	}
	group.stop();
}


TEST(WorkerGroupTest, NotifyAtWakesASleeperWhenDueNotBefore)
{
	Steps steps;
	WorkerGroup group(1, A_MINUTE, [&] { return steps.step(); });
	group.start();
	ASSERT_TRUE(steps.waitForSteps(1));
	auto due = std::chrono::steady_clock::now() + 300ms;
	group.notifyAt(due);
	ASSERT_TRUE(steps.waitForSteps(2)) << "the due time woke it (the poll interval is a minute)";
	EXPECT_GE(std::chrono::steady_clock::now(), due);
	group.stop();
}


TEST(WorkerGroupTest, AnEarlierDueTimeWinsALaterOneIsKeptForItsTurn)
{
	Steps steps;
	WorkerGroup group(1, A_MINUTE, [&] { return steps.step(); });
	group.start();
	ASSERT_TRUE(steps.waitForSteps(1));
	auto started = std::chrono::steady_clock::now();
	group.notifyAt(started + 5s);
	group.notifyAt(started + 200ms);
	ASSERT_TRUE(steps.waitForSteps(2));
	EXPECT_LT(std::chrono::steady_clock::now() - started, 4s) << "the earlier time woke it";
}


TEST(WorkerGroupTest, StopDoesNotWaitForThePollInterval)
{
	Steps steps;
	WorkerGroup group(4, A_MINUTE, [&] { return steps.step(); });
	group.start();
	ASSERT_TRUE(steps.waitForSteps(4));
	auto started = std::chrono::steady_clock::now();
	group.stop();
	EXPECT_LT(std::chrono::steady_clock::now() - started, 5s);
	int after = steps.steps();
	std::this_thread::sleep_for(50ms);
	EXPECT_EQ(steps.steps(), after) << "no step after stop()";
}


TEST(WorkerGroupTest, EveryThreadWorksWhileThereIsWork)
{
	// Steps that take a while: with work for all, all threads step at once.
	std::atomic<int> running{0};
	std::atomic<int> most{0};
	std::atomic<int> pending{0};
	WorkerGroup group(3, A_MINUTE, [&] {
		if (pending.fetch_sub(1) <= 0)
		{
			++pending;
			return false;
		}
		int now = ++running;
		int seen = most.load();
		while (now > seen && !most.compare_exchange_weak(seen, now)) {}
		std::this_thread::sleep_for(20ms);
		--running;
		return true;
	});
	group.start();
	pending = 30;
	for (int i = 0; i < 3; ++i) group.notify();
	auto until = std::chrono::steady_clock::now() + BOUND;
	while (pending.load() > 0 && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(5ms);
	group.stop();
	EXPECT_LE(pending.load(), 0);
	EXPECT_EQ(most.load(), 3) << "one notify per unit of work woke every thread";
}


} // namespace
