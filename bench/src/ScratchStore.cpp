// SPDX-License-Identifier: Apache-2.0
//
// ScratchStore.cpp
//


#include "ScratchStore.h"
#include "auth/PasswordHasher.h"
#include "store/Database.h"
#include "store/UserStore.h"
#include "util/Clock.h"
#include "Poco/Data/MySQL/Connector.h"
#include "Poco/Data/Session.h"
#include <algorithm>
#include <unistd.h>
#include <vector>


using Poco::Data::Keywords::now;
using Poco::Data::Keywords::use;


namespace XQueueBench {


namespace
{
	const std::string HISTORY_QUEUE = "bench-pull";
}


ScratchStore::ScratchStore(const std::string& kind, const std::string& directory, const std::string& mysqlServer, const std::string& synchronous):
	_kind(kind),
	_path(directory + "/bench.sqlite"),
	_mysqlServer(mysqlServer),
	_databaseName("xqueue_bench_" + std::to_string(::getpid())),
	_synchronous(synchronous)
{
	if (_kind == "mysql")
	{
		Poco::Data::MySQL::Connector::registerConnector();
		Poco::Data::Session admin("MySQL", _mysqlServer);
		admin << "DROP DATABASE IF EXISTS " + _databaseName, now;
		admin << "CREATE DATABASE " + _databaseName + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin", now;
	}
}


ScratchStore::~ScratchStore()
{
	if (_kind != "mysql") return;
	try
	{
		Poco::Data::Session admin("MySQL", _mysqlServer);
		admin << "DROP DATABASE IF EXISTS " + _databaseName, now;
	}
	catch (...)
	{
	}
}


std::string ScratchStore::connection() const
{
	return _kind == "mysql" ? _mysqlServer + ";db=" + _databaseName : _path;
}


void ScratchStore::preload(long rows)
{
	XQueue::DatabaseOptions options;
	options.connector = _kind;
	options.connection = connection();
	options.synchronous = "OFF";
	std::unique_ptr<XQueue::Database> pDatabase = XQueue::Database::open(options);
	XQueue::Database& database = *pDatabase;
	XQueue::UserStore(database).setPassword("bench", XQueue::PasswordHasher(1000).hash("bench"));
	// The LMS's account as deployed: the default 600,000-iteration hash, which the LMS
	// pattern (a login per submission) would pay each time without the verified cache.
	XQueue::UserStore(database).setPassword("lms", XQueue::PasswordHasher(600000).hash("lms-pass"));
	constexpr long CHUNK = 20000;
	Poco::Int64 arrival = XQueue::Clock::now();
	for (long done = 0; done < rows; done += CHUNK)
	{
		long n = std::min(CHUNK, rows - done);
		database.transaction([&](Poco::Data::Session& s) {
			if (_kind == "mysql")
			{
				// One statement per chunk (Poco would send a bound vector row by row); the
				// rows come from MariaDB's sequence engine.
				s << "INSERT INTO submissions (queue_name, state, requester_id, lms_callback_url, callback_key, xqueue_header,"
					" xqueue_body, xqueue_files, arrival_time, lms_ack)"
					" SELECT '" + HISTORY_QUEUE + "', 3, '127.0.0.1', X'68', CONCAT('history', seq), X'7b7d', X'7b7d', X'7b7d', " +
					std::to_string(arrival) + ", 1 FROM seq_" + std::to_string(done + 1) + "_to_" + std::to_string(done + n), now;
				return;
			}
			std::vector<std::string> queues(static_cast<std::size_t>(n), HISTORY_QUEUE);
			std::vector<std::string> keys(static_cast<std::size_t>(n));
			std::vector<Poco::Int64> times(static_cast<std::size_t>(n), arrival);
			for (long i = 0; i < n; ++i) keys[static_cast<std::size_t>(i)] = "history" + std::to_string(done + i);
			s << "INSERT INTO submissions (queue_name, state, requester_id, lms_callback_url, callback_key, xqueue_header,"
				" xqueue_body, xqueue_files, arrival_time, lms_ack) VALUES (?, 3, '127.0.0.1', X'68', ?, X'7b7d', X'7b7d', X'7b7d', ?, 1)",
				use(queues), use(keys), use(times), now;
		});
	}
	if (_kind == "mysql")
	{
		Poco::Data::Session s = database.session();
		s << "ANALYZE TABLE submissions", now;
	}
}


std::string ScratchStore::serverProperties() const
{
	if (_kind == "mysql")
	{
		return "xqueue.store.connector = mysql\n"
			"xqueue.store.connection = " + connection() + "\n";
	}
	return "xqueue.store.connection = " + _path + "\n"
		"xqueue.store.sqlite.synchronous = " + _synchronous + "\n";
}


std::string ScratchStore::description() const
{
	if (_kind == "mysql") return "MariaDB/MySQL (InnoDB, flush at every commit)";
	return "SQLite synchronous=" + _synchronous;
}


} // namespace XQueueBench
