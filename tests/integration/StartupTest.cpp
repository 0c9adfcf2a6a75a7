// SPDX-License-Identifier: Apache-2.0
//
// StartupTest.cpp
//
// The server refuses bad configuration with one clear line, and stops cleanly;
// xqueue-admin manages users.
//


#include "SchemaRewind.h"
#include "ServerFixture.h"
#include "store/Database.h"
#include "Poco/FileStream.h"
#include "Poco/Net/ServerSocket.h"
#include <fstream>
#include <sstream>
#include <sys/wait.h>
#include <thread>
#include <vector>


using namespace XQueueTest;


namespace {


TEST(StartupTest, UnknownKeyIsNamedAndTheServerRefusesToStart)
{
	TestServer server(TestServer::Properties{{"xqueue.http.prot", "80"}});
	EXPECT_NE(server.startExpectingFailure(), 0);
	EXPECT_NE(server.log().find("configuration error: unknown configuration key: xqueue.http.prot"), std::string::npos) << server.log();
}


TEST(StartupTest, MalformedValueIsNamed)
{
	TestServer server(TestServer::Properties{{"xqueue.processing_delay", "soon"}});
	EXPECT_NE(server.startExpectingFailure(), 0);
	EXPECT_NE(server.log().find("xqueue.processing_delay: expected an integer, found 'soon'"), std::string::npos) << server.log();
}


TEST(StartupTest, UnknownPluginIsNamed)
{
	TestServer server(TestServer::Properties{{"xqueue.queues.push.plugin", "http_pusher"}});
	EXPECT_NE(server.startExpectingFailure(), 0);
	EXPECT_NE(server.log().find("xqueue-server: plugin 'http_pusher' (" + std::string(XQUEUE_PLUGIN_DIR) + "/xq_http_pusher.so): file not found\n"),
		std::string::npos) << server.log();
}


TEST(StartupTest, MissingDatabaseDirectoryFailsFast)
{
	if (testingMySql()) GTEST_SKIP() << "an SQLite database file's directory";
	TestServer server(TestServer::Properties{{"xqueue.store.connection", "/nonexistent-dir/xq.sqlite"}});
	auto started = std::chrono::steady_clock::now();
	EXPECT_NE(server.startExpectingFailure(), 0);
	EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));
	EXPECT_NE(server.log().find("database directory does not exist: /nonexistent-dir/"), std::string::npos) << server.log();
}


TEST(StartupTest, PortInUseIsReported)
{
	Poco::Net::ServerSocket taken(Poco::Net::SocketAddress("127.0.0.1", 0));
	TestServer server(TestServer::Properties{{"xqueue.http.port", std::to_string(taken.address().port())}});
	EXPECT_NE(server.startExpectingFailure(), 0);
	EXPECT_NE(server.log().find("cannot listen on 127.0.0.1:" + std::to_string(taken.address().port())), std::string::npos) << server.log();
}


TEST(StartupTest, TheTestHarnessNeverTakesAnotherServerForItsOwn)
{
	// Tests run in parallel: the free port a TestServer picked may be taken (by another
	// test's server, which would then answer our probe) before ours binds it. The harness
	// waits for its own server's "listening" line and starts it again on another port.
	TestServer server(TestServer::Properties{});
	const int picked = server.port();
	Poco::Net::ServerSocket squatter(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(picked)));
	server.start();
	EXPECT_NE(server.port(), picked);
	EXPECT_NE(server.log().find("cannot listen on 127.0.0.1:" + std::to_string(picked)), std::string::npos) << server.log();
	TestClient client(server.port());
	EXPECT_EQ(client.get("/xqueue/status/").status, 200);
}


TEST(StartupTest, MissingConfigurationFileIsReported)
{
	TempDir dir;
	std::string log = dir.file("out.log");
	std::string command = std::string(XQUEUE_SERVER_PATH) + " --config-file=" + dir.file("absent.properties") + " >" + log + " 2>&1";
	int status = std::system(command.c_str());
	EXPECT_NE(WEXITSTATUS(status), 0);
	std::string command2 = std::string(XQUEUE_SERVER_PATH) + " >" + log + " 2>&1";
	EXPECT_NE(WEXITSTATUS(std::system(command2.c_str())), 0);
}


TEST(StartupTest, DefineOverridesTheConfigurationFiles)
{
	TestServer server(TestServer::Properties{{"xqueue.queues.tmp.name", "from-file"}});
	server.addArgument("--define=xqueue.queues.tmp.name=renamed");
	server.addArgument("--define=xqueue.queues.extra.plugin=pull_rest");
	server.createUser("lms", "pw");
	server.start();
	TestClient c(server.port());
	ASSERT_TRUE(c.login("lms", "pw"));
	EXPECT_EQ(c.get("/xqueue/get_queuelen/?queue_name=nope").body, envelope(1, "Valid queue names are: extra, other, renamed"));
}


