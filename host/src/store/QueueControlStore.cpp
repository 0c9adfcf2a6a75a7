// SPDX-License-Identifier: Apache-2.0
//
// QueueControlStore.cpp
//


#include "store/QueueControlStore.h"
#include <vector>


using namespace Poco::Data::Keywords;


namespace XQueue {


QueueControlStore::QueueControlStore(Database& database):
	_database(database)
{
}


void QueueControlStore::setPaused(const std::string& queueName, bool paused, Micros at)
{
	int flag = paused ? 1 : 0;
	_database.transaction([&](Poco::Data::Session& s) {
		const SqlDialect& sql = _database.sql();
		s << "INSERT INTO queue_controls (queue_name, paused, updated_at) VALUES (?, ?, ?)" + sql.onConflict("queue_name") +
				"paused = " + sql.newValue("paused") + ", updated_at = " + sql.newValue("updated_at"),
			useRef(queueName), use(flag), use(at), now;
	});
}


std::set<std::string> QueueControlStore::pausedQueues()
{
	std::vector<std::string> names;
	_database.read([&](Poco::Data::Session& s) {
		names.clear();
		s << "SELECT queue_name FROM queue_controls WHERE paused = 1", into(names), now;
	});
	return std::set<std::string>(names.begin(), names.end());
}


} // namespace XQueue
