// SPDX-License-Identifier: Apache-2.0
//
// DispatchTest.cpp
//
// Dispatch-mode queues end to end through the real host and real plugins:
// LMS submit -> http_push grader / in-process grader -> LMS callback.
//


#include "FakeGrader.h"
#include "ServerFixture.h"
#include "Poco/DirectoryIterator.h"
#include <fcntl.h>
#include <fstream>
#include <unistd.h>
#include "protocol/FailureNotice.h"
#include <thread>


using namespace XQueueTest;
using namespace std::chrono_literals;


namespace {


class DispatchTest: public ServerFixture
{
protected:
	TestServer::Properties properties() override
	{
		return {
			{"xqueue.processing_delay", "1"},
			{"xqueue.max_number_of_failures", "1"},
			{"xqueue.dispatch.poll_interval", "0.05"},
			{"xqueue.queues.push.plugin", "http_push"},
			{"xqueue.queues.push.url", _grader.url()},
			{"xqueue.queues.push.timeout", "0.5"},
			{"xqueue.queues.push.concurrency", "4"},
			{"xqueue.queues.push.time_budget", "5"},
			{"xqueue.queues.quiz.plugin", "exact_match"},
			{"xqueue.queues.calc.plugin", "numeric"},
			{"xqueue.queues.calc.default_tolerance", "1%"},
			{"xqueue.plugins.fixture_grader.path", std::string(XQUEUE_FIXTURE_PLUGIN_DIR) + "/xq_fixture_grader.so"},
			{"xqueue.queues.fix.plugin", "fixture_grader"},
			{"xqueue.queues.fix.required_number", "1"},
			{"xqueue.queues.fix.prefix", "P:"},
			{"xqueue.queues.fix.time_budget", "0.5"},
			{"xqueue.queues.fix.concurrency", "2"},
			// The same plugin in the host's own process (isolation = process is the default).
			{"xqueue.queues.inproc.plugin", "fixture_grader"},
			{"xqueue.queues.inproc.isolation", "in_process"},
			{"xqueue.queues.inproc.required_number", "1"},
			{"xqueue.queues.inproc.prefix", "P:"},
			{"xqueue.queues.inproc.time_budget", "0.5"},
			{"xqueue.queues.inproc.concurrency", "2"},
		};
	}

	FakeGrader& grader() { return _grader; }

