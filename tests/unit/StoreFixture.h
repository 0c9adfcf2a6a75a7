//
// StoreFixture.h
//
// A fresh SQLite database in a scratch directory for store tests.
//


#ifndef XQueueTest_StoreFixture_INCLUDED
#define XQueueTest_StoreFixture_INCLUDED


#include "store/Database.h"
#include "TempDir.h"
#include <gtest/gtest.h>
#include <memory>


namespace XQueueTest {


class StoreFixture: public ::testing::Test
{
protected:
	void SetUp() override
	{
		XQueue::DatabaseOptions options;
		options.path = _dir.file("test.sqlite");
		options.poolSize = 8;
		options.synchronous = "NORMAL";
		_pDatabase = std::make_unique<XQueue::Database>(options);
	}

	XQueue::Database& database() { return *_pDatabase; }
	const TempDir& dir() const { return _dir; }

private:
	TempDir _dir;
	std::unique_ptr<XQueue::Database> _pDatabase;
};


} // namespace XQueueTest


#endif // XQueueTest_StoreFixture_INCLUDED
