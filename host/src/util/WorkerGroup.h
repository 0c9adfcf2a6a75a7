// SPDX-License-Identifier: Apache-2.0
//
// WorkerGroup.h
//
// Threads that repeat one step: as long as the step finds work they go on at once;
// when it finds none they sleep until notify() or the poll interval, whichever comes
// first. A notify() between looking and sleeping is never lost.
//


#ifndef XQueue_WorkerGroup_INCLUDED
#define XQueue_WorkerGroup_INCLUDED


#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>


namespace XQueue {


class WorkerGroup
{
public:
	using Step = std::function<bool()>;
		/// Does one unit of work; returns false when there was nothing to do.

	WorkerGroup(int threads, double pollIntervalSeconds, Step step);
	~WorkerGroup();

	WorkerGroup(const WorkerGroup&) = delete;
	WorkerGroup& operator=(const WorkerGroup&) = delete;

	void start();
	void stop();
		/// Lets each thread finish its current step, then joins them.

	void notify();
		/// One unit of work arrived: wakes one sleeping thread.

	void notifyAt(std::chrono::steady_clock::time_point when);
		/// Work becomes due at when: a sleeping thread wakes then (not only at the next
		/// poll), unless an earlier wake-up is already set.

private:
	void run();

	int _threadCount;
	double _pollIntervalSeconds;
	Step _step;
	std::vector<std::thread> _threads;
	std::mutex _mutex;
	std::condition_variable _wake;
	std::uint64_t _generation = 0;
	std::chrono::steady_clock::time_point _wakeAt = std::chrono::steady_clock::time_point::max();
	bool _stopping = false;
};


} // namespace XQueue


#endif // XQueue_WorkerGroup_INCLUDED
