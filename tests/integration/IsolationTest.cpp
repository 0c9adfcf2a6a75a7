// SPDX-License-Identifier: Apache-2.0
//
// IsolationTest.cpp
//
// A course team's plugin that misbehaves, run with isolation = process (the default):
// each misbehaviour costs the grading it happened in, never the host. Meanwhile another
// queue grades a steady stream of submissions, which must all be graded, and HTTP must
// answer throughout.
//


#include "Sanitizers.h"
#include "ServerFixture.h"
#include "protocol/FailureNotice.h"
#include "Poco/DirectoryIterator.h"
#include "Poco/File.h"
#include <algorithm>
#include <atomic>
#include <csignal>
#include <fstream>
#include <sstream>
#include <thread>


using namespace XQueueTest;
using namespace std::chrono_literals;


namespace {


const std::string QUIZ_BODY = "{\"student_response\": \"paris\", \"grader_payload\": \"{\\\"answer\\\": \\\"paris\\\"}\"}";
const std::string QUIZ_GRADE = "{\"correct\": true, \"score\": 1.0, \"msg\": \"<p>Correct.</p>\"}";


std::string contentOf(const std::string& path)
{
	std::ifstream in(path);
	std::ostringstream text;
	text << in.rdbuf();
	return text.str();
}


std::size_t occurrences(const std::string& text, const std::string& part)
{
	std::size_t count = 0;
	for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + part.size())) ++count;
	return count;
}


std::vector<int> processesWhoseCommandLineHas(const std::string& text)
{
	std::vector<int> pids;
	Poco::DirectoryIterator end;
	for (Poco::DirectoryIterator it(std::string("/proc")); it != end; ++it)
	{
		if (it.name().find_first_not_of("0123456789") != std::string::npos) continue;
		std::string line = contentOf(it.path().toString() + "/cmdline");
		std::replace(line.begin(), line.end(), '\0', ' ');
		if (line.find(text) != std::string::npos) pids.push_back(std::stoi(it.name()));
	}
	return pids;
}


std::vector<int> workersOf(int serverPid)
	/// The server's worker processes (its children running xqueue-plugin-worker).
{
	std::vector<int> workers;
	for (int pid: processesWhoseCommandLineHas("xqueue-plugin-worker"))
	{
		std::string line = contentOf("/proc/" + std::to_string(pid) + "/stat");
		auto close = line.rfind(')');
		if (close == std::string::npos) continue;
		std::istringstream fields(line.substr(close + 2));
		std::string state;
		int parent = 0;
		fields >> state >> parent;
		if (parent == serverPid) workers.push_back(pid);
	}
	return workers;
}


} // namespace


class IsolationTest: public ServerFixture
{
protected:
	TestServer::Properties properties() override
	{
		return {
			{"xqueue.processing_delay", "1"},
			{"xqueue.max_number_of_failures", "3"},
			{"xqueue.dispatch.poll_interval", "0.05"},
			{"xqueue.plugins.fixture_grader.path", std::string(XQUEUE_FIXTURE_PLUGIN_DIR) + "/xq_fixture_grader.so"},
			{"xqueue.queues.fix.plugin", "fixture_grader"},
			{"xqueue.queues.fix.required_number", "1"},
			{"xqueue.queues.fix.time_budget", "1"},
			{"xqueue.queues.fix.concurrency", "2"},
			{"xqueue.queues.fix.max_memory_mb", "400"},
			{"xqueue.queues.quiz.plugin", "exact_match"},
		};
	}

	void TearDown() override
	{
		stopLoad();
		ServerFixture::TearDown();
	}

	void startLoad()
		/// Submits to quiz every 20 ms from a client of its own until stopLoad().
	{
		_load = std::thread([this]() {
			TestClient client = loggedIn();
			while (!_stopLoad)
			{
				int n = ++_loadSubmitted;
				Reply reply = submit(client, lms().callbackUrl("quiz/" + std::to_string(n)), QUIZ_BODY, "quiz");
				if (reply.status != 200 || parseEnvelope(reply.body).returnCode != 0) ++_loadRefused;
				std::this_thread::sleep_for(20ms);
			}
		});
	}

