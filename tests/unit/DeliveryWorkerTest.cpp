// SPDX-License-Identifier: Apache-2.0
//
// DeliveryWorkerTest.cpp
//
// The delivery threads without a server: a real outbox (SQLite, and MariaDB in the MySQL
// pass), a fake LMS on loopback. A grade reaches the LMS once; failed attempts are
// retried until it answers 200; past the horizon the delivery is parked and the
// submission retired; stopping lets the attempt in flight finish.
//


#include "FakeLms.h"
#include "StoreFixture.h"
#include "delivery/DeliveryWorker.h"
#include "delivery/LmsClient.h"
#include "delivery/OutboundConnector.h"
#include "delivery/RetryPolicy.h"
#include "store/DeliveryStore.h"
#include "store/SubmissionStore.h"
#include <chrono>
#include <functional>
#include <thread>


using namespace XQueue;
using namespace std::chrono_literals;


namespace {


class DeliveryWorkerTest: public XQueueTest::StoreFixture
{
protected:
	void SetUp() override
	{
		StoreFixture::SetUp();
		if (IsSkipped()) return;
		_pSubmissions = std::make_unique<SubmissionStore>(database(), LeasePolicy{60, 4, 0});
		_pDeliveries = std::make_unique<DeliveryStore>(database());
		_pOutbound = std::make_unique<OutboundConnector>("127.0.0.0/8", "", 2);
		_pLms = std::make_unique<LmsClient>(*_pOutbound, 2, LmsClientOptions{});
	}

	void TearDown() override
	{
		_pWorker.reset();
		StoreFixture::TearDown();
	}

	void startWorker(int horizonSeconds = 3600)
	{
		_pRetry = std::make_unique<RetryPolicy>(0.02, 0.05, horizonSeconds);
		DeliveryWorkerOptions options;
		options.threads = 2;
		options.pollIntervalSeconds = 0.02;
		options.hostId = "unit";
		_pWorker = std::make_unique<DeliveryWorker>(*_pDeliveries, *_pLms, *_pRetry, options);
		_pWorker->start();
	}

	Poco::Int64 gradedSubmission(const std::string& grade)
		/// A submission whose grade waits in the outbox.
	{
		NewSubmission submission;
		submission.queueName = "q";
		submission.callbackUrl = lms.callbackUrl(std::to_string(++_submitted));
		submission.header = "{\"submission_id\": 1, \"submission_key\": \"k\"}";
		Micros now = database().currentTime();
		Poco::Int64 id = _pSubmissions->submit(submission, now).id;
		ClaimResult claim = _pSubmissions->claim("q", "grader", now);
		EXPECT_EQ(_pSubmissions->putResult(id, claim.submission.value().key, grade, now), PutResultOutcome::ACCEPTED);
		if (_pWorker) _pWorker->notify();
		return id;
	}

	SubmissionState stateOf(Poco::Int64 id)
	{
		return _pSubmissions->find(id).value().state;
	}

	SubmissionState waitForState(Poco::Int64 id, SubmissionState wanted)
	{
		auto until = std::chrono::steady_clock::now() + 10s;
		while (stateOf(id) != wanted && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(10ms);
		return stateOf(id);
	}

	XQueueTest::FakeLms lms;
	std::unique_ptr<SubmissionStore> _pSubmissions;
	std::unique_ptr<DeliveryStore> _pDeliveries;
	std::unique_ptr<DeliveryWorker> _pWorker;

private:
	int _submitted = 0;
	std::unique_ptr<OutboundConnector> _pOutbound;
	std::unique_ptr<LmsClient> _pLms;
	std::unique_ptr<RetryPolicy> _pRetry;
};


TEST_F(DeliveryWorkerTest, AGradeReachesTheLmsOnce)
{
	startWorker();
	Poco::Int64 id = gradedSubmission("{\"correct\": true, \"score\": 1, \"msg\": \"ok\"}");
	EXPECT_EQ(waitForState(id, SubmissionState::DELIVERED), SubmissionState::DELIVERED);
	std::this_thread::sleep_for(100ms);
	ASSERT_EQ(lms.count(), 1u) << "delivered once";
	EXPECT_EQ(lms.received()[0].form["xqueue_body"], "{\"correct\": true, \"score\": 1, \"msg\": \"ok\"}");
}


TEST_F(DeliveryWorkerTest, FailedAttemptsAreRetriedUntilTheLmsAnswers200)
{
	lms.answerSequence({500, 503, 404, 200});
	startWorker();
	Poco::Int64 id = gradedSubmission("{\"correct\": false, \"score\": 0, \"msg\": \"no\"}");
	EXPECT_EQ(waitForState(id, SubmissionState::DELIVERED), SubmissionState::DELIVERED);
	std::this_thread::sleep_for(100ms);
	EXPECT_EQ(lms.count(), 4u) << "three failures, then the 200; nothing after it";
}


TEST_F(DeliveryWorkerTest, ADeliveryFailingPastItsHorizonIsParkedAndTheSubmissionRetired)
{
	lms.answerWith(500);
	startWorker(0);
	Poco::Int64 id = gradedSubmission("{\"correct\": true, \"score\": 1, \"msg\": \"ok\"}");
	EXPECT_EQ(waitForState(id, SubmissionState::FAILED), SubmissionState::FAILED);
	std::vector<ParkedDelivery> parked = _pDeliveries->listParked(10);
	ASSERT_EQ(parked.size(), 1u);
	EXPECT_EQ(parked[0].submissionId, id);
	EXPECT_NE(parked[0].lastError.find("500"), std::string::npos) << parked[0].lastError;
}


TEST_F(DeliveryWorkerTest, WorkLeftInTheOutboxBeforeTheStartIsDelivered)
{
	Poco::Int64 first = gradedSubmission("{\"correct\": true, \"score\": 1, \"msg\": \"1\"}");
	Poco::Int64 second = gradedSubmission("{\"correct\": true, \"score\": 1, \"msg\": \"2\"}");
	startWorker();
	EXPECT_EQ(waitForState(first, SubmissionState::DELIVERED), SubmissionState::DELIVERED);
	EXPECT_EQ(waitForState(second, SubmissionState::DELIVERED), SubmissionState::DELIVERED);
}


TEST_F(DeliveryWorkerTest, StopLetsTheAttemptInFlightFinish)
{
	lms.answerAfter(300ms);
	startWorker();
	Poco::Int64 id = gradedSubmission("{\"correct\": true, \"score\": 1, \"msg\": \"ok\"}");
	ASSERT_TRUE(lms.waitForCount(1, 10000ms)) << "the attempt began";
	_pWorker->stop();
	EXPECT_EQ(stateOf(id), SubmissionState::DELIVERED) << "stop() waited for the LMS's answer and recorded it";
}


} // namespace
