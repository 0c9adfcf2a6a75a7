// SPDX-License-Identifier: Apache-2.0
//
// WorkerGroup.cpp
//


#include "util/WorkerGroup.h"
#include <algorithm>
#include <chrono>


namespace XQueue {


WorkerGroup::WorkerGroup(int threads, double pollIntervalSeconds, Step step):
	_threadCount(threads),
	_pollIntervalSeconds(pollIntervalSeconds),
	_step(std::move(step))
{
}


WorkerGroup::~WorkerGroup()
{
	stop();
}


void WorkerGroup::start()
{
	std::lock_guard<std::mutex> lock(_mutex);
	_stopping = false;
	for (int i = 0; i < _threadCount; ++i) _threads.emplace_back([this]() { run(); });
}


void WorkerGroup::stop()
{
	{
		std::lock_guard<std::mutex> lock(_mutex);
		_stopping = true;
	}
	_wake.notify_all();
	for (auto& thread: _threads)
	{
		if (thread.joinable()) thread.join();
	}
	_threads.clear();
}


void WorkerGroup::notify()
{
	{
		std::lock_guard<std::mutex> lock(_mutex);
		++_generation;
	}
	// One unit of work, one thread: a busy thread notices the new generation itself
	// when its step ends, so nothing is lost by not waking everyone.
	_wake.notify_one();
}


void WorkerGroup::notifyAt(std::chrono::steady_clock::time_point when)
{
	{
		std::lock_guard<std::mutex> lock(_mutex);
		if (when >= _wakeAt) return;
		_wakeAt = when;
	}
	// A sleeper recomputes its deadline when woken without a new generation.
	_wake.notify_one();
}


void WorkerGroup::run()
{
	while (true)
	{
		std::uint64_t generation;
		{
			std::lock_guard<std::mutex> lock(_mutex);
			if (_stopping) return;
			generation = _generation;
		}
		if (_step()) continue;
		std::unique_lock<std::mutex> lock(_mutex);
		auto deadline = std::chrono::steady_clock::now() +
			std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::duration<double>(_pollIntervalSeconds));
		while (!_stopping && _generation == generation)
		{
			auto until = std::min(deadline, _wakeAt);
			if (_wake.wait_until(lock, until) == std::cv_status::timeout && std::chrono::steady_clock::now() >= until) break;
		}
		if (std::chrono::steady_clock::now() >= _wakeAt) _wakeAt = std::chrono::steady_clock::time_point::max();
	}
}


} // namespace XQueue
