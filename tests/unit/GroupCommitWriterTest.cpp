// SPDX-License-Identifier: Apache-2.0
//
// GroupCommitWriterTest.cpp
//
// Concurrent SQLite write transactions share one COMMIT, yet each caller keeps the
// semantics of its own transaction: serial execution, its own rollback, its own error.
//


#include "TempDir.h"
#include "store/GroupCommitWriter.h"
#include "store/StoreUnavailableException.h"
#include "Poco/Data/SQLite/Connector.h"
#include "Poco/Data/SessionPool.h"
#include <gtest/gtest.h>
#include <atomic>
#include <chrono>
#include <set>
#include <thread>
#include <vector>


using namespace Poco::Data::Keywords;
using namespace std::chrono_literals;
using XQueue::GroupCommitWriter;


namespace {


class GroupCommitWriterTest: public ::testing::Test
{
protected:
	GroupCommitWriterTest():
		_pool((Poco::Data::SQLite::Connector::registerConnector(), "SQLite"), _dir.file("db.sqlite"), 1, 16, 60),
		_writer([this]() { return _pool.get(); }, 64)
	{
		Poco::Data::Session s = _pool.get();
		s << "PRAGMA journal_mode = WAL", now;
		s << "CREATE TABLE t (v INTEGER NOT NULL)", now;
	}

	std::vector<int> values()
	{
		Poco::Data::Session s = _pool.get();
		std::vector<int> v;
		s << "SELECT v FROM t ORDER BY v", into(v), now;
		return v;
	}

	// Holds the writer with one long work so that the calls started meanwhile queue up
	// and then run as one batch.
	void whileTheWriterIsBusy(const std::vector<std::function<void()>>& calls)
	{
		std::atomic<bool> started{false};
		std::thread holder([&]() {
			_writer.run([&](Poco::Data::Session& s) {
				s << "INSERT INTO t VALUES (0)", now;
				started = true;
				std::this_thread::sleep_for(300ms);
			});
		});
		while (!started) std::this_thread::sleep_for(1ms);
		std::vector<std::thread> threads;
		for (const auto& call: calls) threads.emplace_back(call);
		holder.join();
		for (auto& t: threads) t.join();
	}

	XQueueTest::TempDir _dir;
	Poco::Data::SessionPool _pool;
	GroupCommitWriter _writer;
};


TEST_F(GroupCommitWriterTest, ConcurrentWorksRunSeriallyAndShareCommits)
{
	constexpr int THREADS = 8;
	constexpr int EACH = 100;
	std::vector<std::thread> threads;
	for (int t = 0; t < THREADS; ++t)
	{
		threads.emplace_back([&]() {
			for (int i = 0; i < EACH; ++i)
			{
				// Read-then-write: only serial execution yields distinct values.
				_writer.run([](Poco::Data::Session& s) {
					int count = 0;
					s << "SELECT COUNT(*) FROM t", into(count), now;
					s << "INSERT INTO t VALUES (?)", use(count), now;
				});
			}
		});
	}
	for (auto& t: threads) t.join();
	std::vector<int> v = values();
	ASSERT_EQ(v.size(), static_cast<std::size_t>(THREADS * EACH));
	for (int i = 0; i < THREADS * EACH; ++i) EXPECT_EQ(v[static_cast<std::size_t>(i)], i);
	EXPECT_EQ(_writer.works(), static_cast<std::size_t>(THREADS * EACH));
	EXPECT_LE(_writer.batches(), _writer.works());
	std::cout << "[ figures  ] " << _writer.works() << " transactions in " << _writer.batches() << " commits\n";
}


TEST_F(GroupCommitWriterTest, OnlyABatchOfRelaxedWorksCommitsWithoutWaitingForTheDisk)
{
	auto level = [](Poco::Data::Session& s) {
		int synchronous = -1;
		s << "PRAGMA synchronous", into(synchronous), now;
		return synchronous;
	};
	int relaxed = -1, durable = -1, afterFailure = -1;
	_writer.run([&](Poco::Data::Session& s) { relaxed = level(s); }, false);
	_writer.run([&](Poco::Data::Session& s) { durable = level(s); });
	EXPECT_EQ(relaxed, 1) << "NORMAL: in WAL mode its commit does not fsync";
	EXPECT_EQ(durable, 2) << "FULL again for the next batch";
	EXPECT_THROW(_writer.run([](Poco::Data::Session& s) { s << "INSERT INTO nowhere VALUES (1)", now; }, false), Poco::Exception);
	_writer.run([&](Poco::Data::Session& s) { afterFailure = level(s); });
	EXPECT_EQ(afterFailure, 2) << "a relaxed batch that failed leaves the level as configured";
	// Queued together: one durable work makes its whole batch durable.
	std::atomic<int> seenByRelaxed{-1};
	whileTheWriterIsBusy({
		[&]() { _writer.run([&](Poco::Data::Session& s) { seenByRelaxed = level(s); }, false); },
		[&]() { _writer.run([&](Poco::Data::Session& s) { s << "INSERT INTO t VALUES (1)", now; }); },
	});
	EXPECT_EQ(seenByRelaxed, 2);
}


TEST_F(GroupCommitWriterTest, AWorkThatThrowsIsUndoneAloneInItsBatch)
{
	std::atomic<int> failures{0};
	auto insert = [&](int value, bool fail) {
		return [&, value, fail]() {
			try
			{
				_writer.run([&](Poco::Data::Session& s) {
					int v = value;
					s << "INSERT INTO t VALUES (?)", use(v), now;
					if (fail) throw Poco::RuntimeException("grading rule says no");
				});
			}
			catch (Poco::RuntimeException& exc)
			{
				EXPECT_EQ(exc.message(), "grading rule says no");
				++failures;
			}
		};
	};
	whileTheWriterIsBusy({insert(1, false), insert(2, true), insert(3, false), insert(4, true), insert(5, false)});
	EXPECT_EQ(values(), (std::vector<int>{0, 1, 3, 5}));
	EXPECT_EQ(failures.load(), 2);
	EXPECT_EQ(_writer.batches(), 2u) << "the five calls made while the writer was busy share one commit";
}


TEST_F(GroupCommitWriterTest, ABatchWhoseTransactionIsLostFailsEveryCallerAndCommitsNothing)
{
	std::atomic<int> unavailable{0};
	std::atomic<int> others{0};
	auto call = [&](int value, bool endTransaction) {
		return [&, value, endTransaction]() {
			try
			{
				_writer.run([&](Poco::Data::Session& s) {
					int v = value;
					s << "INSERT INTO t VALUES (?)", use(v), now;
					// What SQLite does on an I/O error or a full disk: the whole
					// transaction is rolled back under the batch's feet.
					if (endTransaction) s << "ROLLBACK", now;
				});
			}
			catch (XQueue::StoreUnavailableException&)
			{
				++unavailable;
			}
			catch (...)
			{
				++others;
			}
		};
	};
	whileTheWriterIsBusy({call(1, false), call(2, true), call(3, false)});
	EXPECT_EQ(values(), (std::vector<int>{0}));
	EXPECT_EQ(unavailable.load() + others.load(), 3) << "no caller may believe its write was committed";
	EXPECT_GE(unavailable.load(), 2);

	_writer.run([](Poco::Data::Session& s) { s << "INSERT INTO t VALUES (9)", now; });
	EXPECT_EQ(values(), (std::vector<int>{0, 9})) << "the writer is usable again";
}


} // namespace
