//
// PausedQueues.h
//
// Which queues an operator paused (xqueue-admin queue pause), as every host sees it: read
// from the store at most once a second, so a pause takes effect everywhere within about
// a second without a query per hand-out.
//


#ifndef XQueue_PausedQueues_INCLUDED
#define XQueue_PausedQueues_INCLUDED


#include "store/QueueControlStore.h"
#include "util/Clock.h"
#include "Poco/Logger.h"
#include <mutex>
#include <set>
#include <string>


namespace XQueue {


class PausedQueues
{
public:
	explicit PausedQueues(QueueControlStore& store, Micros refreshInterval = MICROS_PER_SECOND);

	bool isPaused(const std::string& queueName);
		/// If the store cannot be read, the last known answer stands.

	std::set<std::string> paused();

private:
	void refreshIfStale();

	QueueControlStore& _store;
	Micros _refreshInterval;
	std::mutex _mutex;
	std::set<std::string> _paused;
	Micros _readAt = 0;
	Poco::Logger& _logger;
};


} // namespace XQueue


#endif // XQueue_PausedQueues_INCLUDED
