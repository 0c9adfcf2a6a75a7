// SPDX-License-Identifier: Apache-2.0
//
// HostGroup.h
//
// Several xqueue-server processes sharing one scratch MariaDB database, as a scaled-out
// deployment runs: the first host added creates the users "lms" and "grader"; a test
// that fails gets every host's log.
//


#ifndef XQueueTest_HostGroup_INCLUDED
#define XQueueTest_HostGroup_INCLUDED


#include "MySqlTestDatabase.h"
#include "TestServer.h"
#include <memory>
#include <ostream>
#include <string>
#include <vector>


namespace XQueueTest {


class HostGroup
{
public:
	HostGroup():
		_pDatabase(std::make_unique<MySqlTestDatabase>())
	{
	}

	TestServer& start(const TestServer::Properties& properties, const std::string& launcher = "")
		/// Starts one more host on the shared database with these extra properties,
		/// under launcher if given (see TestServer::runUnder).
	{
		TestServer::Properties all = properties;
		all["xqueue.store.connector"] = "mysql";
		all["xqueue.store.connection"] = _pDatabase->connection();
		all["xqueue.store.sqlite.synchronous"] = "";
		auto pServer = std::make_unique<TestServer>(all);
		if (!launcher.empty()) pServer->runUnder(launcher);
		if (_hosts.empty())
		{
			pServer->createUser("lms", "lmspass");
			pServer->createUser("grader", "graderpass");
		}
		pServer->start();
		_hosts.push_back(std::move(pServer));
		return *_hosts.back();
	}

	TestServer& operator[](std::size_t i) { return *_hosts.at(i); }
	std::size_t size() const { return _hosts.size(); }

	void printLogs(std::ostream& out) const
	{
		for (const auto& host: _hosts) out << "---- host log ----\n" << host->log();
	}

private:
	std::unique_ptr<MySqlTestDatabase> _pDatabase;
	std::vector<std::unique_ptr<TestServer>> _hosts; // destroyed before the database
};


} // namespace XQueueTest


#endif // XQueueTest_HostGroup_INCLUDED