TEST(StartupTest, TheEnvironmentConfiguresWhatTheFileDoesNotAndDefineWins)
{
	// For containers: XQUEUE_<KEY> for the documented keys, XQUEUE__A__B for any key; a
	// --define wins over the environment, the environment over the file.
	TestServer server(TestServer::Properties{{"xqueue.http.max_form_fields", "50"}});
	server.runUnder("env XQUEUE_HTTP_MAX_FORM_FIELDS=3 XQUEUE__QUEUES__ENVQ__PLUGIN=pull_rest XQUEUE__QUEUES__ENVQ__NAME=from-env"
		" XQUEUE_TEST_UNRELATED=1");
	server.addArgument("--define=xqueue.queues.envq.name=from-define");
	server.createUser("lms", "pw");
	server.start();
	TestClient c(server.port());
	ASSERT_TRUE(c.login("lms", "pw"));
	EXPECT_EQ(c.get("/xqueue/get_queuelen/?queue_name=from-define").body, "{\"return_code\": 0, \"content\": 0}") << "declared in the environment, named by --define";
	EXPECT_NE(c.get("/xqueue/get_queuelen/?queue_name=from-env").body, "{\"return_code\": 0, \"content\": 0}");
	Reply tooMany = c.post("/xqueue/submit/", {{"a", "1"}, {"b", "2"}, {"c", "3"}, {"d", "4"}});
	EXPECT_EQ(tooMany.status, 400) << tooMany.body;
	EXPECT_NE(tooMany.body.find("the limit is 3"), std::string::npos) << "XQUEUE_HTTP_MAX_FORM_FIELDS over the file: " << tooMany.body;

	TestServer refused;
	refused.runUnder("env XQUEUE__HTTP__BOGUS=1");
	EXPECT_EQ(refused.startExpectingFailure(), 78);
	EXPECT_NE(refused.log().find("unknown configuration key: xqueue.http.bogus"), std::string::npos) << refused.log();
}


TEST(StartupTest, SigtermStopsCleanlyWithExitZero)
{
	TestServer server;
	server.start();
	EXPECT_EQ(server.terminate(), 0);
	EXPECT_NE(server.log().find("stopped"), std::string::npos) << server.log();
}


std::string schemaLagAt(int version)
{
	return "the store's schema is at version " + std::to_string(version) + "; this build needs " +
		std::to_string(XQueue::Database::latestSchemaVersion());
}


TEST(StartupTest, AnOlderSchemaIsMigratedOnlyByTheExplicitStepWhenSoConfigured)
{
	TestServer server(TestServer::Properties{{"xqueue.store.migrate", "explicit"}});
	std::string out;
	EXPECT_EQ(server.admin("user set lms", "pw\n", &out), 0) << "a new database gets its schema whatever the setting: " << out;
	XQueueTest::rewindSchemaTo(*XQueue::Database::open(server.databaseOptions()), 2);

	EXPECT_EQ(server.admin("user list", "", &out), 78) << "EX_CONFIG, as the server";
	EXPECT_NE(out.find(schemaLagAt(2) + ": run  xqueue-admin migrate  first"), std::string::npos) << out;
	EXPECT_NE(server.startExpectingFailure(), 0);
	EXPECT_NE(server.log().find(schemaLagAt(2) + ": run  xqueue-admin migrate  first (xqueue.store.migrate = explicit)"), std::string::npos)
		<< server.log();

	EXPECT_EQ(server.admin("migrate --check", "", &out), 1);
	EXPECT_EQ(server.admin("migrate", "", &out), 0);
	EXPECT_EQ(out, "schema migrated from version 2 to " + std::to_string(XQueue::Database::latestSchemaVersion()) + "\n");
	EXPECT_EQ(server.admin("migrate --check", "", &out), 0) << out;
	EXPECT_EQ(server.admin("migrate", "", &out), 0);
	EXPECT_NE(out.find("nothing to do"), std::string::npos) << out;
	server.createUser("lms", "pw");
	server.start();
	TestClient c(server.port());
	EXPECT_TRUE(c.login("lms", "pw"));
}


