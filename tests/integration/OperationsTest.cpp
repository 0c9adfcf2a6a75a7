// SPDX-License-Identifier: Apache-2.0
//
// OperationsTest.cpp
//
// What an operator relies on: liveness and readiness, metric values after scripted
// traffic, one log line per request without secrets, SIGHUP reopening log files, and a
// SIGTERM drain that loses nothing.
//


#include "FakeGrader.h"
#include "ServerFixture.h"
#include <fstream>
#include <ctime>
#include "Poco/File.h"
#include <csignal>
#include <regex>
#include <thread>


using namespace XQueueTest;
using namespace std::chrono_literals;


namespace {


class OperationsTest: public ServerFixture
{
protected:
	TestServer::Properties properties() override
	{
		return {
			{"xqueue.shutdown.drain_delay", "1.5"},
			{"xqueue.dispatch.poll_interval", "0.1"},
			{"xqueue.queues.push.plugin", "http_push"},
			{"xqueue.queues.push.url", _grader.url()},
			{"xqueue.queues.push.concurrency", "4"},
			{"xqueue.queues.push.time_budget", "10"},
			// As in the sample configuration: a file channel with a formatter.
			{"logging.formatters.plain.class", "PatternFormatter"},
			{"logging.formatters.plain.pattern", "%Y-%m-%d %H:%M:%S %p %s: %t"},
			{"logging.channels.file.class", "FileChannel"},
			{"logging.channels.file.path", _logs.file("xqueue.log")},
			{"logging.channels.file.formatter", "plain"},
			{"logging.loggers.root.channel", "file"},
			{"logging.loggers.root.level", "information"},
		};
	}

	std::string logFile(const std::string& name = "xqueue.log")
	{
		return readFile(_logs.file(name));
	}

