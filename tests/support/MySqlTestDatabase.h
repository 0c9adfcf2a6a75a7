// SPDX-License-Identifier: Apache-2.0
//
// MySqlTestDatabase.h
//
// A scratch database on the MariaDB/MySQL server named by XQUEUE_TEST_MYSQL
// (host=...;port=...;user=...;password=...), dropped on destruction. Tests run against
// MariaDB when XQUEUE_TEST_STORE=mysql; without XQUEUE_TEST_MYSQL they skip, saying so.
//


#ifndef XQueueTest_MySqlTestDatabase_INCLUDED
#define XQueueTest_MySqlTestDatabase_INCLUDED


#include "util/SecureRandom.h"
#include "Poco/Data/MySQL/Connector.h"
#include "Poco/Data/Session.h"
#include <cstdlib>
#include <string>


namespace XQueueTest {


inline bool testingMySql()
{
	const char* store = std::getenv("XQUEUE_TEST_STORE");
	return store && std::string(store) == "mysql";
}


class MySqlTestDatabase
	/// A database of its own on the test server, so that tests can run in parallel.
{
public:
	MySqlTestDatabase()
	{
		const char* server = std::getenv("XQUEUE_TEST_MYSQL");
		if (!server || !*server) return;
		_server = server;
		_name = "xqt_" + XQueue::SecureRandom::hexToken(8);
		Poco::Data::MySQL::Connector::registerConnector();
		Poco::Data::Session s("MySQL", _server, 10);
		s << "CREATE DATABASE " + _name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin", Poco::Data::Keywords::now;
	}

	~MySqlTestDatabase()
	{
		if (_name.empty()) return;
		try
		{
			Poco::Data::Session s("MySQL", _server, 10);
			s << "DROP DATABASE " + _name, Poco::Data::Keywords::now;
		}
		catch (...)
		{
		}
	}

	bool available() const { return !_name.empty(); }
	std::string connection() const { return _server + ";db=" + _name; }

private:
	std::string _server;
	std::string _name;
};



inline const char* NO_MYSQL = "skipped: no MySQL (set XQUEUE_TEST_MYSQL=host=...;port=...;user=...;password=...)";


} // namespace XQueueTest


#endif // XQueueTest_MySqlTestDatabase_INCLUDED
