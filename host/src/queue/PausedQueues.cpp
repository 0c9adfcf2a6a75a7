//
// PausedQueues.cpp
//


#include "queue/PausedQueues.h"


namespace XQueue {


PausedQueues::PausedQueues(QueueControlStore& store, Micros refreshInterval):
	_store(store),
	_refreshInterval(refreshInterval),
	_logger(Poco::Logger::get("xqueue.queue"))
{
}


void PausedQueues::refreshIfStale()
{
	Micros now = Clock::now();
	if (now - _readAt < _refreshInterval) return;
	_readAt = now;
	try
	{
		_paused = _store.pausedQueues();
	}
	catch (Poco::Exception& exc)
	{
		_logger.warning("cannot read the paused queues (keeping the last known): %s", exc.displayText());
	}
}


bool PausedQueues::isPaused(const std::string& queueName)
{
	std::lock_guard<std::mutex> lock(_mutex);
	refreshIfStale();
	return _paused.count(queueName) > 0;
}


std::set<std::string> PausedQueues::paused()
{
	std::lock_guard<std::mutex> lock(_mutex);
	refreshIfStale();
	return _paused;
}


} // namespace XQueue
