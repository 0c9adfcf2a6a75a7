// SPDX-License-Identifier: Apache-2.0
//
// PausedQueues.cpp
//


#include "queue/PausedQueues.h"


namespace XQueue {


PausedQueues::PausedQueues(QueueControlStore& store, Micros refreshInterval):
	PausedQueues([&store]() { return store.pausedQueues(); }, refreshInterval)
{
}


PausedQueues::PausedQueues(Reader read, Micros refreshInterval):
	_read(std::move(read)),
	_refreshInterval(refreshInterval),
	_logger(Poco::Logger::get("xqueue.queue"))
{
}


void PausedQueues::refreshIfStale()
{
	// Until a first read succeeded, everyone waits for one (one at a time). Never taken
	// while holding _mutex: the reader holds it while it takes _mutex.
	bool known = false;
	{
		std::lock_guard<std::mutex> lock(_mutex);
		known = _known;
	}
	std::unique_lock<std::mutex> first(_firstRead, std::defer_lock);
	if (!known) first.lock();
	{
		std::lock_guard<std::mutex> lock(_mutex);
		Micros now = Clock::now();
		if (_known && now - _readAt < _refreshInterval) return;
		// This thread reads; the others answer from the last known set meanwhile.
		_readAt = now;
	}
	try
	{
		std::set<std::string> paused = _read();
		std::lock_guard<std::mutex> lock(_mutex);
		_paused = std::move(paused);
		_known = true;
	}
	catch (Poco::Exception& exc)
	{
		_logger.warning("cannot read the paused queues (keeping the last known): %s", exc.displayText());
	}
}


bool PausedQueues::isPaused(const std::string& queueName)
{
	refreshIfStale();
	std::lock_guard<std::mutex> lock(_mutex);
	return _paused.count(queueName) > 0;
}


std::set<std::string> PausedQueues::paused()
{
	refreshIfStale();
	std::lock_guard<std::mutex> lock(_mutex);
	return _paused;
}


} // namespace XQueue
