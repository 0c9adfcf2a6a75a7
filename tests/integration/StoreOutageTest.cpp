// SPDX-License-Identifier: Apache-2.0
//
// StoreOutageTest.cpp
//
// A MariaDB server of the test's own, stopped and started under a running host:
// /readyz turns 503 while the store is gone and 200 again when it is back, requests get
// the 503 envelope meanwhile, and the host recovers without a restart. Under load
// (reliability F5): no acknowledged submission is lost to a SIGKILL of the database.
//


#include "ServerFixture.h"
#include "Poco/File.h"
#include "Poco/Process.h"
#include <csignal>
#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>


using namespace XQueueTest;
using namespace std::chrono_literals;


namespace {


class PrivateMariaDb
	/// mariadbd on a scratch data directory and a free loopback port.
{
public:
	PrivateMariaDb():
		_port(TestServer::freePort())
	{
		// A temporary directory of its own: mariadbd removes every #sql* file in its tmpdir
		// when it starts, which in a shared /tmp are other servers' live temporary tables
		// (two installs at once failed with "Unknown table 'mysql.tmp_user_sys'").
		Poco::File(_dir.file("tmp")).createDirectory();
		std::string command = "mariadb-install-db --user=root --datadir=" + _dir.file("data") + " --tmpdir=" + _dir.file("tmp") +
			" --auth-root-authentication-method=normal --skip-test-db >" + _dir.file("install.log") + " 2>&1";
		if (std::system(command.c_str()) != 0) fail("mariadb-install-db failed", "install.log");
		for (int attempt = 1; ; ++attempt)
		{
			try
			{
				start();
				break;
			}
			catch (std::runtime_error& e)
			{
				// The port was free when chosen; another test's connection may have taken
				// it since. A restart later must keep the port (the host is configured with it).
				if (attempt == 3 || std::string(e.what()).find("Address already in use") == std::string::npos) throw;
				_port = TestServer::freePort();
			}
		}
		try
		{
			createDatabase();
		}
		catch (...)
		{
			kill(); // the destructor does not run for a half-built object
			throw;
		}
	}

	~PrivateMariaDb()
	{
		kill();
	}

	static bool available()
	{
		return Poco::File("/usr/sbin/mariadbd").exists() && ::geteuid() == 0;
	}

	void start()
	{
		std::string command = "exec /usr/sbin/mariadbd --user=root --datadir=" + _dir.file("data") + " --tmpdir=" + _dir.file("tmp") +
			" --socket=" + _dir.file("s.sock") + " --port=" + std::to_string(_port) + " --bind-address=127.0.0.1 --skip-name-resolve >>" + _dir.file("server.log") + " 2>&1";
		_pProcess = std::make_unique<Poco::ProcessHandle>(Poco::Process::launch("/bin/sh", {"-c", command}));
		for (int i = 0; i < 300 && !Poco::File(_dir.file("s.sock")).exists(); ++i)
		{
			if (TestServer::reap(*_pProcess))
			{
				// It gave up (e.g. the port was taken meanwhile): say so now, not in 30 s.
				_pProcess.reset();
				fail("mariadbd exited at start", "server.log");
			}
			std::this_thread::sleep_for(100ms);
		}
		if (!Poco::File(_dir.file("s.sock")).exists())
		{
			kill();
			fail("mariadbd did not start", "server.log");
		}
	}

	void freeze()
		/// SIGSTOP: connections stay open (the kernel still accepts and acknowledges),
		/// nothing is answered — what a partition or a hung server looks like to a client.
	{
		if (_pProcess) ::kill(_pProcess->id(), SIGSTOP);
	}

	void thaw()
	{
		if (_pProcess) ::kill(_pProcess->id(), SIGCONT);
	}

	void kill()
	{
		thaw();
		if (!_pProcess) return;
		Poco::Process::kill(*_pProcess);
		_pProcess->wait();
		_pProcess.reset();
		Poco::File socket(_dir.file("s.sock"));
		if (socket.exists()) socket.remove();
	}

	std::string connection() const
	{
		return "host=127.0.0.1;port=" + std::to_string(_port) + ";user=xq;password=xq-pass;db=xqueue";
	}

private:
	void createDatabase()
	{
		std::string command = "mariadb --socket=" + _dir.file("s.sock") + " -uroot -e \"CREATE DATABASE IF NOT EXISTS xqueue; "
			"CREATE USER IF NOT EXISTS 'xq'@'127.0.0.1' IDENTIFIED BY 'xq-pass'; GRANT ALL ON xqueue.* TO 'xq'@'127.0.0.1';\" >" + _dir.file("client.log") + " 2>&1";
		// The socket file exists from bind(); until listen() a connect is refused: retry briefly.
		bool created = false;
		for (int i = 0; i < 50 && !(created = std::system(command.c_str()) == 0); ++i) std::this_thread::sleep_for(100ms);
		if (!created) fail("cannot create the database", "client.log");
	}

	[[noreturn]] void fail(const std::string& what, const std::string& log) const
		/// std::runtime_error, not a Poco exception: GoogleTest prints what(), and the
		/// log is what tells a failed start in CI apart.
	{
		throw std::runtime_error(what + "; " + log + ":\n" + readFile(_dir.file(log)));
	}

	TempDir _dir;
	int _port;
	std::unique_ptr<Poco::ProcessHandle> _pProcess;
};


std::unique_ptr<TestServer> serverOn(PrivateMariaDb& database, TestServer::Properties properties = {})
	/// A host on the private database, with the users "lms" and "grader".
{
	properties["xqueue.store.connector"] = "mysql";
	properties["xqueue.store.connection"] = database.connection();
	properties["xqueue.store.sqlite.synchronous"] = "";
	auto pServer = std::make_unique<TestServer>(properties);
	pServer->createUser("lms", "lmspass");
	pServer->createUser("grader", "graderpass");
	pServer->start();
	return pServer;
}


TEST(StoreOutageTest, ReadinessFollowsTheStoreAndTheHostRecoversWithoutARestart)
{
	if (!PrivateMariaDb::available()) GTEST_SKIP() << "needs mariadbd and root (as CI has)";
	PrivateMariaDb database;
	auto pServer = serverOn(database);
	TestServer& server = *pServer;
	TestClient probe(server.port());
	EXPECT_EQ(probe.get("/readyz").status, 200);
	TestClient lms(server.port());
	ASSERT_TRUE(lms.login("lms", "lmspass"));

	database.kill(); // SIGKILL: the store is gone
	Reply unready;
	for (int i = 0; i < 50; ++i)
	{
		unready = probe.get("/readyz");
		if (unready.status == 503) break;
		std::this_thread::sleep_for(100ms);
	}
	EXPECT_EQ(unready.status, 503);
	EXPECT_EQ(unready.body.rfind("not ready: store unreachable", 0), 0u) << unready.body;
	EXPECT_EQ(probe.get("/healthz").status, 200) << "alive all the same";
	std::string metrics = probe.get("/metrics").body;
	EXPECT_EQ(metricValue(metrics, "xqueue_store_up"), 0) << metrics;
	Reply during = lms.get("/xqueue/get_queuelen/?queue_name=tmp");
	EXPECT_EQ(during.status, 503);
	EXPECT_EQ(during.body, "{\"return_code\": 1, \"content\": \"The queue is temporarily unavailable. Please try again.\"}");

	database.start();
	Reply ready;
	for (int i = 0; i < 100; ++i)
	{
		ready = probe.get("/readyz");
		if (ready.status == 200) break;
		std::this_thread::sleep_for(100ms);
	}
	EXPECT_EQ(ready.status, 200) << ready.body;
	EXPECT_EQ(lms.post("/xqueue/submit/", {{"xqueue_header", "{\"lms_callback_url\": \"http://127.0.0.1:9/cb\", \"lms_key\": \"k\", \"queue_name\": \"tmp\"}"},
		{"xqueue_body", "{}"}}).body, "{\"return_code\": 0, \"content\": \"1\"}") << "the session outlived the outage";
}


TEST(StoreOutageTest, NoAcknowledgedSubmitIsLostWhenTheDatabaseIsKilledUnderLoad)
{
	if (!PrivateMariaDb::available()) GTEST_SKIP() << "needs mariadbd and root (as CI has)";
	PrivateMariaDb database;
	auto pServer = serverOn(database);
	TestServer& server = *pServer;

	std::mutex mutex;
	std::set<std::string> acknowledged;
	std::map<int, int> statuses;
	std::atomic<bool> stop{false};
	std::atomic<int> afterRestart{0};
	std::atomic<bool> restarted{false};
	std::vector<std::thread> submitters;
	for (int t = 0; t < 4; ++t)
	{
		submitters.emplace_back([&, t]() {
			TestClient client(server.port());
			if (!client.login("lms", "lmspass")) return;
			for (int i = 0; !stop; ++i)
			{
				std::string body = "t" + std::to_string(t) + "-" + std::to_string(i);
				Reply reply;
				try
				{
					reply = client.post("/xqueue/submit/", {{"xqueue_header", "{\"lms_callback_url\": \"http://127.0.0.1:9/" + body +
						"\", \"lms_key\": \"k\", \"queue_name\": \"tmp\"}"}, {"xqueue_body", body}});
				}
				catch (Poco::Exception&)
				{
					continue;
				}
				std::lock_guard<std::mutex> lock(mutex);
				++statuses[reply.status];
				if (reply.status == 200 && parseEnvelope(reply.body).returnCode == 0)
				{
					acknowledged.insert(body);
					if (restarted) ++afterRestart;
				}
				else if (reply.status != 503)
				{
					ADD_FAILURE() << "HTTP " << reply.status << ": " << reply.body;
				}
				if (reply.status == 503) std::this_thread::sleep_for(20ms);
			}
		});
	}
	std::this_thread::sleep_for(700ms);
	database.kill(); // SIGKILL mid-load: some commits are in flight
	std::this_thread::sleep_for(2s);
	TestClient probe(server.port());
	auto askedAt = std::chrono::steady_clock::now();
	EXPECT_EQ(probe.get("/healthz").status, 200);
	EXPECT_LT(std::chrono::steady_clock::now() - askedAt, 1s) << "request threads are not piled up on the dead store";
	database.start();
	restarted = true;
	auto back = std::chrono::steady_clock::now();
	while (afterRestart < 20 && std::chrono::steady_clock::now() - back < 20s) std::this_thread::sleep_for(50ms);
	auto recovery = std::chrono::steady_clock::now() - back;
	stop = true;
	for (auto& t: submitters) t.join();
	EXPECT_GE(afterRestart, 20) << "submits succeed again once the database is back";
	EXPECT_GT(statuses[503], 0) << "the outage was seen";

	TestClient grader(server.port());
	ASSERT_TRUE(grader.login("grader", "graderpass"));
	std::set<std::string> stored;
	for (;;)
	{
		Reply reply = grader.get("/xqueue/get_submission/?queue_name=tmp");
		Envelope e = parseEnvelope(reply.body);
		if (e.returnCode != 0) break;
		Poco::JSON::Parser parser;
		stored.insert(parser.parse(e.content.extract<std::string>()).extract<Poco::JSON::Object::Ptr>()->getValue<std::string>("xqueue_body"));
	}
	std::size_t lost = 0;
	for (const auto& body: acknowledged)
	{
		if (!stored.count(body)) ++lost;
	}
	EXPECT_EQ(lost, 0u) << "acknowledged submissions lost to the database's SIGKILL";
	std::cout << "[ figures  ] " << acknowledged.size() << " submissions acknowledged, " << statuses[503] << " answered 503 during the outage, "
		<< stored.size() << " stored, " << lost << " lost; submits succeeded again "
		<< std::chrono::duration_cast<std::chrono::milliseconds>(recovery).count() << " ms after mariadbd was restarted\n";
}


TEST(StoreOutageTest, AFrozenDatabaseFailsRequestsWithinTheReadTimeout)
{
	// Reliability F8 from the host's side: the database stops answering without closing
	// anything (a partition, a hung server). Requests must fail with the 503 envelope
	// after xqueue.store.read_timeout (+ one reconnect attempt), not hang.
	if (!PrivateMariaDb::available()) GTEST_SKIP() << "needs mariadbd and root (as CI has)";
	PrivateMariaDb database;
	auto pServer = serverOn(database, {{"xqueue.store.read_timeout", "2"}});
	TestClient lms(pServer->port());
	ASSERT_TRUE(lms.login("lms", "lmspass"));
	const Fields submission = {{"xqueue_header", "{\"lms_callback_url\": \"http://127.0.0.1:9/cb\", \"lms_key\": \"k\", \"queue_name\": \"tmp\"}"},
		{"xqueue_body", "{}"}};
	ASSERT_EQ(parseEnvelope(lms.post("/xqueue/submit/", submission).body).returnCode, 0);
	TestClient scraper(pServer->port());
	for (int i = 0; i < 50 && metricValue(scraper.get("/metrics").body, "xqueue_queue_pending{queue=\"tmp\"}") != 1; ++i)
		std::this_thread::sleep_for(100ms); // a reading that saw it

	database.freeze();
	std::vector<std::thread> clients;
	std::atomic<int> unavailable{0};
	std::atomic<long long> slowestMs{0};
	for (int i = 0; i < 4; ++i)
	{
		clients.emplace_back([&]() {
			TestClient client(pServer->port());
			client.setSessionCookie(lms.sessionCookie());
			auto started = std::chrono::steady_clock::now();
			Reply reply;
			try
			{
				reply = client.get("/xqueue/get_queuelen/?queue_name=tmp");
			}
			catch (Poco::Exception&)
			{
				// the client gave up waiting: counted as not unavailable
			}
			long long ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
			if (ms > slowestMs) slowestMs = ms;
			if (reply.status == 503) ++unavailable;
		});
	}
	TestClient probe(pServer->port());
	auto asked = std::chrono::steady_clock::now();
	EXPECT_EQ(probe.get("/healthz").status, 200);
	EXPECT_LT(std::chrono::steady_clock::now() - asked, 1s) << "liveness does not wait for the database";
	for (auto& t: clients) t.join();
	EXPECT_EQ(unavailable, 4) << "every request failed cleanly";
	// Meanwhile /metrics and /readyz answer at once, from the store's last reading: the
	// counters an alert needs are there, the reading's age shows it is stale.
	auto scraped = std::chrono::steady_clock::now();
	Reply metrics = probe.get("/metrics");
	EXPECT_LT(std::chrono::steady_clock::now() - scraped, 1s) << "metrics never wait for the database";
	EXPECT_EQ(metrics.status, 200);
	EXPECT_GE(metricValue(metrics.body, "xqueue_store_errors_total"), 4) << metrics.body;
	EXPECT_GE(metricValue(metrics.body, "xqueue_store_reading_age_seconds"), 2) << metrics.body;
	EXPECT_EQ(metricValue(metrics.body, "xqueue_queue_pending{queue=\"tmp\"}"), 1) << "the last reading's value";
	Reply unready;
	for (auto until = std::chrono::steady_clock::now() + 10s; std::chrono::steady_clock::now() < until; std::this_thread::sleep_for(200ms))
	{
		auto asked2 = std::chrono::steady_clock::now();
		unready = probe.get("/readyz");
		EXPECT_LT(std::chrono::steady_clock::now() - asked2, 1s) << "readiness does not wait for the database";
		if (unready.status == 503) break; // once the reading is 5 s old
	}
	EXPECT_EQ(unready.status, 503) << unready.body;
	EXPECT_EQ(unready.body.rfind("not ready: ", 0), 0u) << unready.body;
	EXPECT_LT(slowestMs, 12000) << "read_timeout 2 s, plus a reconnect bounded by the 5 s login timeout";

	database.thaw();
	Reply after;
	for (int i = 0; i < 50; ++i)
	{
		after = lms.post("/xqueue/submit/", submission);
		if (after.status == 200) break;
		std::this_thread::sleep_for(200ms);
	}
	EXPECT_EQ(parseEnvelope(after.body).returnCode, 0) << after.body;
	std::cout << "[ figures  ] database frozen: 4 requests answered 503, the slowest after " << slowestMs << " ms (read_timeout 2 s)\n";
}


} // namespace
