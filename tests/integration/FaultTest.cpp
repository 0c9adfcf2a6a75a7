// SPDX-License-Identifier: Apache-2.0
//
// FaultTest.cpp
//
// Faults from reliability.md section 5.3 not covered by the suites they belong to,
// each checked with a ledger: every acknowledged submission ends in exactly one
// delivery of its latest result (an identical duplicate allowed only for a delivery a
// host died in between the LMS's 200 and recording it), graders are not called again for work they
// finished, and no client sees a 5xx for its own request.
//   F3  SIGKILL inside put_result (a grader retrying everything it was not sure of)
//   F12 the LMS down for a (time-scaled) hour, then back
//   F14 the same put_result posted many times at once
//   F16 resubmission storms: only the latest answer of each student reaches the LMS
//


#include "FakeGrader.h"
#include "ServerFixture.h"
#include "protocol/FailureNotice.h"
#include <atomic>
#include <map>
#include <mutex>
#include <thread>


using namespace XQueueTest;
using namespace std::chrono_literals;


namespace {


// What the LMS received, per callback URL.
std::map<std::string, std::vector<Callback>> ledger(FakeLms& lms)
{
	std::map<std::string, std::vector<Callback>> byKey;
	for (const auto& call: lms.callbacks())
	{
		if (call.answeredStatus == 200) byKey[call.path].push_back(call);
	}
	return byKey;
}


class FaultTest: public ServerFixture
{
protected:
	TestServer::Properties properties() override
	{
		return {
			{"xqueue.processing_delay", "60"},
			{"xqueue.delivery.timeout", "1"},
			{"xqueue.delivery.threads", "2"},
			{"xqueue.delivery.retry.initial_delay", "0.05"},
			{"xqueue.delivery.retry.max_delay", "0.5"},
			{"xqueue.delivery.retry.horizon", "3600"},
			{"xqueue.dispatch.poll_interval", "0.05"},
			{"xqueue.queues.push.plugin", "http_push"},
			{"xqueue.queues.push.url", _grader.url()},
			{"xqueue.queues.push.timeout", "2"},
			{"xqueue.queues.push.concurrency", "4"},
		};
	}

