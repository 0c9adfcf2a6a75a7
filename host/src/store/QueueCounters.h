// SPDX-License-Identifier: Apache-2.0
//
// QueueCounters.h
//
// The maintained count of queued submissions per queue (queue_counters), which makes
// get_queuelen an index read at any table size.
//


#ifndef XQueue_QueueCounters_INCLUDED
#define XQueue_QueueCounters_INCLUDED


#include "store/Database.h"
#include <string>


namespace XQueue {


class QueueCounters
{
public:
	explicit QueueCounters(Database& database);

	void adjust(Poco::Data::Session& session, const std::string& queueName, Poco::Int64 delta);
		/// Inside the transaction that queues or unqueues submissions.

private:
	Database& _database;
};


} // namespace XQueue


#endif // XQueue_QueueCounters_INCLUDED
