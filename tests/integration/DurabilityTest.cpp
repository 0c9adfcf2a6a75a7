// SPDX-License-Identifier: Apache-2.0
//
// DurabilityTest.cpp
//
// SIGKILL at the worst moments: nothing acknowledged is lost, nothing is delivered twice.
//


#include "FakeGrader.h"
#include "ServerFixture.h"
#include <atomic>
#include <mutex>
#include <set>
#include <thread>


using namespace XQueueTest;
using namespace std::chrono_literals;


namespace {


class DurabilityTest: public ServerFixture
{
protected:
	TestServer::Properties properties() override
	{
		// Delivery leases last 2 x timeout + 5 s: 7 s here.
		return {{"xqueue.processing_delay", "2"}, {"xqueue.delivery.timeout", "1"}};
	}

	std::size_t answered200() const
	{
		std::size_t n = 0;
		for (const auto& call: const_cast<DurabilityTest*>(this)->lms().callbacks())
		{
			if (call.answeredStatus == 200) ++n;
		}
		return n;
	}
};


TEST_F(DurabilityTest, ResultAcknowledgedBeforeAKillIsDeliveredOnceAfterRestart)
{
	lms().answerWith(503);
	TestClient c = loggedIn();
	submit(c, lms().callbackUrl("1/b"));
	TestClient g = loggedIn("grader", "graderpass");
	auto p = pull(g);
	ASSERT_TRUE(p);
	ASSERT_EQ(putResult(g, p->header, gradeWith("the grade")).body, envelope(0, ""));
	ASSERT_TRUE(lms().waitForCount(1, 5s)) << "the first attempt happens at once";
	server().kill();
	lms().answerWith(200);
	std::size_t before = lms().count();
	std::this_thread::sleep_for(300ms);
	EXPECT_EQ(lms().count(), before) << "nobody delivers while the host is down";

	// The kill hit an attempt in flight (the LMS records before it answers), so the
	// restarted host waits for that attempt's lease to end before delivering again.
	server().start();
	ASSERT_TRUE(lms().waitForCount(before + 1, 20s));
	std::this_thread::sleep_for(500ms);
	EXPECT_EQ(answered200(), 1u);
	auto last = lms().callbacks().back();
	EXPECT_EQ(last.form["xqueue_body"], gradeWith("the grade"));
	EXPECT_EQ(last.form["xqueue_header"], header(lms().callbackUrl("1/b")));
	TestClient g2 = loggedIn("grader", "graderpass");
	EXPECT_FALSE(pull(g2)) << "a graded submission is never handed out again";
}


TEST_F(DurabilityTest, KillDuringASubmitBurstLosesNoAcknowledgedSubmission)
{
	std::mutex mutex;
	std::set<std::string> acknowledged;
	std::atomic<bool> stop{false};
	std::vector<std::thread> submitters;
	for (int t = 0; t < 4; ++t)
	{
		submitters.emplace_back([&, t]() {
			TestClient c = loggedIn();
			for (int i = 0; !stop; ++i)
			{
				std::string body = "t" + std::to_string(t) + "-" + std::to_string(i);
				try
				{
					Reply r = submit(c, lms().callbackUrl(body + "/b"), body);
					if (r.status == 200 && parseEnvelope(r.body).returnCode == 0)
					{
						std::lock_guard<std::mutex> lock(mutex);
						acknowledged.insert(body);
					}
				}
				catch (...)
				{
					return; // the server is gone
				}
			}
		});
	}
	std::this_thread::sleep_for(400ms);
	server().kill();
	stop = true;
	for (auto& t: submitters) t.join();
	ASSERT_GT(acknowledged.size(), 20u) << "the burst should have been under way";

	server().start();
	TestClient g = loggedIn("grader", "graderpass");
	std::set<std::string> stored;
	while (auto p = pull(g)) stored.insert(p->body);
	for (const auto& body: acknowledged) EXPECT_TRUE(stored.count(body)) << "lost acknowledged submission " << body;
	std::cout << "[ figures  ] " << acknowledged.size() << " submissions acknowledged before SIGKILL, "
		<< stored.size() << " found after restart\n";
}


TEST_F(DurabilityTest, LeaseHeldByAKilledHostIsReissuedAfterTheVisibilityTimeout)
{
	TestClient c = loggedIn();
	submit(c, lms().callbackUrl("1/b"));
	TestClient g = loggedIn("grader", "graderpass");
	auto first = pull(g);
	ASSERT_TRUE(first);
	server().kill();
	server().start();
	TestClient g2 = loggedIn("grader", "graderpass");
	EXPECT_FALSE(pull(g2)) << "the lease survives the restart";
	EXPECT_EQ(putResult(g2, first->header, gradeWith("grade")).body, envelope(0, "")) << "and its key still works on the new process";
	ASSERT_TRUE(lms().waitForCount(1, 5s));
	EXPECT_EQ(lms().callbacks()[0].form["xqueue_body"], gradeWith("grade"));
}


TEST_F(DurabilityTest, SessionsSurviveARestart)
{
	TestClient c = loggedIn();
	server().kill();
	server().start();
	EXPECT_EQ(c.get("/xqueue/get_queuelen/?queue_name=tmp").status, 200);
}


class RestartTest: public ServerFixture
	/// Leases long enough (35 s) that only their release at start-up can explain work
	/// being taken up again within seconds of a restart.
{
protected:
	TestServer::Properties properties() override
	{
		return {
			{"xqueue.delivery.timeout", "15"},
			{"xqueue.queues.push.plugin", "http_push"},
			{"xqueue.queues.push.url", _grader.url()},
			{"xqueue.queues.push.time_budget", "30"},
			{"xqueue.queues.push.concurrency", "1"},
		};
	}

	FakeGrader _grader;
};


TEST_F(RestartTest, AHostRestartedMidDeliveryDeliversAgainAtOnce)
{
	lms().answerAfter(60s); // hung: the attempt is in flight when the host dies
	TestClient c = loggedIn();
	submit(c, lms().callbackUrl("1/b"));
	TestClient g = loggedIn("grader", "graderpass");
	auto p = pull(g);
	ASSERT_TRUE(p);
	ASSERT_EQ(putResult(g, p->header, gradeWith("the grade")).body, envelope(0, ""));
	ASSERT_TRUE(lms().waitForCount(1, 5s));
	server().kill();
	lms().answerAfter(0ms);

	auto restarted = std::chrono::steady_clock::now();
	server().start();
	ASSERT_TRUE(lms().waitForCount(2, 10s)) << "the delivery lease (35 s) was released at start-up";
	EXPECT_LT(std::chrono::steady_clock::now() - restarted, 10s);
	EXPECT_EQ(lms().callbacks()[1].form["xqueue_body"], gradeWith("the grade"));
	EXPECT_NE(server().log().find("leased by this host's previous run are due again"), std::string::npos) << server().log();
}


TEST_F(RestartTest, AHostRestartedMidGradingDispatchesAgainAtOnce)
{
	GraderAnswer hung;
	hung.delayMs = 60000;
	_grader.answerSequence({hung});
	TestClient c = loggedIn();
	submit(c, lms().callbackUrl("1/b"), "{\"student_response\": \"x\"}", "push");
	ASSERT_TRUE(_grader.waitForCount(1, 5s));
	server().kill();

	server().start();
	ASSERT_TRUE(_grader.waitForCount(2, 10s)) << "the dispatch lease (35 s) was released at start-up";
	ASSERT_TRUE(lms().waitForCount(1, 10s));
	EXPECT_EQ(lms().callbacks()[0].answeredStatus, 200);
}


} // namespace
