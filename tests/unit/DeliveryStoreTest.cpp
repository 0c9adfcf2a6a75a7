// SPDX-License-Identifier: Apache-2.0
//
// DeliveryStoreTest.cpp
//


#include "StoreFixture.h"
#include "store/DeliveryStore.h"
#include "store/SubmissionStore.h"
#include <set>


using namespace XQueue;


namespace {


class DeliveryStoreTest: public XQueueTest::StoreFixture
{
protected:
	static NewSubmission make()
	{
		NewSubmission s;
		s.queueName = "tmp";
		s.callbackUrl = "http://lms/cb";
		s.header = "{\"lms_callback_url\": \"http://lms/cb\"}";
		s.body = "b";
		return s;
	}

	Poco::Int64 gradedSubmission(SubmissionStore& store)
	{
		auto id = store.submit(make(), Clock::now()).id;
		auto c = store.claim("tmp", "g", Clock::now());
		EXPECT_EQ(store.putResult(id, c.submission->key, "grade", Clock::now()), PutResultOutcome::ACCEPTED);
		return id;
	}
};


TEST_F(DeliveryStoreTest, LeasedJobIsInvisibleUntilItsLeaseEnds)
{
	SubmissionStore submissions(database(), LeasePolicy{60, 4, 0});
	DeliveryStore deliveries(database());
	auto id = gradedSubmission(submissions);
	Micros t = Clock::now();
	auto job = deliveries.claimDue(t, 10 * MICROS_PER_SECOND, "host-a");
	ASSERT_TRUE(job);
	EXPECT_EQ(job->submissionId, id);
	EXPECT_EQ(job->callbackUrl, "http://lms/cb");
	EXPECT_EQ(job->header, "{\"lms_callback_url\": \"http://lms/cb\"}");
	EXPECT_EQ(job->body, "grade");
	EXPECT_FALSE(deliveries.claimDue(t + 5 * MICROS_PER_SECOND, 10 * MICROS_PER_SECOND, "host-a"));
	auto takeover = deliveries.claimDue(t + 11 * MICROS_PER_SECOND, 10 * MICROS_PER_SECOND, "host-b");
	ASSERT_TRUE(takeover) << "a dead attempt's lease ends and another attempt takes over";
	EXPECT_FALSE(deliveries.markDelivered(*job, t)) << "the first attempt lost its lease";
	EXPECT_TRUE(deliveries.markDelivered(*takeover, t));
	EXPECT_EQ(submissions.find(id)->state, SubmissionState::DELIVERED);
	EXPECT_TRUE(submissions.find(id)->lmsAck);
}


TEST_F(DeliveryStoreTest, ARestartedHostReleasesItsOwnLeasesOnly)
{
	SubmissionStore submissions(database(), LeasePolicy{60, 4, 0});
	DeliveryStore deliveries(database());
	gradedSubmission(submissions);
	gradedSubmission(submissions);
	Micros t = Clock::now();
	auto mine = deliveries.claimDue(t, 100 * MICROS_PER_SECOND, "host-a");
	auto theirs = deliveries.claimDue(t, 100 * MICROS_PER_SECOND, "host-b");
	ASSERT_TRUE(mine && theirs);
	EXPECT_FALSE(deliveries.claimDue(t + MICROS_PER_SECOND, 100 * MICROS_PER_SECOND, "host-a"));

	EXPECT_EQ(deliveries.releaseLeasesOf("host-a", t + MICROS_PER_SECOND), 1u);
	auto again = deliveries.claimDue(t + MICROS_PER_SECOND, 100 * MICROS_PER_SECOND, "host-a");
	ASSERT_TRUE(again) << "due at once, not after the lease";
	EXPECT_EQ(again->id, mine->id);
	EXPECT_FALSE(deliveries.markDelivered(*mine, t)) << "the dead run's attempt is fenced off";
	EXPECT_TRUE(deliveries.markDelivered(*theirs, t)) << "another host's lease is untouched";
	EXPECT_EQ(deliveries.releaseLeasesOf("host-c", t), 0u);
}


TEST_F(DeliveryStoreTest, AResultCanCreateItsDeliveryLeasedToTheHostThatAttemptsIt)
{
	SubmissionStore submissions(database(), LeasePolicy{60, 4, 0});
	DeliveryStore deliveries(database());
	submissions.submit(make(), Clock::now());
	auto claim = submissions.claim("tmp", "g", Clock::now());
	ASSERT_TRUE(claim.submission);
	Micros t = Clock::now();
	DeliveryLease lease{"lease-key-1", "host-a", t + 10 * MICROS_PER_SECOND};
	std::optional<DeliveryJob> leased;
	ASSERT_EQ(submissions.putResult(claim.submission->id, claim.submission->key, "grade", t, &lease, &leased), PutResultOutcome::ACCEPTED);
	ASSERT_TRUE(leased);
	EXPECT_EQ(leased->submissionId, claim.submission->id);
	EXPECT_EQ(leased->body, "grade");
	EXPECT_EQ(leased->callbackUrl, "http://lms/cb");
	EXPECT_EQ(leased->header, "{\"lms_callback_url\": \"http://lms/cb\"}");
	EXPECT_EQ(leased->leaseKey, "lease-key-1");
	EXPECT_EQ(leased->attempts, 0);

	EXPECT_FALSE(deliveries.claimDue(t + 5 * MICROS_PER_SECOND, MICROS_PER_SECOND, "host-b")) << "nobody else takes it during the lease";
	EXPECT_TRUE(deliveries.markDelivered(*leased, t));
	EXPECT_EQ(submissions.find(claim.submission->id)->state, SubmissionState::DELIVERED);
	EXPECT_FALSE(deliveries.claimDue(t + 60 * MICROS_PER_SECOND, MICROS_PER_SECOND, "host-b"));
}


TEST_F(DeliveryStoreTest, NothingIsDueBeforeTheSubmissionIsOldEnough)
{
	// The LMS saves a submission's key only once its submit request has ended; a grade
	// that arrives earlier is dropped (clients.md 3.2).
	constexpr Micros AGE = 2 * MICROS_PER_SECOND;
	SubmissionStore submissions(database(), LeasePolicy{60, 4, AGE});
	DeliveryStore deliveries(database());
	Micros t = Clock::now();
	auto id = submissions.submit(make(), t).id;
	auto claim = submissions.claim("tmp", "g", t + 1000);
	ASSERT_EQ(submissions.putResult(id, claim.submission->key, "grade", t + 2000), PutResultOutcome::ACCEPTED);
	EXPECT_FALSE(deliveries.claimDue(t + AGE - 1, MICROS_PER_SECOND, "host-a")) << "graded at once, delivered later";
	EXPECT_EQ(deliveries.nextDueTime(), t + AGE);
	EXPECT_TRUE(deliveries.claimDue(t + AGE, MICROS_PER_SECOND, "host-a"));

	// Leased to this host in the result's own transaction: the lease starts when the
	// delivery may first be attempted, and the job says when that is.
	auto second = submissions.submit(make(), t).id;
	auto claim2 = submissions.claim("tmp", "g", t + 1000);
	DeliveryLease lease{"k", "host-a", t + 3000 + MICROS_PER_SECOND};
	std::optional<DeliveryJob> job;
	ASSERT_EQ(submissions.putResult(second, claim2.submission->key, "grade", t + 3000, &lease, &job), PutResultOutcome::ACCEPTED);
	ASSERT_TRUE(job);
	EXPECT_EQ(job->notBefore, t + AGE);
	EXPECT_EQ(job->leaseExpiresAt, t + AGE + MICROS_PER_SECOND);
	EXPECT_FALSE(deliveries.claimDue(t + AGE + MICROS_PER_SECOND - 1, MICROS_PER_SECOND, "host-b")) << "held for host-a";

	// An old submission's result is due at once.
	Micros late = t + 10 * AGE;
	auto third = submissions.submit(make(), t).id;
	auto claim3 = submissions.claim("tmp", "g", late);
	ASSERT_EQ(submissions.putResult(third, claim3.submission->key, "grade", late), PutResultOutcome::ACCEPTED);
	EXPECT_EQ(DeliveryStore::dueTime(t, late, AGE), late);
	std::set<Poco::Int64> dueNow;
	while (auto due = deliveries.claimDue(late, MICROS_PER_SECOND, "host-c")) dueNow.insert(due->submissionId);
	EXPECT_TRUE(dueNow.count(third));
}


TEST_F(DeliveryStoreTest, RetryThenDeliver)
{
	SubmissionStore submissions(database(), LeasePolicy{60, 4, 0});
	DeliveryStore deliveries(database());
	auto id = gradedSubmission(submissions);
	Micros t = Clock::now();
	auto job = deliveries.claimDue(t, MICROS_PER_SECOND, "host-a");
	EXPECT_TRUE(deliveries.markRetry(*job, t + 3 * MICROS_PER_SECOND, "LMS answered HTTP 503"));
	EXPECT_EQ(deliveries.nextDueTime(), t + 3 * MICROS_PER_SECOND);
	EXPECT_FALSE(deliveries.claimDue(t + 2 * MICROS_PER_SECOND, MICROS_PER_SECOND, "host-a"));
	auto again = deliveries.claimDue(t + 3 * MICROS_PER_SECOND, MICROS_PER_SECOND, "host-a");
	ASSERT_TRUE(again);
	EXPECT_EQ(again->attempts, 1);
	EXPECT_TRUE(deliveries.markDelivered(*again, t));
	auto records = deliveries.forSubmission(id);
	ASSERT_EQ(records.size(), 1u);
	EXPECT_EQ(records[0].state, DeliveryState::DELIVERED);
	EXPECT_EQ(records[0].attempts, 2);
	EXPECT_FALSE(deliveries.nextDueTime());
}


TEST_F(DeliveryStoreTest, ParkingRetiresTheSubmissionAsFailed)
{
	SubmissionStore submissions(database(), LeasePolicy{60, 4, 0});
	DeliveryStore deliveries(database());
	auto id = gradedSubmission(submissions);
	auto job = deliveries.claimDue(Clock::now(), MICROS_PER_SECOND, "host-a");
	EXPECT_TRUE(deliveries.markParked(*job, "gave up after 9 attempts: LMS answered HTTP 500"));
	auto record = submissions.find(id);
	EXPECT_EQ(record->state, SubmissionState::FAILED);
	EXPECT_FALSE(record->lmsAck);
	EXPECT_EQ(record->retireReason, "delivery to the LMS parked: gave up after 9 attempts: LMS answered HTTP 500");
	auto records = deliveries.forSubmission(id);
	EXPECT_EQ(records[0].state, DeliveryState::PARKED);
	EXPECT_FALSE(deliveries.claimDue(Clock::now() + 1000 * MICROS_PER_SECOND, MICROS_PER_SECOND, "host-a"));
}


} // namespace
