// SPDX-License-Identifier: Apache-2.0
//
// QueueCounters.cpp
//


#include "store/QueueCounters.h"
#include "util/SecureRandom.h"
#include <algorithm>


using namespace Poco::Data::Keywords;


namespace XQueue {


namespace
{
	constexpr int COUNTER_SHARDS = 16;
}


QueueCounters::QueueCounters(Database& database):
	_database(database)
{
}


void QueueCounters::adjust(Poco::Data::Session& s, const std::string& queueName, Poco::Int64 delta)
{
	// MySQL: a random shard of the queue's count, so that concurrent transactions (of
	// several hosts) rarely wait for the same row; SQLite's writers are serialized anyway.
	const SqlDialect& sql = _database.sql();
	int shard = sql.writersRunConcurrently()
		? std::min(COUNTER_SHARDS - 1, static_cast<int>(SecureRandom::uniform() * COUNTER_SHARDS)) : 0;
	s << "INSERT INTO queue_counters (queue_name, shard, queued) VALUES (?, ?, ?)" + sql.onConflict("queue_name, shard") +
			"queued = queued + " + sql.newValue("queued"),
		useRef(queueName), use(shard), use(delta), Poco::Data::Keywords::now;
}


} // namespace XQueue
