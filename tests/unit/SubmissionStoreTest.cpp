// SPDX-License-Identifier: Apache-2.0
//
// SubmissionStoreTest.cpp
//


#include "StoreFixture.h"
#include "protocol/FailureNotice.h"
#include "store/DeliveryStore.h"
#include "store/SubmissionStore.h"
#include "Poco/Data/RecordSet.h"
#include <set>
#include <thread>


using namespace XQueue;
using namespace Poco::Data::Keywords;


namespace {


class SubmissionStoreTest: public XQueueTest::StoreFixture
{
protected:
	NewSubmission make(const std::string& queue, const std::string& callback, const std::string& body = "body")
	{
		NewSubmission s;
		s.queueName = queue;
		s.requesterId = "127.0.0.1";
		s.callbackUrl = callback;
		s.header = "{\"lms_callback_url\": \"" + callback + "\", \"lms_key\": \"k\", \"queue_name\": \"" + queue + "\"}";
		s.body = body;
		return s;
	}

	long long actualQueued(const std::string& queue)
	{
		Poco::Data::Session s = database().session();
		int n = 0;
		std::string q = queue;
		s << "SELECT COUNT(*) FROM submissions WHERE queue_name = ? AND state = 0", use(q), into(n), now;
		return n;
	}

	long long counter(const std::string& queue)
	{
		Poco::Data::Session s = database().session();
		std::vector<Poco::Int64> n;
		std::string q = queue;
		s << "SELECT CAST(COALESCE(SUM(queued), 0) AS SIGNED) FROM queue_counters WHERE queue_name = ?", use(q), into(n), now;
		return n.empty() ? 0 : n[0];
	}
};


TEST_F(SubmissionStoreTest, SubmitCountsTheNewSubmission)
{
	SubmissionStore store(database(), LeasePolicy{60, 4, 0});
	EXPECT_EQ(store.submit(make("tmp", "http://lms/a"), Clock::now()).queueLength, 1);
	EXPECT_EQ(store.submit(make("tmp", "http://lms/b"), Clock::now()).queueLength, 2);
	EXPECT_EQ(store.submit(make("other", "http://lms/c"), Clock::now()).queueLength, 1);
	EXPECT_EQ(store.queueLength("tmp", Clock::now()), 2);
	EXPECT_EQ(store.queueLength("nothing", Clock::now()), 0);
}


TEST_F(SubmissionStoreTest, BodiesRoundTripByteForByte)
{
	SubmissionStore store(database(), LeasePolicy{60, 4, 0});
	using namespace std::string_literals;
	std::string body = "line1\nline2\0after-nul \xc3\xa9 \xf0\x9f\x98\x80"s;
	ASSERT_EQ(body.size(), 29u);
	auto result = store.submit(make("tmp", "http://lms/a", body), Clock::now());
	auto claimed = store.claim("tmp", "g", Clock::now());
	ASSERT_TRUE(claimed.submission);
	EXPECT_EQ(claimed.submission->body, body);
	EXPECT_EQ(claimed.submission->files, "{}");
	EXPECT_EQ(store.find(result.id)->body, body);
}


TEST_F(SubmissionStoreTest, LargeValuesRoundTripWhole)
{
	// Past the 64 KiB that MySQL reads with the row (the rest is fetched apart), with a
	// NUL and a multi-byte character straddling the boundary.
	SubmissionStore store(database(), LeasePolicy{60, 4, 0});
	DeliveryStore deliveries(database());
	std::string body(65530, 'b');
	body += std::string("\0\xc3\xa9\xf0\x9f\x98\x80", 7);
	body += std::string(200000, 'c');
	std::string callback = "http://lms/" + std::string(70000, 'u');
	NewSubmission big = make("tmp", callback, body);
	big.files = "{\"f\": \"" + std::string(100000, 'f') + "\"}";
	auto result = store.submit(big, Clock::now());
	auto claimed = store.claim("tmp", "g", Clock::now());
	ASSERT_TRUE(claimed.submission);
	EXPECT_EQ(claimed.submission->body, body);
	EXPECT_EQ(claimed.submission->files, big.files);
	std::string reply(90000, 'r');
	ASSERT_EQ(store.putResult(result.id, claimed.submission->key, reply, Clock::now()), PutResultOutcome::ACCEPTED);
	auto record = store.find(result.id);
	ASSERT_TRUE(record);
	EXPECT_EQ(record->body, body);
	EXPECT_EQ(record->callbackUrl, callback);
	EXPECT_EQ(record->header, big.header);
	EXPECT_EQ(record->files, big.files);
	EXPECT_EQ(record->graderReply, reply);
	auto job = deliveries.claimDue(Clock::now(), MICROS_PER_SECOND, "host-a");
	ASSERT_TRUE(job);
	EXPECT_EQ(job->body, reply);
	EXPECT_EQ(job->callbackUrl, callback);
	EXPECT_EQ(job->header, big.header);
}


TEST_F(SubmissionStoreTest, NewerSubmissionSupersedesOlderWithSameCallbackInSameQueueOnly)
{
	SubmissionStore store(database(), LeasePolicy{60, 4, 0});
	auto first = store.submit(make("tmp", "http://lms/u1/p1"), Clock::now());
	auto inOther = store.submit(make("other", "http://lms/u1/p1"), Clock::now());
	auto second = store.submit(make("tmp", "http://lms/u1/p1"), Clock::now());
	EXPECT_EQ(second.superseded, 1u);
	EXPECT_EQ(second.queueLength, 1);
	EXPECT_EQ(store.find(first.id)->state, SubmissionState::SUPERSEDED);
	EXPECT_EQ(store.find(inOther.id)->state, SubmissionState::QUEUED) << "invalidation stays inside its queue";
	EXPECT_EQ(store.find(second.id)->state, SubmissionState::QUEUED);
	EXPECT_EQ(counter("tmp"), actualQueued("tmp"));
}


TEST_F(SubmissionStoreTest, InvalidationComparesTheFullCallbackUrl)
{
	// Two problems of one student whose callback URLs agree in their first 128
	// characters: the old server retired one with the other.
	SubmissionStore store(database(), LeasePolicy{60, 4, 0});
	std::string prefix = "https://courses.edx.org/courses/course-v1:MITx+6.00.1x+2T2024/xqueue/1234567/"
		"block-v1:MITx+6.00.1x+2T2024+type@problem+block@";
	ASSERT_GT(prefix.size(), 120u);
	std::string a = prefix + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa/score_update";
	std::string b = prefix + "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab/score_update";
	ASSERT_EQ(a.substr(0, 128), b.substr(0, 128));
	auto first = store.submit(make("tmp", a), Clock::now());
	auto second = store.submit(make("tmp", b), Clock::now());
	EXPECT_EQ(second.superseded, 0u);
	EXPECT_EQ(store.find(first.id)->state, SubmissionState::QUEUED);
	EXPECT_EQ(store.find(first.id)->callbackUrl, a) << "the full URL is kept";
}


TEST_F(SubmissionStoreTest, ClaimIsFifoAndHidesLeasedSubmissions)
{
	SubmissionStore store(database(), LeasePolicy{60, 4, 0});
	auto a = store.submit(make("tmp", "http://lms/a"), Clock::now());
	auto b = store.submit(make("tmp", "http://lms/b"), Clock::now());
	auto first = store.claim("tmp", "g1", Clock::now());
	ASSERT_TRUE(first.submission);
	EXPECT_EQ(first.submission->id, a.id);
	EXPECT_EQ(first.submission->key.size(), 32u);
	EXPECT_EQ(store.queueLength("tmp", Clock::now()), 1);
	auto second = store.claim("tmp", "g2", Clock::now());
	EXPECT_EQ(second.submission->id, b.id);
	EXPECT_NE(second.submission->key, first.submission->key);
	EXPECT_FALSE(store.claim("tmp", "g3", Clock::now()).submission);
	EXPECT_EQ(store.find(a.id)->graderId, "g1");
	EXPECT_EQ(counter("tmp"), 0);
}


TEST_F(SubmissionStoreTest, ExpiredLeaseIsReissuedFirstWithANewKey)
{
	SubmissionStore store(database(), LeasePolicy{10, 4, 0});
	auto a = store.submit(make("tmp", "http://lms/a"), Clock::now());
	auto b = store.submit(make("tmp", "http://lms/b"), Clock::now());
	Micros t0 = Clock::now();
	auto first = store.claim("tmp", "g1", t0);
	Micros later = t0 + 11 * MICROS_PER_SECOND;
	EXPECT_EQ(store.queueLength("tmp", later), 2) << "an expired lease counts as pending again";
	auto again = store.claim("tmp", "g2", later);
	ASSERT_TRUE(again.submission);
	EXPECT_EQ(again.submission->id, a.id) << "the older submission comes first";
	EXPECT_NE(again.submission->key, first.submission->key);
	EXPECT_EQ(store.putResult(a.id, first.submission->key, "late", later), PutResultOutcome::WRONG_KEY);
	EXPECT_EQ(store.putResult(a.id, again.submission->key, "ok", later), PutResultOutcome::ACCEPTED);
	(void)b;
}


TEST_F(SubmissionStoreTest, ResultWithAnExpiredButUnreissuedKeyIsAccepted)
{
	SubmissionStore store(database(), LeasePolicy{1, 4, 0});
	auto a = store.submit(make("tmp", "http://lms/a"), Clock::now());
	auto claimed = store.claim("tmp", "g", Clock::now());
	EXPECT_EQ(store.putResult(a.id, claimed.submission->key, "slow but fine", Clock::now() + 5 * MICROS_PER_SECOND),
		PutResultOutcome::ACCEPTED);
}


TEST_F(SubmissionStoreTest, PutResultOutcomes)
{
	SubmissionStore store(database(), LeasePolicy{60, 4, 0});
	DeliveryStore deliveries(database());
	auto a = store.submit(make("tmp", "http://lms/a"), Clock::now());
	EXPECT_EQ(store.putResult(a.id + 100, "k", "r", Clock::now()), PutResultOutcome::NOT_FOUND);
	EXPECT_EQ(store.putResult(a.id, "", "r", Clock::now()), PutResultOutcome::WRONG_KEY) << "never pulled";
	auto claimed = store.claim("tmp", "g", Clock::now());
	EXPECT_EQ(store.putResult(a.id, "0123456789abcdef0123456789abcdef", "r", Clock::now()), PutResultOutcome::WRONG_KEY);
	EXPECT_EQ(store.putResult(a.id, claimed.submission->key, "grade", Clock::now()), PutResultOutcome::ACCEPTED);
	EXPECT_EQ(store.putResult(a.id, claimed.submission->key, "grade", Clock::now()), PutResultOutcome::DUPLICATE);
	EXPECT_EQ(store.putResult(a.id, claimed.submission->key, "amended", Clock::now()), PutResultOutcome::DUPLICATE);
	auto record = store.find(a.id);
	EXPECT_EQ(record->state, SubmissionState::GRADED);
	EXPECT_EQ(record->graderReply, "grade");
	auto queued = deliveries.forSubmission(a.id);
	ASSERT_EQ(queued.size(), 1u) << "a replay never queues a second delivery";
	EXPECT_EQ(queued[0].kind, DeliveryKind::GRADE);
}


TEST_F(SubmissionStoreTest, ResultForASupersededSubmissionIsRecordedButNotDelivered)
{
	SubmissionStore store(database(), LeasePolicy{60, 4, 0});
	DeliveryStore deliveries(database());
	auto a = store.submit(make("tmp", "http://lms/same"), Clock::now());
	auto claimed = store.claim("tmp", "g", Clock::now());
	store.submit(make("tmp", "http://lms/same"), Clock::now());
	EXPECT_EQ(store.putResult(a.id, claimed.submission->key, "stale grade", Clock::now()), PutResultOutcome::IGNORED);
	EXPECT_EQ(store.find(a.id)->state, SubmissionState::SUPERSEDED);
	EXPECT_EQ(store.find(a.id)->graderReply, "stale grade");
	EXPECT_TRUE(deliveries.forSubmission(a.id).empty());
}


TEST_F(SubmissionStoreTest, ExhaustedLeasesRetireWithAFailureNotice)
{
	SubmissionStore store(database(), LeasePolicy{0, 2, 0});
	DeliveryStore deliveries(database());
	auto a = store.submit(make("tmp", "http://lms/a"), Clock::now());
	Micros t = Clock::now();
	EXPECT_TRUE(store.claim("tmp", "g", t).submission);
	EXPECT_TRUE(store.claim("tmp", "g", t + 1).submission);
	EXPECT_EQ(store.queueLength("tmp", t + 2), 0) << "an exhausted submission is no longer pending";
	auto third = store.claim("tmp", "g", t + 2);
	EXPECT_FALSE(third.submission);
	EXPECT_EQ(third.retired, 1u);
	auto record = store.find(a.id);
	EXPECT_EQ(record->state, SubmissionState::FAILED);
	EXPECT_EQ(record->retireReason, "no result after 2 leases");
	auto queued = deliveries.forSubmission(a.id);
	ASSERT_EQ(queued.size(), 1u);
	EXPECT_EQ(queued[0].kind, DeliveryKind::FAILURE_NOTICE);
	auto job = deliveries.claimDue(Clock::now(), MICROS_PER_SECOND, "host-a");
	ASSERT_TRUE(job);
	EXPECT_EQ(job->body, FAILURE_NOTICE_BODY);
}


TEST_F(SubmissionStoreTest, CounterStaysExactThroughEveryTransition)
{
	SubmissionStore store(database(), LeasePolicy{0, 3, 0});
	Micros t = Clock::now();
	for (int i = 0; i < 60; ++i)
	{
		store.submit(make(i % 2 ? "tmp" : "other", "http://lms/" + std::to_string(i % 7)), t + i);
		if (i % 3 == 0) store.claim("tmp", "g", t + i);
		if (i % 5 == 0)
		{
			auto c = store.claim("other", "g", t + i);
			if (c.submission) store.putResult(c.submission->id, c.submission->key, "r", t + i);
		}
		ASSERT_EQ(counter("tmp"), actualQueued("tmp")) << i;
		ASSERT_EQ(counter("other"), actualQueued("other")) << i;
	}
}


TEST_F(SubmissionStoreTest, ARestartedHostEndsItsDispatchLeasesOnly)
{
	SubmissionStore store(database(), LeasePolicy{600, 4, 0});
	store.submit(make("push", "http://lms/1"), Clock::now());
	store.submit(make("push", "http://lms/2"), Clock::now());
	store.submit(make("push", "http://lms/3"), Clock::now());
	Micros t = Clock::now();
	auto mine = store.claim("push", "http_push@host-a", t);
	auto theirs = store.claim("push", "http_push@host-b", t);
	auto puller = store.claim("push", "http_push@host-a-puller", t);
	ASSERT_TRUE(mine.submission && theirs.submission && puller.submission);
	EXPECT_FALSE(store.claim("push", "x", t + 1).submission);

	EXPECT_EQ(store.releaseLeasesOf("push", "http_push@host-a", t + 1), 1u);
	auto again = store.claim("push", "http_push@host-a", t + 2);
	ASSERT_TRUE(again.submission);
	EXPECT_EQ(again.submission->id, mine.submission->id);
	EXPECT_EQ(store.find(mine.submission->id)->leaseCount, 2) << "the lease counts as used";
	EXPECT_EQ(store.putResult(mine.submission->id, mine.submission->key, "late", t + 3), PutResultOutcome::WRONG_KEY);
	EXPECT_EQ(store.releaseLeasesOf("other-queue", "http_push@host-a", t + 3), 0u);
}


TEST_F(SubmissionStoreTest, ConcurrentClaimsHandOutEachSubmissionOnce)
{
	SubmissionStore store(database(), LeasePolicy{600, 4, 0});
	for (int i = 0; i < 300; ++i) store.submit(make("tmp", "http://lms/" + std::to_string(i)), Clock::now());
	std::mutex mutex;
	std::multiset<Poco::Int64> handedOut;
	std::vector<std::thread> threads;
	for (int t = 0; t < 8; ++t)
	{
		threads.emplace_back([&]() {
			while (true)
			{
				auto c = store.claim("tmp", "g", Clock::now());
				if (!c.submission) return;
				std::lock_guard<std::mutex> lock(mutex);
				handedOut.insert(c.submission->id);
			}
		});
	}
	for (auto& thread: threads) thread.join();
	EXPECT_EQ(handedOut.size(), 300u);
	EXPECT_EQ(std::set<Poco::Int64>(handedOut.begin(), handedOut.end()).size(), 300u);
}


// With a million rows a scan would cost per request: every query on the request path
// must be an index search, in both dialects. The claims carry the index hints the stores
// use (MySQL only).
std::vector<std::string> hotQueries(const Database& database)
{
	return {
		"SELECT id, lease_count, xqueue_body FROM submissions" + database.sql().forceIndex("submissions_queued") +
			" WHERE queue_name = 'q' AND state = 0 ORDER BY id LIMIT 1",
		"SELECT id, lease_count, xqueue_body FROM submissions" + database.sql().forceIndex("submissions_leases") +
			" WHERE queue_name = 'q' AND state = 1 AND lease_expires_at <= 5 ORDER BY id LIMIT 1",
		"SELECT COUNT(*) FROM submissions WHERE queue_name = 'q' AND state = 1 AND lease_expires_at <= 5 AND lease_count < 4",
		"SELECT state FROM submissions WHERE callback_key = 'k' AND queue_name = 'q' AND state IN (0, 1) AND id <> 3",
		"UPDATE submissions SET state = 4 WHERE callback_key = 'k' AND queue_name = 'q' AND state IN (0, 1) AND id <> 3",
		"SELECT SUM(queued) FROM queue_counters WHERE queue_name = 'q'",
		"SELECT d.id FROM deliveries d" + database.sql().forceIndex("deliveries_due") + " JOIN submissions s ON s.id = d.submission_id"
			" WHERE d.state = 0 AND d.next_attempt_at <= 5 ORDER BY d.next_attempt_at, d.id LIMIT 1",
	};
}


TEST_F(SubmissionStoreTest, HotQueriesUseIndexesNotScans)
{
	if (mysql()) GTEST_SKIP() << "SQLite's EXPLAIN QUERY PLAN; MySQL: HotQueriesUseIndexesOnMySql";
	Poco::Data::Session s = database().session();
	for (const auto& query: hotQueries(database()))
	{
		Poco::Data::Statement plan(s);
		std::vector<std::string> details;
		std::vector<int> id, parent, unused;
		plan << "EXPLAIN QUERY PLAN " + query, into(id), into(parent), into(unused), into(details);
		plan.execute();
		for (const auto& detail: details)
		{
			EXPECT_EQ(detail.find("SCAN"), std::string::npos) << query << "\n  plan: " << detail;
		}
	}
}


TEST_F(SubmissionStoreTest, HotQueriesUseIndexesOnMySql)
{
	if (!mysql()) GTEST_SKIP() << "MySQL's EXPLAIN; SQLite: HotQueriesUseIndexesNotScans";
	// InnoDB prefers a scan on a table it believes tiny, so give the optimizer a realistic
	// spread first: 4,000 rows over 40 queues and every state, a delivery for a quarter.
	constexpr int ROWS = 4000;
	database().transaction([&](Poco::Data::Session& s) {
		std::vector<std::string> queues, keys;
		std::vector<int> states;
		std::vector<Poco::Int64> times;
		for (int i = 0; i < ROWS; ++i)
		{
			queues.push_back("queue" + std::to_string(i % 40));
			keys.push_back("key" + std::to_string(i));
			states.push_back(i % 6);
			times.push_back(i);
		}
		s << "INSERT INTO submissions (queue_name, state, requester_id, lms_callback_url, callback_key, xqueue_header,"
			" xqueue_body, xqueue_files, arrival_time, lease_expires_at) VALUES (?, ?, 'h', X'68', ?, X'7b7d', X'7b7d', X'7b7d', ?, ?)",
			use(queues), use(states), use(keys), use(times), use(times), now;
		s << "INSERT INTO deliveries (submission_id, kind, body, state, created_at, next_attempt_at)"
			" SELECT id, 0, X'7b7d', id % 3, 0, id FROM submissions WHERE id % 4 = 0", now;
		s << "INSERT INTO queue_counters (queue_name, shard, queued) SELECT DISTINCT queue_name, 0, 1 FROM submissions", now;
	});
	Poco::Data::Session s = database().session();
	s << "ANALYZE TABLE submissions, deliveries, queue_counters", now;
	for (const auto& query: hotQueries(database()))
	{
		Poco::Data::Statement plan(s);
		plan << "EXPLAIN " + query;
		plan.execute();
		Poco::Data::RecordSet rows(plan);
		for (std::size_t row = 0; row < rows.rowCount(); ++row)
		{
			auto text = [&](const std::string& column) {
				Poco::Dynamic::Var value = rows.value(column, row);
				return value.isEmpty() ? std::string() : value.convert<std::string>();
			};
			std::string table = text("table");
			std::string type = text("type");
			std::string key = text("key");
			if (table.empty()) continue; // no table read at all (e.g. "Impossible WHERE")
			EXPECT_NE(type, "ALL") << query << "\n  full scan of " << table;
			EXPECT_NE(key, "") << query << "\n  no index used on " << table << " (type " << type << ")";
		}
	}
}


} // namespace
