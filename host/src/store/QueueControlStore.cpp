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
		s << (_database.dialect() == Dialect::MYSQL
				? "INSERT INTO queue_controls (queue_name, paused, updated_at) VALUES (?, ?, ?)"
				  " ON DUPLICATE KEY UPDATE paused = VALUES(paused), updated_at = VALUES(updated_at)"
				: "INSERT INTO queue_controls (queue_name, paused, updated_at) VALUES (?, ?, ?)"
				  " ON CONFLICT(queue_name) DO UPDATE SET paused = excluded.paused, updated_at = excluded.updated_at"),
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