TEST(StartupTest, AnyNumberOfProcessesMayMigrateAtOnce)
{
	// Admin commands started together on a new store (any command creates the schema),
	// then `migrate`s on one that is behind: one migrates, the others wait; none fails.
	TestServer server;
	for (int round = 0; round < 2; ++round)
	{
		if (round == 1) XQueueTest::rewindSchemaTo(*XQueue::Database::open(server.databaseOptions()), 1);
		std::vector<std::thread> admins;
		std::vector<int> codes(6, -1);
		std::vector<std::string> outputs(6);
		for (int i = 0; i < 6; ++i)
		{
			admins.emplace_back([&, i]() {
				// Each its own output file: the helper's is shared.
				codes[static_cast<std::size_t>(i)] = std::system(("'" + std::string(XQUEUE_ADMIN_PATH) + "' --config-file='" + server.configPath() +
					"' " + (round == 1 || i % 2 ? "migrate" : "count-queued") + " >'" + server.dir().file("migrate" + std::to_string(i) + ".out") + "' 2>&1").c_str());
			});
		}
		for (auto& t: admins) t.join();
		for (int i = 0; i < 6; ++i)
		{
			std::ifstream in(server.dir().file("migrate" + std::to_string(i) + ".out"));
			std::ostringstream text;
			text << in.rdbuf();
			const std::string output = text.str();
			EXPECT_EQ(codes[static_cast<std::size_t>(i)], 0) << "round " << round << ", process " << i << ": " << output;
		}
		EXPECT_TRUE(XQueue::Database::open(server.databaseOptions())->schemaIsCurrent());
	}
	server.createUser("lms", "pw");
	server.start();
	EXPECT_TRUE(TestClient(server.port()).login("lms", "pw"));
}


TEST(StartupTest, AnOlderSchemaIsMigratedAtStartByDefault)
{
	TestServer server;
	server.createUser("grader", "pw");
	XQueueTest::rewindSchemaTo(*XQueue::Database::open(server.databaseOptions()), 2);
	server.start();
	EXPECT_NE(server.log().find("store schema migrated from version 2 to " + std::to_string(XQueue::Database::latestSchemaVersion())),
		std::string::npos) << server.log();
	server.createUser("lms", "pw");
	TestClient c(server.port());
	EXPECT_TRUE(c.login("lms", "pw"));
}


TEST(AdminTest, UserLifecycle)
{
	TestServer server;
	std::string out;
	EXPECT_EQ(server.admin("user set lms", "first\n", &out), 0);
	EXPECT_EQ(out, "created user lms\n");
	EXPECT_EQ(server.admin("user set lms", "second\r\n", &out), 0);
	EXPECT_EQ(out, "updated user lms\n");
	EXPECT_EQ(server.admin("user set grader --inactive", "pw\n", &out), 0);
	EXPECT_EQ(server.admin("user list", "", &out), 0);
	EXPECT_NE(out.find("lms "), std::string::npos);
	EXPECT_NE(out.find("grader "), std::string::npos);

	server.start();
	TestClient c(server.port());
	EXPECT_FALSE(c.login("lms", "first"));
	EXPECT_TRUE(c.login("lms", "second"));
	EXPECT_FALSE(TestClient(server.port()).login("grader", "pw")) << "inactive";

	EXPECT_EQ(server.admin("user set lms", "third\n", &out), 0);
	EXPECT_EQ(c.get("/xqueue/get_queuelen/?queue_name=tmp").status, 302) << "a password change logs the user out";
	EXPECT_EQ(server.admin("user remove lms", "", &out), 0);
	EXPECT_FALSE(TestClient(server.port()).login("lms", "third"));
	EXPECT_EQ(server.admin("user remove lms", "", &out), 1);
	EXPECT_EQ(out, "xqueue-admin: no user named lms\n");
}


TEST(AdminTest, BadUsageExitsNonZeroWithAMessage)
{
	TestServer server;
	std::string out;
	EXPECT_EQ(server.admin("", "", &out), 64);
	EXPECT_NE(out.find("usage"), std::string::npos);
	EXPECT_EQ(server.admin("user frobnicate", "", &out), 64);
	EXPECT_EQ(server.admin("user set", "", &out), 64);
	EXPECT_EQ(server.admin("user set lms", "", &out), 64);
	EXPECT_EQ(out.rfind("xqueue-admin user: no password given (first line of stdin, or --password-file)\nusage: xqueue-admin", 0), 0u) << out;
	EXPECT_EQ(server.admin("launch missiles", "", &out), 64);
	EXPECT_EQ(server.admin("--help", "", &out), 0);
	EXPECT_NE(out.find("--config-file"), std::string::npos);
}


TEST(AdminTest, PasswordFromAFile)
{
	TestServer server;
	{
		Poco::FileOutputStream f(server.dir().file("pw"));
		f << "from-file\n";
	}
	EXPECT_EQ(server.admin("user set lms --password-file=" + server.dir().file("pw")), 0);
	server.start();
	EXPECT_TRUE(TestClient(server.port()).login("lms", "from-file"));
}


} // namespace
