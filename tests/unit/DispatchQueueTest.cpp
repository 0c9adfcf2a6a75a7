// SPDX-License-Identifier: Apache-2.0
//
// DispatchQueueTest.cpp
//
// One dispatch-mode queue without a server: a real store (SQLite, and MariaDB in the
// MySQL pass), the fixture plugin's .so, a delivery worker never started (grades and
// notices stay in the outbox). What a grading ends as: recorded, released for a retry,
// a timeout whose grade is dropped, retired with the failure notice.
//


#include "StoreFixture.h"
#include "delivery/DeliveryWorker.h"
#include "delivery/LmsClient.h"
#include "delivery/OutboundConnector.h"
#include "delivery/RetryPolicy.h"
#include "files/FileLinks.h"
#include "loader/PluginRegistry.h"
#include "loader/QueueAdapter.h"
#include "queue/DispatchQueue.h"
#include "queue/PausedQueues.h"
#include "store/DeliveryStore.h"
#include "store/QueueControlStore.h"
#include "store/SubmissionStore.h"
#include <chrono>
#include <functional>
#include <thread>


using namespace XQueue;
using namespace std::chrono_literals;


namespace {


constexpr Micros RETRY_DELAY = 3600 * MICROS_PER_SECOND; // a released grading is far in the future


class DispatchQueueTest: public XQueueTest::StoreFixture
{
protected:
	void SetUp() override
	{
		StoreFixture::SetUp();
		if (IsSkipped()) return;
		_pSubmissions = std::make_unique<SubmissionStore>(database(), LeasePolicy{60, 2, 0});
		_pDeliveries = std::make_unique<DeliveryStore>(database());
		_pOutbound = std::make_unique<OutboundConnector>("", "", 1);
		_pLms = std::make_unique<LmsClient>(*_pOutbound, 1, LmsClientOptions{});
		_pRetry = std::make_unique<RetryPolicy>(1.0, 1.0, 60);
		_pDelivery = std::make_unique<DeliveryWorker>(*_pDeliveries, *_pLms, *_pRetry, DeliveryWorkerOptions{});
		_pLinks = std::make_unique<FileLinks>("0123456789abcdef-test-key", 60, "", "http://127.0.0.1:9");
		_pControls = std::make_unique<QueueControlStore>(database());
		_pPaused = std::make_unique<PausedQueues>(*_pControls);
		_pRegistry = std::make_unique<PluginRegistry>(XQUEUE_FIXTURE_PLUGIN_DIR, std::map<std::string, std::string>{});
		QueueSettings queue;
		queue.id = queue.name = "q";
		queue.plugin = "fixture_grader";
		queue.pluginConfig = {{"required_number", "1"}, {"prefix", "P:"}};
		_pAdapter = std::make_unique<QueueAdapter>(queue, _pRegistry->library("fixture_grader"));
	}

