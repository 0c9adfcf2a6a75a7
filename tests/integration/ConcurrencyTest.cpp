// SPDX-License-Identifier: Apache-2.0
//
// ConcurrencyTest.cpp
//
// 16 concurrent pull graders over 1,000 queued submissions: each handed out exactly
// once, each result delivered exactly once.
//


#include "ServerFixture.h"
#include <atomic>
#include <mutex>
#include <set>
#include <thread>


using namespace XQueueTest;
using namespace std::chrono_literals;


namespace {


class ConcurrencyTest: public ServerFixture
{
protected:
	TestServer::Properties properties() override
	{
		return {{"xqueue.processing_delay", "600"}, {"xqueue.http.threads", "24"}, {"xqueue.delivery.threads", "4"},
			{"xqueue.store.sqlite.synchronous", "NORMAL"}};
	}
};


TEST_F(ConcurrencyTest, SixteenPullersEachSubmissionHandedOutAndDeliveredOnce)
{
	constexpr int SUBMISSIONS = 1000;
	constexpr int PULLERS = 16;
	{
		// Four LMS connections submitting in parallel.
		std::vector<std::thread> submitters;
		std::atomic<int> next{0};
		std::atomic<int> failures{0};
		for (int t = 0; t < 4; ++t)
		{
			submitters.emplace_back([&]() {
				TestClient c = loggedIn();
				for (int i = next++; i < SUBMISSIONS; i = next++)
				{
					Reply r = submit(c, lms().callbackUrl(std::to_string(i) + "/b"), "body-" + std::to_string(i));
					if (parseEnvelope(r.body).returnCode != 0) ++failures;
				}
			});
		}
		for (auto& t: submitters) t.join();
		ASSERT_EQ(failures.load(), 0);
	}
	TestClient probe = loggedIn();
	ASSERT_EQ(probe.get("/xqueue/get_queuelen/?queue_name=tmp").body, "{\"return_code\": 0, \"content\": 1000}");

	std::mutex mutex;
	std::multiset<Poco::Int64> handedOut;
	std::multiset<std::string> bodies;
	std::atomic<int> putFailures{0};
	auto started = std::chrono::steady_clock::now();
	std::vector<std::thread> pullers;
	for (int t = 0; t < PULLERS; ++t)
	{
		pullers.emplace_back([&]() {
			TestClient g = loggedIn("grader", "graderpass");
			while (true)
			{
				auto p = pull(g);
				if (!p) return;
				{
					std::lock_guard<std::mutex> lock(mutex);
					handedOut.insert(p->id);
					bodies.insert(p->body);
				}
				if (parseEnvelope(putResult(g, p->header, gradeWith("grade:" + p->body)).body).returnCode != 0) ++putFailures;
			}
		});
	}
	for (auto& t: pullers) t.join();
	double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
	std::cout << "[ figures  ] " << SUBMISSIONS << " pull cycles by " << PULLERS << " graders in " << seconds
		<< " s (" << static_cast<int>(SUBMISSIONS / seconds) << " cycles/s)\n";

	EXPECT_EQ(putFailures.load(), 0);
	EXPECT_EQ(handedOut.size(), static_cast<std::size_t>(SUBMISSIONS));
	EXPECT_EQ(std::set<Poco::Int64>(handedOut.begin(), handedOut.end()).size(), static_cast<std::size_t>(SUBMISSIONS))
		<< "a submission was handed out twice";
	EXPECT_EQ(std::set<std::string>(bodies.begin(), bodies.end()).size(), static_cast<std::size_t>(SUBMISSIONS));

	ASSERT_TRUE(lms().waitForCount(SUBMISSIONS, 60s)) << lms().count();
	std::this_thread::sleep_for(500ms);
	auto calls = lms().callbacks();
	EXPECT_EQ(calls.size(), static_cast<std::size_t>(SUBMISSIONS)) << "each result delivered exactly once";
	std::set<std::string> delivered;
	for (auto call: calls)
	{
		delivered.insert(call.form.at("xqueue_body"));
		// The grade reached the callback of its own submission.
		const std::string grade = call.form.at("xqueue_body");
		const std::string marker = "grade:body-";
		std::size_t start = grade.find(marker) + marker.size();
		std::string n = grade.substr(start, grade.find('"', start) - start);
		EXPECT_EQ(call.path, "/courses/c1/xqueue/" + n + "/b/score_update");
	}
	EXPECT_EQ(delivered.size(), static_cast<std::size_t>(SUBMISSIONS));
}


} // namespace