	void stopLoad()
		/// Stops submitting, then checks that every load submission was graded correctly.
	{
		if (!_load.joinable()) return;
		// At least a few submissions overlap what the test did (it may have been quick).
		for (auto until = std::chrono::steady_clock::now() + 10s; _loadSubmitted < 5 && std::chrono::steady_clock::now() < until; )
			std::this_thread::sleep_for(20ms);
		_stopLoad = true;
		_load.join();
		EXPECT_EQ(_loadRefused.load(), 0);
		auto until = std::chrono::steady_clock::now() + 15s;
		std::size_t graded = 0;
		while (std::chrono::steady_clock::now() < until)
		{
			graded = 0;
			for (const auto& call: lms().callbacks())
			{
				if (call.path.find("/quiz/") == std::string::npos) continue;
				EXPECT_EQ(call.form.at("xqueue_body"), QUIZ_GRADE);
				++graded;
			}
			if (graded >= static_cast<std::size_t>(_loadSubmitted.load())) break;
			std::this_thread::sleep_for(50ms);
		}
		EXPECT_EQ(graded, static_cast<std::size_t>(_loadSubmitted.load())) << "the other queue lost gradings";
		EXPECT_GE(_loadSubmitted.load(), 5) << "the load ran";
	}

	std::vector<Callback> callbacksFor(const std::string& id) const
	{
		std::vector<Callback> found;
		for (const auto& call: const_cast<IsolationTest*>(this)->lms().callbacks())
		{
			if (call.path.find("/fix/" + id + "/") != std::string::npos) found.push_back(call);
		}
		return found;
	}