	void TearDown() override
	{
		// A call the queue abandoned still runs the plugin's code: the instance stays
		// until it returns (QueueRuntime keeps it for good; the test waits).
		auto until = std::chrono::steady_clock::now() + 10s;
		while (_pDispatch && _pDispatch->abandonedCalls() > 0 && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(10ms);
		_pDispatch.reset(); // its slots first: they use everything else
		_pAdapter.reset();
		StoreFixture::TearDown();
	}

	void startQueue(Micros timeBudget, double pollIntervalSeconds = 60.0, Micros retryDelay = RETRY_DELAY, int concurrency = 1)
	{
		DispatchOptions options;
		options.concurrency = concurrency;
		options.timeBudget = timeBudget;
		options.pollIntervalSeconds = pollIntervalSeconds;
		options.retryDelay = retryDelay;
		_pDispatch = std::make_unique<DispatchQueue>(*_pAdapter, *_pSubmissions, *_pDelivery, *_pLinks, *_pPaused, options);
		_pDispatch->start();
	}

	Poco::Int64 submit(const std::string& body)
	{
		NewSubmission submission;
		submission.queueName = "q";
		submission.callbackUrl = "https://lms.example.com/callback/" + std::to_string(++_submitted);
		submission.body = body;
		Poco::Int64 id = _pSubmissions->submit(submission, database().currentTime()).id;
		if (_pDispatch) _pDispatch->notify();
		return id;
	}

	SubmissionRecord waitFor(Poco::Int64 id, const std::function<bool(const SubmissionRecord&)>& done)
		/// The submission once done says so (or as it is after 10 s: the test then fails).
	{
		auto until = std::chrono::steady_clock::now() + 10s;
		for (;;)
		{
			SubmissionRecord record = _pSubmissions->find(id).value();
			if (done(record) || std::chrono::steady_clock::now() > until) return record;
			std::this_thread::sleep_for(10ms);
		}
	}

	static bool releasedForARetry(const SubmissionRecord& record)
	{
		return record.state == SubmissionState::LEASED && record.leaseExpiresAt > XQueue::Clock::now() + RETRY_DELAY / 2;
	}

	Poco::Int64 deliveriesOf(Poco::Int64 id)
	{
		Poco::Int64 count = 0;
		Poco::Data::Session s = database().session();
		s << "SELECT COUNT(*) FROM deliveries WHERE submission_id = ?", Poco::Data::Keywords::use(id), Poco::Data::Keywords::into(count),
			Poco::Data::Keywords::now;
		return count;
	}

	DispatchQueue& dispatcher() { return *_pDispatch; }

	std::unique_ptr<SubmissionStore> _pSubmissions;
	std::unique_ptr<DeliveryStore> _pDeliveries;

private:
	int _submitted = 0;
	std::unique_ptr<OutboundConnector> _pOutbound;
	std::unique_ptr<LmsClient> _pLms;
	std::unique_ptr<RetryPolicy> _pRetry;
	std::unique_ptr<DeliveryWorker> _pDelivery;
	std::unique_ptr<FileLinks> _pLinks;
	std::unique_ptr<QueueControlStore> _pControls;
	std::unique_ptr<PausedQueues> _pPaused;
	std::unique_ptr<PluginRegistry> _pRegistry;
	std::unique_ptr<QueueAdapter> _pAdapter;
	std::unique_ptr<DispatchQueue> _pDispatch;
};


TEST_F(DispatchQueueTest, AGradeIsRecordedWithItsDelivery)
{
	startQueue(10 * MICROS_PER_SECOND);
	Poco::Int64 id = submit("sync:well done");
	SubmissionRecord record = waitFor(id, [](const SubmissionRecord& r) { return r.state == SubmissionState::GRADED; });
	ASSERT_EQ(record.state, SubmissionState::GRADED);
	EXPECT_NE(record.graderReply.find("P:well done"), std::string::npos) << record.graderReply;
	EXPECT_EQ(record.leaseCount, 1);
}


TEST_F(DispatchQueueTest, AFailedGradingIsReleasedForARetryWithoutAGrade)
{
	startQueue(10 * MICROS_PER_SECOND);
	Poco::Int64 id = submit("fail:the grader is misconfigured");
	SubmissionRecord record = waitFor(id, releasedForARetry);
	EXPECT_TRUE(releasedForARetry(record)) << "lease ends " << record.leaseExpiresAt;
	EXPECT_EQ(record.graderReply, "");
}


TEST_F(DispatchQueueTest, AGradingReturnedPastItsBudgetIsATimeoutAndItsGradeIsDropped)
{
	// A plugin that grades synchronously and overruns its budget: the grade it returns
	// late is not recorded, whatever it says.
	startQueue(300 * 1000);
	Poco::Int64 id = submit("sleep:1200:too late");
	SubmissionRecord record = waitFor(id, releasedForARetry);
	EXPECT_TRUE(releasedForARetry(record)) << "state " << static_cast<int>(record.state);
	EXPECT_EQ(record.graderReply, "");
}


TEST_F(DispatchQueueTest, AGradingThatNeverCompletesTimesOutAtItsBudget)
{
	startQueue(300 * 1000);
	auto started = std::chrono::steady_clock::now();
	Poco::Int64 id = submit("never");
	SubmissionRecord record = waitFor(id, releasedForARetry);
	EXPECT_TRUE(releasedForARetry(record));
	EXPECT_GE(std::chrono::steady_clock::now() - started, 300ms);
	EXPECT_EQ(record.graderReply, "");
}


TEST_F(DispatchQueueTest, ASubmissionFailedOnEveryLeaseIsRetiredWithTheFailureNotice)
{
	// Two leases at most (the LeasePolicy above), each retry due at once: fail, fail, retired.
	startQueue(10 * MICROS_PER_SECOND, 0.05, 0);
	Poco::Int64 id = submit("throw:boom");
	SubmissionRecord record = waitFor(id, [](const SubmissionRecord& r) { return r.state == SubmissionState::FAILED; });
	ASSERT_EQ(record.state, SubmissionState::FAILED);
	EXPECT_EQ(record.leaseCount, 2);
	EXPECT_NE(record.retireReason.find("boom"), std::string::npos) << record.retireReason;
	EXPECT_EQ(deliveriesOf(id), 1) << "the failure notice, queued for the LMS";
	EXPECT_EQ(record.graderReply, "");
}


TEST_F(DispatchQueueTest, AGradeCallThatHangsDoesNotHoldItsSlot)
{
	// One slot; the first grade() call blocks for 3 s against a budget of 0.3 s.
	startQueue(300 * 1000);
	auto started = std::chrono::steady_clock::now();
	Poco::Int64 hung = submit("sleep:3000:too late");
	Poco::Int64 next = submit("sync:graded anyway");
	SubmissionRecord record = waitFor(next, [](const SubmissionRecord& r) { return r.state == SubmissionState::GRADED; });
	EXPECT_EQ(record.state, SubmissionState::GRADED);
	EXPECT_LT(std::chrono::steady_clock::now() - started, 2500ms) << "the slot moved on at the budget, not when the call returned";
	EXPECT_TRUE(releasedForARetry(_pSubmissions->find(hung).value())) << "the hung one: a timeout, its lease given back";
	EXPECT_EQ(dispatcher().abandonedCalls(), 1u);
	auto until = std::chrono::steady_clock::now() + 10s;
	while (dispatcher().abandonedCalls() > 0 && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(20ms);
	EXPECT_EQ(dispatcher().abandonedCalls(), 0u) << "counted until it returned";
	EXPECT_EQ(_pSubmissions->find(hung).value().graderReply, "") << "its late grade is dropped";
}


TEST_F(DispatchQueueTest, ASubmissionWhoseCallStillRunsIsNeverGradedTwiceAtOnce)
{
	// Two slots, retries due at once, two hand-outs at most: the hung submission comes
	// back while its first call still runs; the second lease is given back as a failed
	// attempt (no second call), which uses up its hand-outs: the failure notice.
	startQueue(200 * 1000, 0.05, 0, 2);
	Poco::Int64 hung = submit("sleep:2500:too late");
	SubmissionRecord record = waitFor(hung, [](const SubmissionRecord& r) { return r.state == SubmissionState::FAILED; });
	ASSERT_EQ(record.state, SubmissionState::FAILED);
	EXPECT_NE(record.retireReason.find("has not returned"), std::string::npos) << record.retireReason;
	EXPECT_EQ(dispatcher().abandonedCalls(), 1u) << "one call, still running";
	EXPECT_EQ(deliveriesOf(hung), 1) << "the failure notice";
}


TEST_F(DispatchQueueTest, AFailureForGoodRetiresAtOnceWithTheFailureNotice)
{
	startQueue(10 * MICROS_PER_SECOND);
	Poco::Int64 id = submit("fatal:the queue names a grader file that does not exist");
	SubmissionRecord record = waitFor(id, [](const SubmissionRecord& r) { return r.state == SubmissionState::FAILED; });
	ASSERT_EQ(record.state, SubmissionState::FAILED);
	EXPECT_EQ(record.leaseCount, 1) << "no retry: it cannot help";
	EXPECT_EQ(record.retireReason, "grading failed for good: the queue names a grader file that does not exist");
	EXPECT_EQ(deliveriesOf(id), 1) << "the failure notice";
}


} // namespace
