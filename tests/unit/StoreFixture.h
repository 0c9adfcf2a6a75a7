// SPDX-License-Identifier: Apache-2.0
//
// StoreFixture.h
//
// A fresh, empty store for store tests: a SQLite file in a scratch directory, or, when
// XQUEUE_TEST_STORE=mysql, a new database on the MariaDB/MySQL server named by
// XQUEUE_TEST_MYSQL (host=...;port=...;user=...;password=...), dropped afterwards.
// CTest runs the store suites once per backend.
//


#ifndef XQueueTest_StoreFixture_INCLUDED
#define XQueueTest_StoreFixture_INCLUDED


#include "store/Database.h"
#include "util/SecureRandom.h"
#include "MySqlTestDatabase.h"
#include "TempDir.h"
#include <gtest/gtest.h>
#include <memory>


namespace XQueueTest {


class StoreFixture: public ::testing::Test
{
protected:
	void SetUp() override
	{
		if (mysql())
		{
			_pMySql = std::make_unique<MySqlTestDatabase>();
			if (!_pMySql->available()) GTEST_SKIP() << NO_MYSQL;
			_options.connector = "mysql";
			_options.connection = _pMySql->connection();
		}
		else
		{
			_options.connection = _dir.file("test.sqlite");
			_options.synchronous = "NORMAL";
		}
		_options.poolSize = 16;
		_pDatabase = XQueue::Database::open(_options);
	}

	void TearDown() override
	{
		_pDatabase.reset();
		_pMySql.reset();
	}

	static bool mysql() { return testingMySql(); }
	XQueue::Database& database() { return *_pDatabase; }
	const XQueue::DatabaseOptions& options() const { return _options; }
	const TempDir& dir() const { return _dir; }

private:
	TempDir _dir;
	std::unique_ptr<MySqlTestDatabase> _pMySql;
	XQueue::DatabaseOptions _options;
	std::unique_ptr<XQueue::Database> _pDatabase;
};


} // namespace XQueueTest


#endif // XQueueTest_StoreFixture_INCLUDED
