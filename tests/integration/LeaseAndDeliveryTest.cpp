// SPDX-License-Identifier: Apache-2.0
//
// LeaseAndDeliveryTest.cpp
//
// Visibility timeouts, lease exhaustion, invalidation over the wire, and the durable
// delivery path: retries, parking, poison callback URLs, replays.
//


#include "ServerFixture.h"
#include "store/Database.h"
#include "store/DeliveryStore.h"
#include "store/SubmissionStore.h"
#include "protocol/FailureNotice.h"
#include <thread>


using namespace XQueueTest;
using namespace std::chrono_literals;


namespace {


class LeaseTest: public ServerFixture
{
protected:
	TestServer::Properties properties() override
	{
		return {{"xqueue.processing_delay", "1"}, {"xqueue.max_number_of_failures", "1"}};
	}
};


TEST_F(LeaseTest, UnansweredSubmissionIsReissuedWithANewKeyAndTheOldKeyDies)
{
	TestClient c = loggedIn();
	submit(c, lms().callbackUrl("1/b"));
	TestClient g = loggedIn("grader", "graderpass");
	auto first = pull(g);
	ASSERT_TRUE(first);
	EXPECT_FALSE(pull(g)) << "hidden while leased";
	std::this_thread::sleep_for(1100ms);
	EXPECT_EQ(c.get("/xqueue/get_queuelen/?queue_name=tmp").body, "{\"return_code\": 0, \"content\": 1}");
	auto second = pull(g);
	ASSERT_TRUE(second);
	EXPECT_EQ(second->id, first->id);
	EXPECT_NE(second->key, first->key);
	EXPECT_EQ(putResult(g, first->header, "late").body, envelope(1, "Incorrect key for submission"));
	EXPECT_EQ(putResult(g, second->header, gradeWith("ok")).body, envelope(0, ""));
	ASSERT_TRUE(lms().waitForCount(1, 5s));
	EXPECT_EQ(lms().callbacks()[0].form["xqueue_body"], gradeWith("ok"));
}


TEST_F(LeaseTest, SubmissionNobodyAnswersIsRetiredWithTheFailureNotice)
{
	TestClient c = loggedIn();
	submit(c, lms().callbackUrl("1/b"));
	TestClient g = loggedIn("grader", "graderpass");
	ASSERT_TRUE(pull(g));
	std::this_thread::sleep_for(1100ms);
	ASSERT_TRUE(pull(g)) << "max_number_of_failures = 1: two leases";
	std::this_thread::sleep_for(1100ms);
	EXPECT_EQ(c.get("/xqueue/get_queuelen/?queue_name=tmp").body, "{\"return_code\": 0, \"content\": 0}");
	EXPECT_FALSE(pull(g));
	ASSERT_TRUE(lms().waitForCount(1, 5s));
	auto cb = lms().callbacks()[0];
	EXPECT_EQ(cb.form["xqueue_body"], XQueue::FAILURE_NOTICE_BODY);
	EXPECT_EQ(cb.form["xqueue_body"],
		"{\"correct\": null, \"score\": 0, \"msg\": \"<div class=\\\"capa_alert\\\">Your submission could not be graded. "
		"Please recheck your submission and try again. If the problem persists, please notify the course staff.</div>\"}");
	EXPECT_EQ(cb.form["xqueue_header"], header(lms().callbackUrl("1/b")));
}


class DeliveryTest: public ServerFixture
{
protected:
	TestServer::Properties properties() override
	{
		return {{"xqueue.delivery.retry.horizon", "2"}, {"xqueue.delivery.username", "xq"}, {"xqueue.delivery.password", "s3cret"},
			{"xqueue.delivery.auth_hosts", "http://127.0.0.1:" + std::to_string(lms().port())}};
	}

	Pulled gradeOne(const std::string& callback, const std::string& grade)
	{
		TestClient c = loggedIn();
		EXPECT_EQ(parseEnvelope(submit(c, callback).body).returnCode, 0);
		TestClient g = loggedIn("grader", "graderpass");
		auto p = pull(g);
		EXPECT_TRUE(p);
		EXPECT_EQ(putResult(g, p->header, grade).body, envelope(0, ""));
		return *p;
	}

	std::optional<XQueue::SubmissionRecord> record(Poco::Int64 id)
	{
		std::unique_ptr<XQueue::Database> pDatabase = XQueue::Database::open(server().databaseOptions());
		XQueue::Database& database = *pDatabase;
		XQueue::SubmissionStore store(database, XQueue::LeasePolicy{});
		return store.find(id);
	}

