// SPDX-License-Identifier: Apache-2.0
//
// SqliteStatementCacheTest.cpp
//
// Statements kept under Poco's SQLite connector behave exactly as new ones: the right
// results, no read snapshot held between uses, a schema change seen, the same SQL twice at
// once on one connection, SQLite's own statements left alone, connections closed cleanly.
//


#include "TempDir.h"
#include "store/SqliteStatementCache.h"
#include "Poco/Data/SQLite/Connector.h"
#include "Poco/Data/Session.h"
#include "Poco/Data/Statement.h"
#include <gtest/gtest.h>
#include <string>
#include <vector>


using namespace Poco::Data::Keywords;
using XQueue::SqliteStatementCache;


namespace {


class SqliteStatementCacheTest: public ::testing::Test
{
protected:
	SqliteStatementCacheTest()
	{
		Poco::Data::SQLite::Connector::registerConnector();
		Poco::Data::Session s = open();
		s << "PRAGMA journal_mode = WAL", now;
		s << "CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER NOT NULL)", now;
		s << "INSERT INTO t (v) VALUES (1), (2), (3)", now;
	}

	Poco::Data::Session open()
	{
		return Poco::Data::Session("SQLite", _dir.file("db.sqlite"));
	}

	static int sum(Poco::Data::Session& s)
	{
		int total = 0;
		s << "SELECT SUM(v) FROM t", into(total), now;
		return total;
	}

	XQueueTest::TempDir _dir;
};


TEST_F(SqliteStatementCacheTest, IsActiveInEveryProgramLinkedWithTheStore)
{
	EXPECT_TRUE(SqliteStatementCache::active());
}


TEST_F(SqliteStatementCacheTest, TheSameSqlAgainOnAConnectionIsNotParsedAgainAndBindsItsNewValues)
{
	Poco::Data::Session s = open();
	auto before = SqliteStatementCache::counters();
	std::vector<int> found;
	for (int v = 1; v <= 3; ++v)
	{
		int got = 0;
		s << "SELECT v FROM t WHERE v = ?", use(v), into(got), now;
		found.push_back(got);
	}
	auto after = SqliteStatementCache::counters();
	EXPECT_EQ(found, (std::vector<int>{1, 2, 3}));
	EXPECT_EQ(after.prepared - before.prepared, 1u);
	EXPECT_EQ(after.reused - before.reused, 2u);
}


TEST_F(SqliteStatementCacheTest, AStatementLeftHalfReadHoldsNoSnapshotOnceItsPocoStatementIsGone)
{
	Poco::Data::Session reader = open();
	Poco::Data::Session writer = open();
	{
		int first = 0;
		Poco::Data::Statement half = (reader << "SELECT v FROM t ORDER BY id", into(first), limit(1));
		half.execute();
		EXPECT_EQ(first, 1);
	}
	writer << "UPDATE t SET v = v * 10", now;
	EXPECT_EQ(sum(reader), 60); // a read transaction kept open would still see 6
	std::string mode;
	int busy = -1;
	writer << "PRAGMA wal_checkpoint(TRUNCATE)", into(busy), into(mode), into(mode), now;
	EXPECT_EQ(busy, 0) << "a kept statement holds a read lock: the checkpoint could not finish";
}


TEST_F(SqliteStatementCacheTest, TwoLiveStatementsWithTheSameSqlOnOneConnectionAreDistinct)
{
	Poco::Data::Session s = open();
	int a = 0;
	int b = 0;
	int one = 1;
	int three = 3;
	Poco::Data::Statement first = (s << "SELECT v FROM t WHERE v = ?", use(one), into(a));
	Poco::Data::Statement second = (s << "SELECT v FROM t WHERE v = ?", use(three), into(b));
	first.execute();
	second.execute();
	EXPECT_EQ(a, 1);
	EXPECT_EQ(b, 3);
	// Both given back: the next one runs whichever is kept, with its own value.
	int two = 2;
	int c = 0;
	s << "SELECT v FROM t WHERE v = ?", use(two), into(c), now;
	EXPECT_EQ(c, 2);
}


TEST_F(SqliteStatementCacheTest, AKeptStatementSeesASchemaChangeMadeInTheSameTransaction)
{
	// The migrations' shape: kept statements, then DDL (which makes SQLite prepare and free
	// statements of its own to re-read the schema), then the kept statements again.
	Poco::Data::Session s = open();
	EXPECT_EQ(sum(s), 6);
	s << "BEGIN IMMEDIATE", now;
	EXPECT_EQ(sum(s), 6);
	s << "ALTER TABLE t ADD COLUMN w INTEGER NOT NULL DEFAULT 5", now;
	s << "CREATE INDEX t_w ON t(w)", now;
	EXPECT_EQ(sum(s), 6);
	std::vector<std::string> columns;
	s << "SELECT name FROM pragma_table_info('t') ORDER BY cid", into(columns), now;
	s << "COMMIT", now;
	EXPECT_EQ(columns, (std::vector<std::string>{"id", "v", "w"}));
	s << "DROP TABLE t", now;
	s << "CREATE TABLE t (v INTEGER NOT NULL)", now;
	s << "INSERT INTO t (v) VALUES (40)", now;
	EXPECT_EQ(sum(s), 40);
}


TEST_F(SqliteStatementCacheTest, APragmaTakesEffectEveryTimeItRuns)
{
	// The group-commit writer switches synchronous per batch: a kept statement that did
	// nothing when run again would leave durable commits without their fsync.
	Poco::Data::Session s = open();
	auto level = [&s]() {
		int synchronous = -1;
		s << "PRAGMA synchronous", into(synchronous), now;
		return synchronous;
	};
	for (int round = 0; round < 3; ++round)
	{
		s << "PRAGMA synchronous = NORMAL", now;
		EXPECT_EQ(level(), 1) << round;
		s << "PRAGMA synchronous = FULL", now;
		EXPECT_EQ(level(), 2) << round;
	}
}


TEST_F(SqliteStatementCacheTest, AConnectionKeepsABoundedNumberAndClosingItFinalizesThem)
{
	auto before = SqliteStatementCache::counters();
	{
		Poco::Data::Session s = open();
		for (std::size_t n = 0; n < 3 * SqliteStatementCache::STATEMENTS_PER_CONNECTION; ++n)
		{
			int got = 0;
			s << "SELECT " + std::to_string(n), into(got), now;
			ASSERT_EQ(got, static_cast<int>(n));
		}
		EXPECT_LE(SqliteStatementCache::counters().kept, before.kept + SqliteStatementCache::STATEMENTS_PER_CONNECTION);
		EXPECT_EQ(sum(s), 6);
	}
	EXPECT_EQ(SqliteStatementCache::counters().kept, before.kept);
}


} // namespace
