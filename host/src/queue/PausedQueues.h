// SPDX-License-Identifier: Apache-2.0
//
// PausedQueues.h
//
// Which queues an operator paused (xqueue-admin queue pause), as every host sees it: read
// from the store at most once a second, so a pause takes effect everywhere within about
// a second without a query per hand-out. The read happens outside the lock: while one
// thread reads (a slow MySQL read included), the others answer from the last known set.
//


#ifndef XQueue_PausedQueues_INCLUDED
#define XQueue_PausedQueues_INCLUDED


#include "store/QueueControlStore.h"
#include "util/Clock.h"
#include "Poco/Logger.h"
#include <functional>
#include <mutex>
#include <set>
#include <string>


namespace XQueue {


class PausedQueues
{
public:
	using Reader = std::function<std::set<std::string>()>;

	explicit PausedQueues(QueueControlStore& store, Micros refreshInterval = MICROS_PER_SECOND);

	PausedQueues(Reader read, Micros refreshInterval);
		/// Reads the paused queues with read (the store's, or a test's).

	bool isPaused(const std::string& queueName);
		/// If the store cannot be read, the last known answer stands. Until the first
		/// read succeeds, callers wait for it (nothing is handed out from a queue paused
		/// before this host started).

	std::set<std::string> paused();

private:
	void refreshIfStale();

	Reader _read;
	Micros _refreshInterval;
	std::mutex _mutex;   /// guards _paused, _readAt and _known
	std::mutex _firstRead;
	std::set<std::string> _paused;
	Micros _readAt = 0;
	bool _known = false;
	Poco::Logger& _logger;
};


} // namespace XQueue


#endif // XQueue_PausedQueues_INCLUDED