	std::vector<XQueue::DeliveryRecord> deliveries(Poco::Int64 id)
	{
		std::unique_ptr<XQueue::Database> pDatabase = XQueue::Database::open(server().databaseOptions());
		XQueue::Database& database = *pDatabase;
		return XQueue::DeliveryStore(database).forSubmission(id);
	}

	bool waitForState(Poco::Int64 id, XQueue::SubmissionState state, std::chrono::milliseconds timeout)
	{
		auto deadline = std::chrono::steady_clock::now() + timeout;
		while (std::chrono::steady_clock::now() < deadline)
		{
			if (record(id)->state == state) return true;
			std::this_thread::sleep_for(20ms);
		}
		return false;
	}
};


TEST_F(DeliveryTest, FailedDeliveriesAreRetriedUntilTheLmsAnswers200)
{
	lms().answerSequence({500, 503, 404});
	auto p = gradeOne(lms().callbackUrl("1/b"), gradeWith("grade"));
	ASSERT_TRUE(lms().waitForCount(4, 5s));
	ASSERT_TRUE(waitForState(p.id, XQueue::SubmissionState::DELIVERED, 5s));
	std::this_thread::sleep_for(300ms);
	auto calls = lms().callbacks();
	ASSERT_EQ(calls.size(), 4u) << "no delivery after the first 200";
	EXPECT_EQ(calls[3].answeredStatus, 200);
	for (auto call: calls)
	{
		EXPECT_EQ(call.form["xqueue_body"], gradeWith("grade"));
		EXPECT_EQ(call.authorization, "Basic eHE6czNjcmV0");
	}
	auto d = deliveries(p.id);
	ASSERT_EQ(d.size(), 1u);
	EXPECT_EQ(d[0].attempts, 4);
	EXPECT_EQ(d[0].state, XQueue::DeliveryState::DELIVERED);
	EXPECT_TRUE(record(p.id)->lmsAck);
	EXPECT_EQ(record(p.id)->leaseCount, 1) << "an LMS outage never re-grades";
}


TEST_F(DeliveryTest, DeliveryThatKeepsFailingIsParkedAndTheSubmissionRetiredAsFailed)
{
	lms().answerWith(500);
	auto p = gradeOne(lms().callbackUrl("1/b"), gradeWith("grade"));
	ASSERT_TRUE(waitForState(p.id, XQueue::SubmissionState::FAILED, 10s));
	std::size_t attempts = lms().count();
	EXPECT_GE(attempts, 3u);
	std::this_thread::sleep_for(500ms);
	EXPECT_EQ(lms().count(), attempts) << "a parked delivery is not retried";
	auto d = deliveries(p.id);
	ASSERT_EQ(d.size(), 1u);
	EXPECT_EQ(d[0].state, XQueue::DeliveryState::PARKED);
	EXPECT_NE(d[0].lastError.find("LMS answered HTTP 500"), std::string::npos) << d[0].lastError;
	auto r = record(p.id);
	EXPECT_FALSE(r->lmsAck);
	EXPECT_EQ(r->retireReason.rfind("delivery to the LMS parked: gave up after", 0), 0u) << r->retireReason;
	TestClient g = loggedIn("grader", "graderpass");
	EXPECT_FALSE(pull(g)) << "nothing is resurrected";
}


TEST_F(DeliveryTest, MalformedCallbackUrlNeverPoisonsTheQueue)
{
	// Refused at submit now (the LMS hears why); the old server stored it, and its
	// delivery failed for ever.
	TestClient c = loggedIn();
	EXPECT_EQ(parseEnvelope(submit(c, "/").body).text(), "lms_callback_url is refused: not an absolute http(s) URL");
	submit(c, lms().callbackUrl("2/b"));
	TestClient g = loggedIn("grader", "graderpass");
	auto good = pull(g);
	ASSERT_TRUE(good);
	EXPECT_FALSE(pull(g)) << "the malformed one was never stored";
	EXPECT_EQ(putResult(g, good->header, gradeWith("g")).body, envelope(0, ""));
	ASSERT_TRUE(lms().waitForCount(1, 5s));
	EXPECT_EQ(lms().callbacks()[0].form["xqueue_body"], gradeWith("g"));
}


class SlowLmsDeliveryTest: public DeliveryTest
{
protected:
	TestServer::Properties properties() override
	{
		auto p = DeliveryTest::properties();
		p["xqueue.delivery.timeout"] = "1"; // an attempt's lease: 2 x 1 + 5 = 7 s
		p["xqueue.delivery.retry.horizon"] = "3600";
		return p;
	}
};


TEST_F(SlowLmsDeliveryTest, ASlowLmsIsNeverSentTheSameGradeTwiceAtOnce)
{
	// An LMS that answers after 10 s, beyond the attempt's lease: the first attempt used to
	// stay in flight until then, its lease ended, and another thread sent the same grade
	// again meanwhile (one grade 5 times in 62 s, attempts still 0). Each attempt now ends at
	// the timeout, is counted, and the next one starts only after it.
	lms().answerAfter(10s);
	auto p = gradeOne(lms().callbackUrl("1/b"), gradeWith("slow"));
	std::this_thread::sleep_for(9s);
	auto calls = lms().callbacks();
	EXPECT_GE(calls.size(), 3u) << "attempts cut at the 1 s timeout and retried";
	for (std::size_t i = 1; i < calls.size(); ++i)
		EXPECT_GE(calls[i].arrived - calls[i - 1].arrived, 900ms) << "attempt " << i << " began while the one before was in flight";
	auto records = deliveries(p.id);
	ASSERT_EQ(records.size(), 1u);
	EXPECT_GE(records[0].attempts, 2) << "every attempt is counted, so a slow LMS ends parked, not looping";
	lms().answerAfter(0ms);
}


TEST_F(DeliveryTest, ReplayedPutResultNeverRedeliversOrResurrects)
{
	auto p = gradeOne(lms().callbackUrl("1/b"), gradeWith("first"));
	ASSERT_TRUE(lms().waitForCount(1, 5s));
	ASSERT_TRUE(waitForState(p.id, XQueue::SubmissionState::DELIVERED, 5s));
	TestClient g = loggedIn("grader", "graderpass");
	for (int i = 0; i < 3; ++i)
	{
		EXPECT_EQ(putResult(g, p.header, gradeWith("first")).body, envelope(0, ""));
		EXPECT_EQ(putResult(g, p.header, gradeWith("amended")).body, envelope(0, ""));
	}
	lms().answerWith(500);
	EXPECT_EQ(putResult(g, p.header, gradeWith("again")).body, envelope(0, ""));
	std::this_thread::sleep_for(500ms);
	EXPECT_EQ(lms().count(), 1u);
	EXPECT_EQ(record(p.id)->state, XQueue::SubmissionState::DELIVERED);
	EXPECT_EQ(record(p.id)->graderReply, gradeWith("first"));
	EXPECT_FALSE(pull(g));
}


TEST_F(DeliveryTest, ResubmissionSupersedesPendingWorkInItsQueueOnly)
{
	TestClient c = loggedIn();
	std::string callback = lms().callbackUrl("7/b");
	submit(c, callback, "old");
	submit(c, callback, "other queue", "other");
	EXPECT_EQ(submit(c, callback, "new").body, envelope(0, "1"));
	TestClient g = loggedIn("grader", "graderpass");
	auto p = pull(g);
	ASSERT_TRUE(p);
	EXPECT_EQ(p->body, "new");
	EXPECT_FALSE(pull(g));
	auto o = pull(g, "other");
	ASSERT_TRUE(o);
	EXPECT_EQ(o->body, "other queue");
}


TEST_F(DeliveryTest, ResultForASubmissionSupersededWhileLeasedIsAcknowledgedButNotDelivered)
{
	TestClient c = loggedIn();
	std::string callback = lms().callbackUrl("8/b");
	submit(c, callback, "old");
	TestClient g = loggedIn("grader", "graderpass");
	auto old = pull(g);
	submit(c, callback, "new");
	EXPECT_EQ(putResult(g, old->header, gradeWith("stale")).body, envelope(0, ""));
	auto fresh = pull(g);
	ASSERT_TRUE(fresh);
	EXPECT_EQ(fresh->body, "new");
	EXPECT_EQ(putResult(g, fresh->header, gradeWith("current")).body, envelope(0, ""));
	ASSERT_TRUE(lms().waitForCount(1, 5s));
	std::this_thread::sleep_for(300ms);
	ASSERT_EQ(lms().count(), 1u);
	EXPECT_EQ(lms().callbacks()[0].form["xqueue_body"], gradeWith("current"));
}


} // namespace