	FakeGrader& grader() { return _grader; }

private:
	FakeGrader _grader;
};


TEST_F(FaultTest, KillInsidePutResultLosesAndRepeatsNothing)
{
	constexpr int N = 40;
	TestClient lmsClient = loggedIn();
	for (int i = 0; i < N; ++i) ASSERT_EQ(parseEnvelope(submit(lmsClient, lms().callbackUrl("f3/" + std::to_string(i)), "s" + std::to_string(i)).body).returnCode, 0);
	TestClient grader = loggedIn("grader", "graderpass");
	std::vector<Pulled> pulled;
	while (auto p = pull(grader)) pulled.push_back(*p);
	ASSERT_EQ(pulled.size(), static_cast<std::size_t>(N));

	// Results are posted one after another; the host is SIGKILLed in the middle of them.
	std::atomic<int> posted{0};
	std::thread killer([&]() {
		while (posted < N / 3) std::this_thread::sleep_for(1ms);
		server().kill();
	});
	std::set<int> acknowledged;
	for (int i = 0; i < N; ++i)
	{
		try
		{
			Reply reply = putResult(grader, pulled[static_cast<std::size_t>(i)].header, "{\"correct\": true, \"score\": 1, \"msg\": \"" + pulled[static_cast<std::size_t>(i)].body + "\"}");
			EXPECT_LT(reply.status, 500) << reply.body;
			if (reply.status == 200 && reply.body == envelope(0, "")) acknowledged.insert(i);
		}
		catch (Poco::Exception&)
		{
			// the host is gone: this result's fate is unknown to the grader
		}
		++posted;
	}
	killer.join();
	ASSERT_GE(acknowledged.size(), static_cast<std::size_t>(N / 3 - 1));
	ASSERT_LT(acknowledged.size(), static_cast<std::size_t>(N)) << "the kill should have cut the posting short";

	// The grader, unsure, posts every result again (acknowledged ones too: replays).
	server().start();
	TestClient again = loggedIn("grader", "graderpass");
	for (int i = 0; i < N; ++i)
	{
		Reply reply = putResult(again, pulled[static_cast<std::size_t>(i)].header, "{\"correct\": true, \"score\": 1, \"msg\": \"" + pulled[static_cast<std::size_t>(i)].body + "\"}");
		EXPECT_EQ(reply.body, envelope(0, "")) << i;
	}
	ASSERT_TRUE(lms().waitForCount(N, 30s)) << lms().count();
	std::this_thread::sleep_for(1s);
	auto delivered = ledger(lms());
	EXPECT_EQ(delivered.size(), static_cast<std::size_t>(N)) << "every result reached the LMS";
	// A delivery the kill caught after the LMS's 200 but before it was recorded is made
	// again by the restarted host: at most one per delivery thread (2), identical.
	std::size_t duplicates = 0;
	for (const auto& [path, calls]: delivered)
	{
		EXPECT_LE(calls.size(), 2u) << path;
		if (calls.size() > 1) duplicates += calls.size() - 1;
		for (const auto& call: calls) EXPECT_EQ(call.form.at("xqueue_body"), calls.front().form.at("xqueue_body")) << path;
	}
	EXPECT_LE(duplicates, 2u) << "only deliveries in flight at the kill (xqueue.delivery.threads = 2) may repeat";
	std::cout << "[ figures  ] " << acknowledged.size() << " of " << N << " results acknowledged before SIGKILL; "
		<< delivered.size() << " delivered, " << duplicates << " duplicate\n";
}


TEST_F(FaultTest, LmsDownForAnHourIsSurvivedWithoutRegrading)
{
	// Time-scaled: retries back off to 0.5 s where production backs off to 600 s, so
	// 3 s of outage here stand for an hour there (3600 / 600 = 6 capped retries each).
	constexpr int N = 20;
	lms().answerWith(503);
	TestClient lmsClient = loggedIn();
	for (int i = 0; i < N; ++i)
		ASSERT_EQ(parseEnvelope(submit(lmsClient, lms().callbackUrl("f12/" + std::to_string(i)), "{}", "push").body).returnCode, 0);
	ASSERT_TRUE(grader().waitForCount(N, 20s));
	std::this_thread::sleep_for(3s);
	EXPECT_GT(lms().count(), static_cast<std::size_t>(2 * N)) << "deliveries were retried during the outage";
	lms().answerWith(200);
	auto back = std::chrono::steady_clock::now();
	bool allDelivered = false;
	while (!allDelivered && std::chrono::steady_clock::now() - back < 10s)
	{
		allDelivered = ledger(lms()).size() == static_cast<std::size_t>(N);
		std::this_thread::sleep_for(20ms);
	}
	auto recovery = std::chrono::steady_clock::now() - back;
	ASSERT_TRUE(allDelivered);
	EXPECT_LT(recovery, 3s) << "within the back-off cap (0.5 s) plus a margin";
	std::this_thread::sleep_for(500ms);
	for (const auto& [path, calls]: ledger(lms())) EXPECT_EQ(calls.size(), 1u) << path;
	EXPECT_EQ(grader().count(), static_cast<std::size_t>(N)) << "zero re-grading: the grader was called once per submission";
	std::string parked;
	server().admin("deliveries list", "", &parked);
	EXPECT_NE(parked.find("0 parked deliveries"), std::string::npos) << parked;
	std::cout << "[ figures  ] " << N << " results held through the outage, all delivered "
		<< std::chrono::duration_cast<std::chrono::milliseconds>(recovery).count() << " ms after the LMS came back\n";
}


TEST_F(FaultTest, TheSamePutResultPostedManyTimesAtOnceIsDeliveredOnce)
{
	TestClient lmsClient = loggedIn();
	ASSERT_EQ(parseEnvelope(submit(lmsClient, lms().callbackUrl("f14/1")).body).returnCode, 0);
	TestClient grader = loggedIn("grader", "graderpass");
	auto p = pull(grader);
	ASSERT_TRUE(p);
	std::vector<std::thread> copies;
	std::atomic<int> successes{0}, serverErrors{0};
	for (int i = 0; i < 10; ++i)
	{
		copies.emplace_back([&]() {
			TestClient copy = loggedIn("grader", "graderpass");
			Reply reply = putResult(copy, p->header, "{\"correct\": true, \"score\": 1, \"msg\": \"once\"}");
			if (reply.status >= 500) ++serverErrors;
			if (reply.body == envelope(0, "")) ++successes;
		});
	}
	for (auto& t: copies) t.join();
	EXPECT_EQ(serverErrors, 0);
	EXPECT_EQ(successes, 10) << "a copy of an accepted result is acknowledged, not refused";
	ASSERT_TRUE(lms().waitForCount(1, 10s));
	std::this_thread::sleep_for(1s);
	EXPECT_EQ(lms().count(), 1u);
}


TEST_F(FaultTest, AResubmissionStormDeliversOnlyEachStudentsLatestAnswer)
{
	constexpr int STUDENTS = 10, RESUBMITS = 5;
	std::vector<std::thread> students;
	std::atomic<int> refused{0};
	for (int s = 0; s < STUDENTS; ++s)
	{
		students.emplace_back([&, s]() {
			TestClient client = loggedIn();
			for (int v = 1; v <= RESUBMITS; ++v)
			{
				Reply reply = submit(client, lms().callbackUrl("f16/" + std::to_string(s)), "v" + std::to_string(v));
				if (parseEnvelope(reply.body).returnCode != 0) ++refused;
				std::this_thread::sleep_for(std::chrono::milliseconds(5 * (s % 3)));
			}
		});
	}
	// A grader works through the queue at the same time, answering with what it got.
	std::atomic<bool> done{false};
	std::thread graderThread([&]() {
		TestClient grader = loggedIn("grader", "graderpass");
		while (!done)
		{
			auto p = pull(grader);
			if (!p)
			{
				std::this_thread::sleep_for(10ms);
				continue;
			}
			putResult(grader, p->header, "{\"correct\": true, \"score\": 1, \"msg\": \"" + p->body + "\"}");
		}
	});
	for (auto& t: students) t.join();
	EXPECT_EQ(refused, 0);
	ASSERT_TRUE(lms().waitForCount(STUDENTS, 20s)) << lms().count();
	std::this_thread::sleep_for(1s);
	done = true;
	graderThread.join();
	auto delivered = ledger(lms());
	ASSERT_EQ(delivered.size(), static_cast<std::size_t>(STUDENTS));
	std::size_t superseded = 0;
	for (const auto& [path, calls]: delivered)
	{
		// A version graded and delivered before the next one was submitted reaches the
		// LMS (as with the old server); one superseded while pending never does, and
		// the last result is the latest answer.
		EXPECT_NE(calls.back().form.at("xqueue_body").find("\"msg\": \"v5\""), std::string::npos)
			<< path << " ended with " << calls.back().form.at("xqueue_body");
		std::string previous;
		for (const auto& call: calls)
		{
			std::string version = call.form.at("xqueue_body").substr(call.form.at("xqueue_body").find("\"msg\": \"v") + 9, 1);
			EXPECT_GT(version, previous) << path << ": results arrive in submission order, each once";
			previous = version;
		}
		superseded += static_cast<std::size_t>(RESUBMITS) - calls.size();
	}
	EXPECT_GT(superseded, 0u) << "the storm should have superseded pending submissions";
	std::cout << "[ figures  ] " << STUDENTS * RESUBMITS << " submissions, " << superseded << " superseded before grading and never delivered\n";
}


} // namespace