	std::string only(std::size_t n = 1)
	{
		EXPECT_TRUE(lms().waitForCount(n, 10s)) << lms().count();
		std::this_thread::sleep_for(300ms);
		auto calls = lms().callbacks();
		EXPECT_EQ(calls.size(), n);
		return calls.empty() ? std::string() : calls.back().form["xqueue_body"];
	}

private:
	FakeGrader _grader;
};


TEST_F(DispatchTest, PushGradeReachesTheLmsOnceAndFast)
{
	TestClient c = loggedIn();
	// Let the idle slots settle into their wait, then time one submission.
	std::this_thread::sleep_for(200ms);
	auto sent = std::chrono::steady_clock::now();
	EXPECT_EQ(submit(c, lms().callbackUrl("1/b"), "{\"student_response\": \"x\"}", "push").body, envelope(0, "1"));
	ASSERT_TRUE(grader().waitForCount(1, 5s));
	auto latency = std::chrono::duration<double, std::milli>(grader().requests()[0].arrived - sent).count();
	std::cout << "[ figures  ] submit -> push grader: " << latency << " ms\n";
	// On MariaDB every Poco 1.11 statement is prepared, executed and closed (three round
	// trips), so a submit plus a lease cost ~15 statements: 40-85 ms measured. Making that
	// fast is the production-store work; here it must still be event-driven.
	EXPECT_LT(latency, testingMySql() ? 500.0 : 100.0) << "dispatch is event-driven, not a polling tick";
	EXPECT_EQ(grader().requests()[0].body, "{\"xqueue_body\": \"{\\\"student_response\\\": \\\"x\\\"}\", \"xqueue_files\": \"{}\"}");
	EXPECT_EQ(only(), "{\"correct\": true, \"score\": 1, \"msg\": \"ok\"}");
	EXPECT_EQ(lms().callbacks()[0].form["xqueue_header"], header(lms().callbackUrl("1/b"), "push"));
	EXPECT_EQ(grader().count(), 1u);
}


std::vector<std::string> descriptorsInheritedByChildren(int pid)
	/// The process's descriptors above stderr that lack close-on-exec, as "fd -> target".
	/// Not epoll sets: Poco 1.11 makes one (without EPOLL_CLOEXEC) for every timed socket
	/// wait and closes it after, and an epoll set pins none of the sockets it watches, so
	/// a child that inherits one holds nothing of the host's. (The long-lived ones are
	/// marked at start.)
{
	std::vector<std::string> inherited;
	const std::string proc = "/proc/" + std::to_string(pid);
	Poco::DirectoryIterator end;
	for (Poco::DirectoryIterator it(proc + "/fdinfo"); it != end; ++it)
	{
		int fd = std::stoi(it.name());
		if (fd <= 2) continue;
		std::ifstream info(it.path().toString());
		std::string line;
		unsigned long flags = O_CLOEXEC; // closed meanwhile: nothing to inherit
		while (std::getline(info, line))
		{
			if (line.rfind("flags:", 0) == 0) flags = std::stoul(line.substr(6), nullptr, 8);
		}
		if (flags & O_CLOEXEC) continue;
		char target[512] = {};
		ssize_t n = ::readlink((proc + "/fd/" + it.name()).c_str(), target, sizeof(target) - 1);
		if (n <= 0) continue; // closed meanwhile
		std::string what(target, static_cast<std::size_t>(n));
		if (what == "anon_inode:[eventpoll]") continue;
		inherited.push_back(it.name() + " -> " + what);
	}
	return inherited;
}


TEST_F(DispatchTest, EveryDescriptorTheHostHoldsIsCloseOnExec)
{
	// A plugin that starts a program (popen, system) must not hand it the host's sockets,
	// store or log files: a child holding the listening socket keeps the port bound after
	// the host exits. Looked at while a client connection, a push grader's connection and
	// an LMS delivery (its answer held back) are all open.
	lms().answerAfter(1500ms);
	TestClient c = loggedIn();
	EXPECT_EQ(submit(c, lms().callbackUrl("1/b"), "{\"student_response\": \"x\"}", "push").body, envelope(0, "1"));
	ASSERT_TRUE(lms().waitForCount(1, 10s));
	std::vector<std::string> inherited = descriptorsInheritedByChildren(server().pid());
	std::string list;
	for (const auto& entry: inherited) list += "\n  " + entry;
	EXPECT_TRUE(inherited.empty()) << "descriptors a child process would inherit:" << list;
}


TEST_F(DispatchTest, PushGraderErrorIsRetriedAndARecoveryIsDeliveredOnce)
{
	grader().answerSequence({{500, "down", 0}});
	TestClient c = loggedIn();
	submit(c, lms().callbackUrl("1/b"), "x", "push");
	EXPECT_EQ(only(), "{\"correct\": true, \"score\": 1, \"msg\": \"ok\"}");
	EXPECT_EQ(grader().count(), 2u);
}


TEST_F(DispatchTest, PushGraderThatKeepsFailingEndsInTheFailureNotice)
{
	for (const GraderAnswer& answer: {GraderAnswer{500, "oops", 0}, GraderAnswer{200, "garbage, not JSON", 0},
		GraderAnswer{200, "{\"msg\": \"" + std::string(2 * 1024 * 1024, 'x') + "\"}", 0}, GraderAnswer{200, "{}", 1500},
		GraderAnswer{200, "{\"msg\": \"" + std::string(60, 'x') + "\"}", 0, 20}}) // hung, then dripping past the timeout
	{
		SCOPED_TRACE(answer.body.substr(0, 20) + " / HTTP " + std::to_string(answer.status) + " / delay " + std::to_string(answer.delayMs)
			+ " / drip " + std::to_string(answer.dripMs));
		grader().answerWith(answer);
		std::size_t before = lms().count();
		std::size_t graderBefore = grader().count();
		TestClient c = loggedIn();
		submit(c, lms().callbackUrl(std::to_string(before) + "/b"), "x", "push");
		ASSERT_TRUE(lms().waitForCount(before + 1, 15s));
		std::this_thread::sleep_for(300ms);
		ASSERT_EQ(lms().count(), before + 1);
		EXPECT_EQ(lms().callbacks().back().form["xqueue_body"], XQueue::FAILURE_NOTICE_BODY);
		EXPECT_EQ(grader().count(), graderBefore + 2) << "max_number_of_failures = 1: two attempts";
	}
	EXPECT_EQ(server().log().find("Internal error"), std::string::npos);
}


TEST_F(DispatchTest, ConcurrencyFourGradesFourAtOnce)
{
	grader().answerWith({200, gradeWith("ok"), 400});
	TestClient c = loggedIn();
	auto started = std::chrono::steady_clock::now();
	for (int i = 0; i < 8; ++i) submit(c, lms().callbackUrl(std::to_string(i) + "/b"), "x", "push");
	ASSERT_TRUE(lms().waitForCount(8, 10s));
	double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
	std::cout << "[ figures  ] 8 gradings of 400 ms with concurrency 4: " << seconds << " s\n";
	// Overlap is the property; the wall time is a figure (speed belongs in xqueue-bench).
	EXPECT_EQ(grader().maxConcurrent(), 4);
}


TEST_F(DispatchTest, InProcessExactMatch)
{
	TestClient c = loggedIn();
	submit(c, lms().callbackUrl("1/b"), "{\"student_response\": \" Paris \", \"grader_payload\": \"{\\\"answer\\\": \\\"paris\\\"}\"}", "quiz");
	EXPECT_EQ(only(), "{\"correct\": true, \"score\": 1.0, \"msg\": \"<p>Correct.</p>\"}");
}


TEST_F(DispatchTest, InProcessNumeric)
{
	TestClient c = loggedIn();
	submit(c, lms().callbackUrl("1/b"), "{\"student_response\": \"9.85\", \"grader_payload\": \"{\\\"answer\\\": 9.81}\"}", "calc");
	EXPECT_EQ(only(), "{\"correct\": true, \"score\": 1.0, \"msg\": \"<p>Correct.</p>\"}");
}


TEST_F(DispatchTest, UnusableSubmissionForAnInProcessGraderEndsInTheFailureNotice)
{
	TestClient c = loggedIn();
	submit(c, lms().callbackUrl("1/b"), "not json", "quiz");
	EXPECT_EQ(only(), XQueue::FAILURE_NOTICE_BODY);
	EXPECT_NE(server().log().find("xqueue_body is not a JSON object"), std::string::npos);
}


TEST_F(DispatchTest, AsynchronousCompletionFromAPluginThread)
{
	TestClient c = loggedIn();
	submit(c, lms().callbackUrl("1/b"), "async:50:later", "fix");
	EXPECT_EQ(only(), gradeWith("P:later"));
}


TEST_F(DispatchTest, AGradeTheLmsCannotUseIsAFailedAttemptEndingInTheFailureNotice)
{
	// CodeResponse would show "Invalid grader reply" (or answer 500 to a non-numeric
	// score): caught here, retried like any failed grading, then the failure notice.
	TestClient c = loggedIn();
	submit(c, lms().callbackUrl("1/b"), "raw:{\"correct\": true, \"score\": \"high\", \"msg\": \"secret-grade-text\"}", "fix");
	EXPECT_EQ(only(), XQueue::FAILURE_NOTICE_BODY);
	EXPECT_NE(server().log().find("returned a grade the LMS cannot use"), std::string::npos) << server().log();
	EXPECT_NE(server().log().find("the grade's \"score\" is not a number"), std::string::npos) << server().log();
	EXPECT_EQ(server().log().find("secret-grade-text"), std::string::npos) << "the grade's content is never logged";
}


TEST_F(DispatchTest, TimeBudgetIsEnforcedAndReported)
{
	TestClient c = loggedIn();
	submit(c, lms().callbackUrl("1/b"), "never", "fix");
	EXPECT_EQ(only(), XQueue::FAILURE_NOTICE_BODY);
	EXPECT_NE(server().log().find("time budget of 0.500000 s exceeded (plugin fixture_grader)"), std::string::npos) << server().log();
}


TEST_F(DispatchTest, ExceptionsInGradeAreContained)
{
	TestClient c = loggedIn();
	submit(c, lms().callbackUrl("1/b"), "throw:kaboom", "fix");
	EXPECT_EQ(only(), XQueue::FAILURE_NOTICE_BODY);
	EXPECT_NE(server().log().find("kaboom"), std::string::npos);
	submit(c, lms().callbackUrl("2/b"), "sync:fine", "fix");
	EXPECT_EQ(only(2), gradeWith("P:fine")) << "the host and the plugin carry on";
}


TEST_F(DispatchTest, PluginLogsGoToTheHostLog)
{
	EXPECT_NE(server().log().find("fixture grader started for queue fix with required_number 1"), std::string::npos) << server().log();
}


TEST_F(DispatchTest, PluginCountersReachTheMetrics)
{
	TestClient c = loggedIn();
	submit(c, lms().callbackUrl("1/b"), "sync:one", "fix");
	submit(c, lms().callbackUrl("2/b"), "sync:two", "fix");
	ASSERT_TRUE(lms().waitForCount(2, 10s));
	std::string metrics = anonymous().get("/metrics").body;
	EXPECT_EQ(metricValue(metrics, "xqueue_plugin_counts_total{plugin=\"fixture_grader\",counter=\"fixture_jobs\"}"), 2) << metrics;
}


TEST_F(DispatchTest, PullQueuesWorkBesideDispatchQueues)
{
	TestClient c = loggedIn();
	submit(c, lms().callbackUrl("1/b"), "pulled");
	TestClient g = loggedIn("grader", "graderpass");
	auto p = pull(g);
	ASSERT_TRUE(p);
	EXPECT_EQ(p->body, "pulled");
	EXPECT_FALSE(pull(g, "push")) << "nothing queued there";
}


TEST_F(DispatchTest, SigtermWhileGradingStopsCleanly)
{
	TestClient c = loggedIn();
	submit(c, lms().callbackUrl("1/b"), "async:200:done", "fix");
	std::this_thread::sleep_for(50ms);
	EXPECT_EQ(server().terminate(), 0) << server().log();
	EXPECT_NE(server().log().find("stopped"), std::string::npos);
}


TEST_F(DispatchTest, AHungGradeCallInTheHostsProcessHoldsNeitherTheQueueNorTheShutdown)
{
	// inproc: two slots, a 0.5 s budget, in the host's process. Two calls hang for 20 s;
	// the queue still grades, /metrics shows them, and SIGTERM exits long before they return.
	TestClient c = loggedIn();
	submit(c, lms().callbackUrl("1/b"), "sleep:20000:never seen", "inproc");
	submit(c, lms().callbackUrl("2/b"), "sleep:20000:never seen", "inproc");
	std::this_thread::sleep_for(1s);
	submit(c, lms().callbackUrl("3/b"), "sync:still grading", "inproc");
	ASSERT_TRUE(lms().waitForCount(1, 10s));
	EXPECT_EQ(lms().callbacks()[0].form["xqueue_body"], "{\"correct\": true, \"score\": 1, \"msg\": \"P:still grading\"}");
	std::string metrics = anonymous().get("/metrics").body;
	EXPECT_EQ(metricValue(metrics, "xqueue_stuck_gradings{queue=\"inproc\",plugin=\"fixture_grader\"}"), 2) << metrics;
	auto stopping = std::chrono::steady_clock::now();
	EXPECT_EQ(server().terminate(), 0) << server().log();
	EXPECT_LT(std::chrono::steady_clock::now() - stopping, 10s);
	EXPECT_NE(server().log().find("grade() calls of plugin fixture_grader never returned; left running at exit"), std::string::npos) << server().log();
}


} // namespace