	std::string gradeOf(const std::string& id, std::chrono::seconds within = 15s)
		/// The one result delivered for fix/<id> (waits for it).
	{
		auto until = std::chrono::steady_clock::now() + within;
		while (callbacksFor(id).empty() && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(20ms);
		auto calls = callbacksFor(id);
		EXPECT_EQ(calls.size(), 1u) << id;
		return calls.empty() ? std::string() : calls[0].form["xqueue_body"];
	}

	Reply submitFix(TestClient& client, const std::string& id, const std::string& body)
	{
		return submit(client, lms().callbackUrl("fix/" + id), body, "fix");
	}

	double metric(const std::string& series)
	{
		return metricValue(anonymous().get("/metrics").body, series);
	}

	bool logShows(const std::string& text, std::chrono::seconds within = 15s)
		/// Waits for a line (a crash under AddressSanitizer takes a while to be reported).
	{
		auto until = std::chrono::steady_clock::now() + within;
		while (server().log().find(text) == std::string::npos && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(50ms);
		return server().log().find(text) != std::string::npos;
	}

	void expectHttpAnswers()
	{
		EXPECT_EQ(anonymous().get("/xqueue/status/").status, 200);
	}

private:
	std::thread _load;
	std::atomic<bool> _stopLoad{false};
	std::atomic<int> _loadSubmitted{0};
	std::atomic<int> _loadRefused{0};
};


TEST_F(IsolationTest, AWellBehavedPluginGradesInItsWorkers)
{
	TestClient c = loggedIn();
	submitFix(c, "1", "sync:one");
	submitFix(c, "2", "async:50:two");
	EXPECT_EQ(gradeOf("1"), gradeWith("one"));
	EXPECT_EQ(gradeOf("2"), gradeWith("two"));
	EXPECT_FALSE(workersOf(server().pid()).empty()) << "the plugin runs in worker processes";
}


TEST_F(IsolationTest, CrashesCostOnlyTheirGradingAndAPoisonSubmissionEndsAfterTwo)
{
	// Null dereference, abort(), stack overflow: each kills its worker, twice (the second
	// hand-out), and then the submission is retired with the failure notice - not after
	// every one of its 4 hand-outs.
	startLoad();
	TestClient c = loggedIn();
	submitFix(c, "segv", "segv");
	submitFix(c, "abort", "abort");
	submitFix(c, "stack", "stack");
	for (const char* id: {"segv", "abort", "stack"}) EXPECT_EQ(gradeOf(id, 20s), XQueue::FAILURE_NOTICE_BODY) << id;
	submitFix(c, "after", "sync:after the crashes");
	EXPECT_EQ(gradeOf("after"), gradeWith("after the crashes"));
	expectHttpAnswers();
	stopLoad();
	const std::string log = server().log();
	EXPECT_EQ(occurrences(log, " (1 time for it)\n"), 3u) << log;
	EXPECT_EQ(occurrences(log, " (2 times for it): not graded again\n"), 3u) << log;
	// Outside sanitizers a null dereference is SIGSEGV; AddressSanitizer reports it and aborts.
	EXPECT_TRUE(log.find("queue fix: the worker of plugin fixture_grader (pid ") != std::string::npos) << log;
	EXPECT_TRUE(log.find(XQUEUE_UNDER_ASAN ? "died of signal SIGABRT" : "died of signal SIGSEGV (Segmentation fault)") != std::string::npos) << log;
	EXPECT_EQ(metric("xqueue_plugin_worker_exits_total{queue=\"fix\",plugin=\"fixture_grader\",reason=\"crash\"}"), 6);
	EXPECT_TRUE(server().running());
	// The operators' dashboard lists the plugin with its worker exits.
	ASSERT_EQ(server().admin("user set ops --role=admin", "opspass\n"), 0);
	std::string overview = loggedIn("ops", "opspass").get("/xqueue/dashboard/api/overview").body;
	EXPECT_NE(overview.find("\"plugin\":\"fixture_grader\""), std::string::npos) << overview;
	EXPECT_NE(overview.find("\"worker_exits\":6"), std::string::npos) << overview;
}


TEST_F(IsolationTest, AGradingPastItsBudgetIsKilledAndNeverGradedTwiceAtOnce)
{
	// grade() sleeps 3 s against a 1 s budget: at the budget its worker is killed, the late
	// result never comes, the timeout is logged; each hand-out runs alone (a killed worker
	// cannot go on grading beside the next one), and after 4 hand-outs the LMS gets the
	// failure notice.
	startLoad();
	TestClient c = loggedIn();
	submitFix(c, "slow", "sleep:3000:too late");
	EXPECT_EQ(gradeOf("slow", 30s), XQueue::FAILURE_NOTICE_BODY);
	stopLoad();
	const std::string log = server().log();
	EXPECT_EQ(occurrences(log, ": time budget of 1.000000 s exceeded (plugin fixture_grader)\n"), 4u) << log;
	EXPECT_EQ(occurrences(log, " was killed: its job's time budget ran out\n"), 4u) << log;
	EXPECT_EQ(metric("xqueue_plugin_worker_exits_total{queue=\"fix\",plugin=\"fixture_grader\",reason=\"timeout\"}"), 4);
	EXPECT_EQ(metric("xqueue_plugin_counts_total{plugin=\"fixture_grader\",counter=\"fixture_jobs\"}"), 4) << "one grading per hand-out";
	EXPECT_EQ(log.find("too late"), std::string::npos) << "the late grade never reached the host";
}


TEST_F(IsolationTest, HungGradingsHoldNeitherTheQueueNorTheShutdown)
{
	// Both slots hang (one in grade(), one never completing); the queue goes on grading
	// once their budgets end, and SIGTERM exits at once, leaving no worker behind.
	TestClient c = loggedIn();
	submitFix(c, "hang1", "sleep:600000:never");
	submitFix(c, "hang2", "never");
	std::this_thread::sleep_for(300ms);
	submitFix(c, "next", "sync:next");
	EXPECT_EQ(gradeOf("next"), gradeWith("next"));
	std::vector<int> workers = workersOf(server().pid());
	EXPECT_FALSE(workers.empty());
	auto stopping = std::chrono::steady_clock::now();
	EXPECT_EQ(server().terminate(), 0) << server().log();
	EXPECT_LT(std::chrono::steady_clock::now() - stopping, 5s);
	for (int worker: workers) EXPECT_NE(::kill(worker, 0), 0) << "worker " << worker << " outlived the server";
}


TEST_F(IsolationTest, AMemoryBombIsKilledAndALeakReplacesItsWorker)
{
	startLoad();
	TestClient c = loggedIn();
	submitFix(c, "bomb", "bomb");
	for (int i = 1; i <= 6; ++i) submitFix(c, "leak" + std::to_string(i), "leak:100:leaked " + std::to_string(i));
	EXPECT_EQ(gradeOf("bomb", 20s), XQueue::FAILURE_NOTICE_BODY);
	for (int i = 1; i <= 6; ++i) EXPECT_EQ(gradeOf("leak" + std::to_string(i)), gradeWith("leaked " + std::to_string(i)));
	stopLoad();
	const std::string log = server().log();
	// Killed by the host's watch (every 100 ms), or, should the allocation outrun it, by the
	// address-space backstop (4 x the limit + 1 GiB) failing malloc.
	EXPECT_TRUE(log.find("MiB, over its limit of 400 MiB (max_memory_mb) while grading submission ") != std::string::npos ||
		log.find("died of signal SIGABRT (Aborted) while grading submission ") != std::string::npos) << log;
	EXPECT_NE(log.find("over max_memory_mb 400: replaced"), std::string::npos) << log;
	EXPECT_GE(metric("xqueue_plugin_worker_exits_total{queue=\"fix\",plugin=\"fixture_grader\",reason=\"replaced\"}"), 1);
	for (int pid: workersOf(server().pid()))
	{
		std::ifstream statm("/proc/" + std::to_string(pid) + "/statm");
		long long pages = 0, resident = 0;
		statm >> pages >> resident;
		// The limit (400 MiB) plus a leak's last step; ASan adds its shadow and quarantine.
		EXPECT_LT(resident * ::sysconf(_SC_PAGESIZE), (XQUEUE_UNDER_ASAN ? 600LL : 500LL) << 20) << "worker " << pid;
	}
}


TEST_F(IsolationTest, ProgramsAPluginStartsGoWithItsWorkerAndSeeNoSecrets)
{
	// system("... &") from a plugin: the child is in the worker's process group, so it
	// goes when the server stops its workers; it inherits no descriptor of the host's,
	// so the port is free at once; and the worker's environment lacks the store password.
	std::string marker = "xqmarker" + std::to_string(::getpid());
	TestClient c = loggedIn();
	submitFix(c, "spawn", "spawn:" + marker + ":spawned");
	EXPECT_EQ(gradeOf("spawn"), gradeWith("spawned 0"));
	submitFix(c, "env", "env:XQUEUE_STORE_PASSWORD");
	EXPECT_EQ(gradeOf("env"), gradeWith("(unset)"));
	EXPECT_FALSE(processesWhoseCommandLineHas(marker).empty());
	EXPECT_EQ(server().terminate(), 0);
	auto until = std::chrono::steady_clock::now() + 5s;
	while (!processesWhoseCommandLineHas(marker).empty() && std::chrono::steady_clock::now() < until) std::this_thread::sleep_for(50ms);
	EXPECT_TRUE(processesWhoseCommandLineHas(marker).empty()) << "the plugin's child outlived the server";
	server().start(); // the same port: nothing kept it bound
	expectHttpAnswers();
}


TEST_F(IsolationTest, ACpuLimitEndsARunawayLoop)
{
	// time_budget 1 s would end it anyway; with a 30 s budget the CPU limit (1 s) does.
	server().terminate();
	server().addArgument("--define=xqueue.queues.fix.time_budget=30");
	server().addArgument("--define=xqueue.queues.fix.max_cpu_seconds=1");
	server().start();
	startLoad();
	TestClient c = loggedIn();
	auto sent = std::chrono::steady_clock::now();
	submitFix(c, "spin", "spin");
	submitFix(c, "fine", "sync:fine");
	EXPECT_EQ(gradeOf("fine"), gradeWith("fine"));
	auto until = std::chrono::steady_clock::now() + 10s;
	while (server().log().find("died of signal SIGXCPU") == std::string::npos && std::chrono::steady_clock::now() < until)
		std::this_thread::sleep_for(50ms);
	EXPECT_EQ(gradeOf("spin", 20s), XQueue::FAILURE_NOTICE_BODY) << "two CPU-limit deaths: not graded again";
	EXPECT_NE(server().log().find("died of signal SIGXCPU (CPU time limit exceeded) while grading submission "), std::string::npos) << server().log();
	EXPECT_LT(std::chrono::steady_clock::now() - sent, XQUEUE_UNDER_ASAN ? 15s : 10s) << "sanitized builds run ~2x slower";
	stopLoad();
}


TEST_F(IsolationTest, InstallingANewFileOverTheLoadedPluginChangesNothingUntilARestart)
{
	// cp over the installed .so (what the template's README used to suggest): workers
	// started afterwards - here after a crash - still load the copy the host verified.
	const std::string installed = server().dir().path() + "/xq_fixture_grader.so";
	Poco::File(std::string(XQUEUE_FIXTURE_PLUGIN_DIR) + "/xq_fixture_grader.so").copyTo(installed);
	server().terminate();
	server().addArgument("--define=xqueue.plugins.fixture_grader.path=" + installed);
	server().start();
	startLoad();
	{
		std::ofstream overwrite(installed, std::ios::trunc | std::ios::binary);
		overwrite << "not a shared object any more";
	}
	TestClient c = loggedIn();
	submitFix(c, "segv", "segv");
	submitFix(c, "after", "sync:after the new file");
	EXPECT_EQ(gradeOf("after"), gradeWith("after the new file"));
	EXPECT_TRUE(logShows("(1 time for it)")) << server().log();
	EXPECT_TRUE(server().running());
	stopLoad();
}
