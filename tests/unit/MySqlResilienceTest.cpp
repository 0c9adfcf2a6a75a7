// SPDX-License-Identifier: Apache-2.0
//
// MySqlResilienceTest.cpp
//
// The MariaDB/MySQL store under the faults a shared database produces: connections killed
// by the server (restart, wait_timeout, a DBA), deadlocks between hosts. A transaction is
// run again on a fresh session when it failed before COMMIT; a dead pooled session is never
// handed out; reads do not fail because an idle connection died.
//


#include "StoreFixture.h"
#include "Poco/Data/MySQL/Connector.h"
#include "Poco/Data/Session.h"
#include <atomic>
#include <thread>


using namespace Poco::Data::Keywords;
using namespace std::chrono_literals;


namespace {


class MySqlResilienceTest: public XQueueTest::StoreFixture
{
protected:
	void SetUp() override
	{
		if (!mysql()) GTEST_SKIP() << "MySQL only (runs in the mysql. pass)";
		StoreFixture::SetUp();
		if (IsSkipped()) return;
		database().transaction([](Poco::Data::Session& s) {
			s << "CREATE TABLE t (id INT PRIMARY KEY, v INT NOT NULL) ENGINE=InnoDB", now;
			s << "INSERT INTO t VALUES (1, 0), (2, 0)", now;
		});
	}

	// A separate connection, as a DBA or the server itself would act.
	void kill(Poco::Int64 connectionId)
	{
		Poco::Data::Session admin("MySQL", options().connection);
		admin << "KILL CONNECTION " + std::to_string(connectionId), now;
	}

	void killAllOtherConnectionsOfThisDatabase()
	{
		Poco::Data::Session admin("MySQL", options().connection);
		std::vector<Poco::Int64> ids;
		Poco::Int64 self = 0;
		admin << "SELECT CONNECTION_ID()", into(self), now;
		admin << "SELECT id FROM information_schema.PROCESSLIST WHERE db = DATABASE() AND id <> CONNECTION_ID()", into(ids), now;
		for (auto id: ids) admin << "KILL CONNECTION " + std::to_string(id), now;
	}

	int value(int id)
	{
		Poco::Data::Session s = database().session();
		int v = -1;
		s << "SELECT v FROM t WHERE id = ?", use(id), into(v), now;
		return v;
	}
};


TEST_F(MySqlResilienceTest, AConnectionLostBeforeCommitIsRetriedOnAFreshSession)
{
	int attempts = 0;
	database().transaction([&](Poco::Data::Session& s) {
		++attempts;
		s << "UPDATE t SET v = v + 1 WHERE id = 1", now;
		if (attempts == 1)
		{
			Poco::Int64 mine = 0;
			s << "SELECT CONNECTION_ID()", into(mine), now;
			kill(mine);
			s << "UPDATE t SET v = v + 1 WHERE id = 2", now; // fails: the connection is gone
		}
	});
	EXPECT_EQ(attempts, 2);
	EXPECT_EQ(value(1), 1) << "the first attempt's change was rolled back with its connection, the retry's committed once";
}


TEST_F(MySqlResilienceTest, DeadlockedTransactionsAreRetriedAndBothCommit)
{
	std::atomic<int> attempts{0};
	std::atomic<int> started{0};
	auto lockBoth = [&](int first, int second) {
		bool firstAttempt = true;
		database().transaction([&](Poco::Data::Session& s) {
			++attempts;
			s << "UPDATE t SET v = v + 1 WHERE id = ?", use(first), now;
			if (firstAttempt)
			{
				// Both hold their first row before either asks for its second.
				firstAttempt = false;
				++started;
				while (started < 2) std::this_thread::sleep_for(1ms);
			}
			s << "UPDATE t SET v = v + 10 WHERE id = ?", use(second), now;
		});
	};
	std::thread a([&]() { lockBoth(1, 2); });
	std::thread b([&]() { lockBoth(2, 1); });
	a.join();
	b.join();
	EXPECT_GE(attempts.load(), 3) << "one of the two was chosen as the deadlock victim and ran again";
	EXPECT_EQ(value(1), 11);
	EXPECT_EQ(value(2), 11);
}


TEST_F(MySqlResilienceTest, ReadsAndWritesSurviveTheServerKillingIdleConnections)
{
	// Fill the pool with idle sessions, then have the server drop them all (as a restart
	// or wait_timeout does).
	{
		std::vector<Poco::Data::Session> held;
		for (int i = 0; i < 4; ++i) held.push_back(database().session());
		for (auto& s: held)
		{
			int one = 0;
			s << "SELECT 1", into(one), now;
		}
	}
	killAllOtherConnectionsOfThisDatabase();
	std::this_thread::sleep_for(100ms);
	for (int i = 0; i < 6; ++i)
	{
		EXPECT_NO_THROW(database().transaction([](Poco::Data::Session& s) { s << "UPDATE t SET v = v + 1 WHERE id = 1", now; }));
		EXPECT_NO_THROW(value(1)) << "read " << i << " got a dead session";
	}
	EXPECT_EQ(value(1), 6);
}


} // namespace
