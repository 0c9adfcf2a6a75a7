// SPDX-License-Identifier: Apache-2.0
//
// DatabaseTest.cpp
//


#include "SchemaRewind.h"
#include "StoreFixture.h"
#include "store/BlobText.h"
#include "store/SchemaMigrations.h"
#include "store/SubmissionStore.h"
#include "Poco/Data/Session.h"
#include <thread>
#include <vector>


using namespace Poco::Data::Keywords;
using XQueue::Database;


namespace {


using DatabaseTest = XQueueTest::StoreFixture;


TEST_F(DatabaseTest, MigrationsAreAppliedOnceAndReopenIsIdempotent)
{
	EXPECT_EQ(database().schemaVersion(), Database::latestSchemaVersion());
	std::unique_ptr<Database> pAgain = Database::open(options());
	Database& again = *pAgain;
	EXPECT_EQ(again.schemaVersion(), Database::latestSchemaVersion());
}


TEST_F(DatabaseTest, UpgradeFromSchemaVersion2KeepsTheQueueCounts)
{
	// Rebuild the database as the previous release left it (schema version 2, one
	// counter row per queue), then open it with this one.
	XQueueTest::rewindSchemaTo(database(), 2);
	{
		Poco::Data::Session s = database().session();
		s << "INSERT INTO queue_counters (queue_name, queued) VALUES ('q', 7), ('r', 2)", now;
	}
	std::unique_ptr<Database> pUpgraded = Database::open(options());
	Database& upgraded = *pUpgraded;
	EXPECT_EQ(upgraded.schemaVersion(), 2) << "opening never upgrades: migrating is a step of its own";
	EXPECT_FALSE(upgraded.schemaIsCurrent());
	upgraded.migrate();
	EXPECT_EQ(upgraded.schemaVersion(), Database::latestSchemaVersion());
	EXPECT_TRUE(upgraded.schemaIsCurrent());
	XQueue::SubmissionStore store(upgraded, XQueue::LeasePolicy{60, 4, 0});
	EXPECT_EQ(store.queueLength("q", XQueue::Clock::now()), 7);
	EXPECT_EQ(store.queueLength("r", XQueue::Clock::now()), 2);
	XQueue::NewSubmission submission;
	submission.queueName = "q";
	submission.callbackUrl = "http://lms/1";
	EXPECT_EQ(store.submit(submission, XQueue::Clock::now()).queueLength, 8);
	EXPECT_TRUE(store.claim("q", "g", XQueue::Clock::now()).submission);
	EXPECT_EQ(store.queueLength("q", XQueue::Clock::now()), 7);
}


TEST_F(DatabaseTest, UsesWriteAheadLogging)
{
	if (mysql()) GTEST_SKIP() << "SQLite only";
	Poco::Data::Session s = database().session();
	std::string mode;
	s << "PRAGMA journal_mode", into(mode), now;
	EXPECT_EQ(mode, "wal");
}


TEST_F(DatabaseTest, ClobsKeepEveryByteIncludingNul)
{
	std::string payload("a\0b\xff\xc3\xa9", 6);
	database().transaction([&](Poco::Data::Session& s) {
		auto clob = XQueue::toClob(payload);
		s << std::string("CREATE TABLE t (v ") + (mysql() ? "MEDIUMBLOB" : "BLOB") + " NOT NULL)", now;
		s << "INSERT INTO t VALUES (?)", use(clob), now;
	});
	Poco::Data::Session s = database().session();
	Poco::Data::CLOB out;
	s << "SELECT v FROM t", into(out), now;
	EXPECT_EQ(XQueue::fromClob(out), payload);
}


TEST_F(DatabaseTest, ExecuteCountsAffectedRowsAndInsertIdsAreReported)
{
	// The stores rely on both (fenced updates, new submission ids) in either dialect.
	database().transaction([&](Poco::Data::Session& s) {
		s << (mysql() ? "CREATE TABLE t (id BIGINT AUTO_INCREMENT PRIMARY KEY, v INTEGER)"
			: "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, v INTEGER)"), now;
		auto affected = [&](const std::string& sql) {
			Poco::Data::Statement statement(s);
			statement << sql;
			return statement.execute();
		};
		EXPECT_EQ(affected("INSERT INTO t (v) VALUES (1), (2), (3)"), 3u);
		EXPECT_EQ(affected("UPDATE t SET v = 0 WHERE v > 1"), 2u);
		EXPECT_EQ(affected("UPDATE t SET v = 0 WHERE v > 100"), 0u);
		s << "INSERT INTO t (v) VALUES (4)", now;
		EXPECT_EQ(database().lastInsertId(s), 4);
		s << "INSERT INTO t (v) VALUES (5)", now;
		EXPECT_EQ(database().lastInsertId(s), 5);
	});
}


TEST_F(DatabaseTest, FailedTransactionsRollBack)
{
	database().transaction([](Poco::Data::Session& s) { s << "CREATE TABLE t (v INTEGER)", now; });
	EXPECT_THROW(database().transaction([](Poco::Data::Session& s) {
		s << "INSERT INTO t VALUES (1)", now;
		throw Poco::RuntimeException("boom");
	}), Poco::RuntimeException);
	Poco::Data::Session s = database().session();
	int count = -1;
	s << "SELECT COUNT(*) FROM t", into(count), now;
	EXPECT_EQ(count, 0);
}


TEST_F(DatabaseTest, ConcurrentWritersNeverSeeLockErrors)
{
	database().transaction([](Poco::Data::Session& s) { s << "CREATE TABLE t (v INTEGER)", now; });
	std::vector<std::thread> threads;
	std::atomic<int> failures{0};
	for (int t = 0; t < 8; ++t)
	{
		threads.emplace_back([&]() {
			for (int i = 0; i < 50; ++i)
			{
				try
				{
					database().transaction([](Poco::Data::Session& s) {
						int total = 0;
						s << "SELECT COUNT(*) FROM t", into(total), now;
						s << "INSERT INTO t VALUES (?)", use(total), now;
					});
				}
				catch (...)
				{
					++failures;
				}
			}
		});
	}
	for (auto& thread: threads) thread.join();
	EXPECT_EQ(failures.load(), 0);
	Poco::Data::Session s = database().session();
	int count = 0;
	s << "SELECT COUNT(*) FROM t", into(count), now;
	EXPECT_EQ(count, 400);
}


TEST(DatabaseOpenTest, MissingDirectoryFailsFastWithThePath)
{
	if (XQueueTest::testingMySql()) GTEST_SKIP() << "SQLite only";
	XQueue::DatabaseOptions options;
	options.connection = "/nonexistent-xqueue-dir/db.sqlite";
	try
	{
		Database::open(options);
		FAIL() << "opened a database in a missing directory";
	}
	catch (Poco::FileNotFoundException& exc)
	{
		EXPECT_NE(exc.message().find("/nonexistent-xqueue-dir"), std::string::npos);
	}
}


} // namespace