	TempDir _logs;
	FakeGrader _grader;
};


TEST_F(OperationsTest, LivenessAndReadiness)
{
	TestClient c = anonymous();
	Reply live = c.get("/healthz");
	EXPECT_EQ(live.status, 200);
	EXPECT_EQ(live.body, "ok\n");
	Reply ready = c.get("/readyz");
	EXPECT_EQ(ready.status, 200);
	EXPECT_EQ(ready.body, "ready\n");
}


TEST_F(OperationsTest, MetricsCountScriptedTraffic)
{
	TestClient c = loggedIn();
	for (int i = 0; i < 3; ++i) submit(c, lms().callbackUrl("m/" + std::to_string(i)));
	c.postMultipart("/xqueue/submit/", {{"xqueue_header", header(lms().callbackUrl("m/x"))}, {"xqueue_body", "{}"}}, {{std::string("a\0b", 3), "f", "x"}});
	TestClient g = loggedIn("grader", "graderpass");
	auto p = pull(g);
	ASSERT_TRUE(p);
	putResult(g, p->header, "{\"correct\": true, \"score\": 1, \"msg\": \"\"}");
	putResult(g, p->header, "{\"correct\": true, \"score\": 1, \"msg\": \"\"}");
	submit(c, lms().callbackUrl("m/push"), "{}", "push");
	ASSERT_TRUE(lms().waitForCount(2, 10s));
	// The queue gauges come from the store's last reading (every xqueue.metrics.store_interval).
	Reply r;
	for (auto until = std::chrono::steady_clock::now() + 5s; std::chrono::steady_clock::now() < until; std::this_thread::sleep_for(50ms))
	{
		r = anonymous().get("/metrics");
		if (metricValue(r.body, "xqueue_queue_pending{queue=\"tmp\"}") == 2) break;
	}
	ASSERT_EQ(r.status, 200);
	EXPECT_EQ(r.header("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
	const std::string& m = r.body;
	EXPECT_EQ(metricValue(m, "xqueue_queue_pending{queue=\"tmp\"}"), 2) << m;
	EXPECT_EQ(metricValue(m, "xqueue_queue_in_flight{queue=\"tmp\"}"), 0);
	EXPECT_EQ(metricValue(m, "xqueue_queue_pending{queue=\"push\"}"), 0);
	EXPECT_GE(metricValue(m, "xqueue_queue_oldest_pending_age_seconds{queue=\"tmp\"}"), 0);
	EXPECT_EQ(metricValue(m, "xqueue_queue_paused{queue=\"tmp\"}"), 0);
	EXPECT_EQ(metricValue(m, "xqueue_submissions_total{queue=\"tmp\",outcome=\"accepted\"}"), 3);
	EXPECT_EQ(metricValue(m, "xqueue_submissions_total{queue=\"tmp\",outcome=\"refused_upload\"}"), 1);
	EXPECT_EQ(metricValue(m, "xqueue_results_total{outcome=\"accepted\"}"), 1);
	EXPECT_EQ(metricValue(m, "xqueue_results_total{outcome=\"duplicate\"}"), 1);
	EXPECT_EQ(metricValue(m, "xqueue_gradings_total{queue=\"push\",plugin=\"http_push\",outcome=\"graded\"}"), 1);
	EXPECT_EQ(metricValue(m, "xqueue_grading_duration_seconds_count{queue=\"push\"}"), 1);
	EXPECT_EQ(metricValue(m, "xqueue_deliveries_total{kind=\"grade\",outcome=\"delivered\"}"), 2);
	EXPECT_EQ(metricValue(m, "xqueue_end_to_end_seconds_count"), 2);
	EXPECT_EQ(metricValue(m, "xqueue_http_requests_total{route=\"/xqueue/submit/\",status=\"200\"}"), 5);
	EXPECT_EQ(metricValue(m, "xqueue_http_requests_total{route=\"/xqueue/get_submission/\",status=\"200\"}"), 1);
	EXPECT_EQ(metricValue(m, "xqueue_http_request_duration_seconds_bucket{route=\"/xqueue/submit/\",le=\"+Inf\"}"), 5);
	EXPECT_NE(m.find("# TYPE xqueue_http_request_duration_seconds histogram"), std::string::npos);
	anonymous().get("/no/such/path/42");
	EXPECT_EQ(metricValue(anonymous().get("/metrics").body, "xqueue_http_requests_total{route=\"other\",status=\"404\"}"), 1)
		<< "unknown paths share one label";
	Reply dashboard = anonymous().get("/xqueue/dashboard/api/queues");
	EXPECT_EQ(metricValue(anonymous().get("/metrics").body, "xqueue_http_requests_total{route=\"/xqueue/dashboard/\",status=\"" +
		std::to_string(dashboard.status) + "\"}"), 1) << "the dashboard has its own label";
}


TEST_F(OperationsTest, MetricsShowTheProcessLikeEveryExporter)
{
	// (The fixture logged in no one with a wrong password: every failed-login count is 0.)
	std::string metrics = anonymous().get("/metrics").body;
	EXPECT_GT(metricValue(metrics, "process_resident_memory_bytes"), 1 << 20) << metrics;
	EXPECT_LT(metricValue(metrics, "process_resident_memory_bytes"), 1LL << 34);
	EXPECT_GE(metricValue(metrics, "process_cpu_seconds_total"), 0);
	EXPECT_GT(metricValue(metrics, "process_open_fds"), 3);
	EXPECT_GE(metricValue(metrics, "process_max_fds"), metricValue(metrics, "process_open_fds"));
	double started = metricValue(metrics, "process_start_time_seconds");
	double now = static_cast<double>(std::time(nullptr));
	EXPECT_GT(started, now - 120) << "started moments ago";
	EXPECT_LE(started, now + 2);
	EXPECT_NE(metrics.find("# TYPE process_cpu_seconds_total counter\n"), std::string::npos);
	EXPECT_EQ(metricValue(metrics, "xqueue_build_info{version=\"" + std::string(XQUEUE_VERSION_TEXT) + "\",plugin_abi=\"1.1\"}"), 1) << metrics;
	EXPECT_EQ(metricValue(metrics, "xqueue_logins_total{outcome=\"failed\"}"), 0) << "counters exist at 0 from the start";
	// The whole exposition as Prometheus itself reads it.
	std::ofstream(_logs.file("metrics.txt")) << metrics;
	EXPECT_EQ(std::system(("promtool check metrics < '" + _logs.file("metrics.txt") + "' > '" + _logs.file("promtool.out") + "' 2>&1").c_str()), 0)
		<< logFile("promtool.out");
}


TEST(OperationsJsonLogTest, LogLinesCanBeJson)
{
	TempDir logs;
	TestServer server({{"logging.formatters.json.class", "JsonFormatter"},
		{"logging.channels.file.class", "FileChannel"},
		{"logging.channels.file.path", logs.file("xqueue.log")},
		{"logging.channels.file.formatter", "json"},
		{"logging.loggers.root.channel", "file"},
		{"logging.loggers.root.level", "information"}});
	server.createUser("lms", "pw");
	server.start();
	TestClient(server.port()).get("/not-here%22quoted");
	std::this_thread::sleep_for(200ms);
	std::ifstream in(logs.file("xqueue.log"));
	std::size_t lines = 0;
	bool sawRequest = false;
	for (std::string line; std::getline(in, line); ++lines)
	{
		Poco::JSON::Parser parser;
		Poco::JSON::Object::Ptr entry;
		ASSERT_NO_THROW(entry = parser.parse(line).extract<Poco::JSON::Object::Ptr>()) << line;
		for (const char* field: {"time", "level", "logger", "message", "pid", "thread"}) EXPECT_TRUE(entry->has(field)) << field << " in " << line;
		if (entry->getValue<std::string>("logger") == "xqueue.http.requests" && entry->getValue<std::string>("message").find("404") != std::string::npos)
			sawRequest = true;
	}
	EXPECT_GT(lines, 3u);
	EXPECT_TRUE(sawRequest);
}


TEST_F(OperationsTest, MetricsAreOnlyForAllowedAddresses)
{
	TestServer restricted(TestServer::Properties{{"xqueue.metrics.allow_from", "10.0.0.0/8, fd00::/8"}});
	restricted.start();
	Reply r = TestClient(restricted.port()).get("/metrics");
	EXPECT_EQ(r.status, 403);
	EXPECT_EQ(r.body, "metrics are not served to this address (xqueue.metrics.allow_from)\n");
	TestServer wrong(TestServer::Properties{{"xqueue.metrics.allow_from", "10.0.0.0/33"}});
	EXPECT_EQ(wrong.startExpectingFailure(), 78);
	EXPECT_NE(wrong.log().find("xqueue.metrics.allow_from: not an address or prefix: 10.0.0.0/33"), std::string::npos) << wrong.log();
}


TEST_F(OperationsTest, OneLogLinePerRequestWithoutSecrets)
{
	TestClient c = loggedIn();
	const std::string secretAnswer = "def secret_student_answer(): return 42";
	Reply r = submit(c, lms().callbackUrl("log/1"), "{\"student_response\": \"" + secretAnswer + "\"}");
	ASSERT_EQ(r.body, envelope(0, "1"));
	TestClient g = loggedIn("grader", "graderpass");
	auto p = pull(g);
	ASSERT_TRUE(p);
	putResult(g, p->header, "{\"correct\": false, \"score\": 0, \"msg\": \"secret grade message\"}");
	ASSERT_TRUE(lms().waitForCount(1, 10s));
	std::this_thread::sleep_for(200ms);
	std::string log = logFile();
	EXPECT_TRUE(std::regex_search(log, std::regex("POST /xqueue/submit/ 200 [0-9.]+ms queue=tmp submission=1 client=127.0.0.1 user=lms\n"))) << log;
	EXPECT_TRUE(std::regex_search(log, std::regex("GET /xqueue/get_submission/ 200 [0-9.]+ms queue=tmp submission=1 client=127.0.0.1 user=grader\n"))) << log;
	EXPECT_TRUE(std::regex_search(log, std::regex("POST /xqueue/put_result/ 200 [0-9.]+ms submission=1 client=127.0.0.1 user=grader\n"))) << log;
	EXPECT_TRUE(std::regex_search(log, std::regex("POST /xqueue/login/ 200 [0-9.]+ms login=lms client=127.0.0.1\n"))) << log;
	// A failed login says who tried and from where; probes and scrapes stay out (debug).
	EXPECT_FALSE(TestClient(server().port()).login("lms", "wrong"));
	anonymous().get("/healthz");
	anonymous().get("/metrics");
	std::this_thread::sleep_for(200ms);
	log = logFile();
	EXPECT_TRUE(std::regex_search(log, std::regex("POST /xqueue/login/ 200 [0-9.]+ms login=lms outcome=failed client=127.0.0.1\n"))) << log;
	EXPECT_EQ(log.find("GET /healthz"), std::string::npos);
	EXPECT_EQ(log.find("GET /metrics"), std::string::npos);
	for (const std::string& secret: {secretAnswer, std::string("secret grade message"), std::string("lmspass"), std::string("graderpass"),
		c.sessionCookie(), g.sessionCookie(), p->key})
	{
		EXPECT_EQ(log.find(secret), std::string::npos) << "logged: " << secret;
	}
}


TEST_F(OperationsTest, ClientTextCannotForgeLogLines)
{
	// A queue name is the client's text: with CR/LF in it, it used to write a line of its own.
	TestClient c = loggedIn();
	std::string header = "{\"lms_callback_url\": \"" + lms().callbackUrl("1/b") +
		"\", \"lms_key\": \"k\", \"queue_name\": \"tmp\\r\\nPOST /xqueue/put_result/ 200 0.1ms forged\\u001b[2J\"}";
	ASSERT_EQ(parseEnvelope(c.post("/xqueue/submit/", {{"xqueue_header", header}, {"xqueue_body", "{}"}}).body).returnCode, 1);
	std::this_thread::sleep_for(200ms);
	std::string log = logFile();
	EXPECT_EQ(log.find("\nPOST /xqueue/put_result/ 200 0.1ms forged"), std::string::npos) << log;
	EXPECT_EQ(log.find('\x1b'), std::string::npos) << "no terminal escape reaches the log";
	EXPECT_NE(log.find("queue=tmp\\x0d\\x0aPOST /xqueue/put_result/ 200 0.1ms forged\\x1b[2J"), std::string::npos) << log;
}


TEST_F(OperationsTest, LogrotateAndSighupReopenAFileChannelWithAFormatter)
{
	anonymous().get("/xqueue/login/");
	// A real logrotate run, as the documented configuration has it (docs/operations.md).
	std::ofstream(_logs.file("logrotate.conf")) << _logs.file("xqueue.log") << " {\n  rotate 2\n  nocompress\n  missingok\n"
		"  postrotate\n    kill -HUP " << server().pid() << "\n  endscript\n}\n";
	ASSERT_EQ(std::system(("/usr/sbin/logrotate -f -s " + _logs.file("state") + " " + _logs.file("logrotate.conf")).c_str()), 0);
	std::this_thread::sleep_for(300ms);
	anonymous().get("/after-rotation");
	std::this_thread::sleep_for(100ms);
	EXPECT_NE(logFile().find("GET /after-rotation 404"), std::string::npos) << "a new file after SIGHUP";
	EXPECT_NE(logFile("xqueue.log.1").find("GET /xqueue/login/ 200"), std::string::npos);
	EXPECT_EQ(logFile("xqueue.log.1").find("GET /after-rotation"), std::string::npos);
}


TEST_F(OperationsTest, SigtermDrainsWithoutLosingWork)
{
	// Three gradings in flight (the grader takes 1 s) and a pending pull submission: on
	// SIGTERM the host reports unready, keeps serving through the drain delay, finishes
	// the gradings, delivers their results and exits 0; nothing is lost or repeated.
	_grader.answerWith(GraderAnswer{200, "{\"correct\": true, \"score\": 1, \"msg\": \"ok\"}", 1000});
	TestClient c = loggedIn();
	for (int i = 0; i < 3; ++i) submit(c, lms().callbackUrl("drain/" + std::to_string(i)), "{}", "push");
	submit(c, lms().callbackUrl("drain/pull"));
	ASSERT_TRUE(_grader.waitForCount(3, 5s));
	::kill(server().pid(), SIGTERM);
	std::this_thread::sleep_for(300ms);
	Reply unready = anonymous().get("/readyz");
	EXPECT_EQ(unready.status, 503);
	EXPECT_EQ(unready.body, "not ready: draining for shutdown\n");
	EXPECT_EQ(anonymous().get("/healthz").status, 200) << "still serving during the drain delay";
	EXPECT_EQ(server().terminate(), 0);
	EXPECT_EQ(lms().count(), 3u) << "the three results were delivered before the exit";
	server().start();
	TestClient g = loggedIn("grader", "graderpass");
	EXPECT_TRUE(pull(g)) << "the pending submission is still there";
	std::this_thread::sleep_for(500ms);
	EXPECT_EQ(lms().count(), 3u);
	EXPECT_EQ(_grader.count(), 3u) << "no grading repeated";
}


} // namespace
