// SPDX-License-Identifier: Apache-2.0
//
// QueueControlStore.h
//
// Operator switches per queue, shared by every host through the store: a paused queue
// keeps its submissions and accepts new ones, but none is handed out or dispatched.
//


#ifndef XQueue_QueueControlStore_INCLUDED
#define XQueue_QueueControlStore_INCLUDED


#include "store/Database.h"
#include <set>
#include <string>


namespace XQueue {


class QueueControlStore
{
public:
	explicit QueueControlStore(Database& database);

	void setPaused(const std::string& queueName, bool paused, Micros now);
	std::set<std::string> pausedQueues();

private:
	Database& _database;
};


} // namespace XQueue


#endif // XQueue_QueueControlStore_INCLUDED
