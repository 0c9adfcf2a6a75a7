// SPDX-License-Identifier: Apache-2.0
//
// OutOfTreePluginTest.cpp
//
// What an operator and a course team do: install xqueue (and install it again, as an
// upgrade), run the installed server with the installed configuration, build the SDK
// template in its own tree against the installed SDK, and run it in the installed server.
//


#include "ServerFixture.h"
#include "Poco/File.h"
#include "Poco/Process.h"
#include <fstream>
#include <sys/wait.h>
#include <thread>


using namespace XQueueTest;
using namespace std::chrono_literals;


namespace {


int run(const std::string& command, const std::string& log)
{
	int status = std::system((command + " >>" + log + " 2>&1").c_str());
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}


TEST(OutOfTreePluginTest, TemplateBuildsAgainstAnInstalledSdkAndRunsInAnInstalledServer)
{
	TempDir dir;
	const std::string prefix = dir.file("prefix");
	const std::string build = dir.file("template-build");
	const std::string log = dir.file("build.log");
	const std::string state = dir.file("state");
	Poco::File(state).createDirectories();
	// XQUEUE_STATE_DIR: where the installed sample keeps the store (the unit's /var/lib/xqueue otherwise).
	ASSERT_EQ(run("XQUEUE_STATE_DIR=" + state + " cmake --install " XQUEUE_BINARY_DIR " --prefix " + prefix, log), 0) << readFile(log);
	for (const std::string installed: {"/bin/xqueue-server", "/bin/xqueue-admin", "/bin/xqueue-plugin-worker", "/lib/xqueue/plugins/xq_pull_rest.so",
		"/lib/xqueue/plugins/xq_http_push.so", "/lib/xqueue/plugins/xq_sandbox.so", "/include/xqueue/sdk/PluginAbi.h",
		"/include/xqueue/sdk/ChildProcess.hpp", "/include/xqueue/sdk/TestQueue.hpp", "/lib/cmake/XQueueSdk/XQueueSdkConfig.cmake",
		"/etc/xqueue/xqueue.properties", "/lib/systemd/system/xqueue.service", "/share/doc/xqueue/operations.md",
		"/share/doc/xqueue/configuration.md", "/share/doc/xqueue/README.md", "/share/doc/xqueue/CHANGELOG.md",
		"/etc/xqueue/xqueue.properties.dist",
		"/share/xqueue/dashboard/dashboard.html", "/share/xqueue/dashboard/chart.min.js"})
		EXPECT_TRUE(Poco::File(prefix + installed).exists()) << installed;
	std::string unit = readFile(prefix + "/lib/systemd/system/xqueue.service");
	EXPECT_NE(unit.find("ExecStart=" + prefix + "/bin/xqueue-server --config-file=" + prefix + "/etc/xqueue/xqueue.properties"), std::string::npos) << unit;
	EXPECT_NE(unit.find("NoNewPrivileges=yes"), std::string::npos);
	EXPECT_NE(unit.find("ProtectSystem=strict"), std::string::npos);
	EXPECT_NE(unit.find("RestartPreventExitStatus=78"), std::string::npos) << "a configuration error is not restarted in a loop";
	EXPECT_EQ(unit.find("--define"), std::string::npos) << "the store comes from the properties file (SQLite or MariaDB)";

	// The installed configuration works as it is: check-config, then a server started with
	// nothing but it (and a free port), its SQLite store in the state directory.
	const std::string properties = prefix + "/etc/xqueue/xqueue.properties";
	EXPECT_NE(readFile(properties).find("xqueue.store.connection = " + state + "/xqueue.sqlite"), std::string::npos);
	{
		EXPECT_EQ(run(prefix + "/bin/xqueue-admin --config-file=" + properties + " check-config", log), 0) << readFile(log);
		EXPECT_EQ(run("echo pw | " + prefix + "/bin/xqueue-admin --config-file=" + properties + " user set lms", log), 0) << readFile(log);
		int port = TestServer::freePort();
		Poco::ProcessHandle handle = Poco::Process::launch(prefix + "/bin/xqueue-server",
			{"--config-file=" + properties, "--define=xqueue.http.port=" + std::to_string(port)});
		bool up = false;
		for (int i = 0; i < 300 && !up; ++i)
		{
			std::this_thread::sleep_for(100ms);
			try
			{
				up = TestClient(port).get("/readyz").status == 200;
			}
			catch (Poco::Exception&)
			{
				// not listening yet (a sanitized build starts slower)
			}
		}
		EXPECT_TRUE(up);
		if (up)
		{
			EXPECT_TRUE(TestClient(port).login("lms", "pw"));
		}
		Poco::Process::requestTermination(handle.id());
		EXPECT_EQ(handle.wait(), 0) << "stopped cleanly, before its files go with the test's directory";
		EXPECT_TRUE(Poco::File(state + "/xqueue.sqlite").exists());
	}
	// An upgrade (install again) keeps the edited configuration and renews the sample.
	std::ofstream(properties, std::ios::app) << "# edited by the operator\n";
	ASSERT_EQ(run("XQUEUE_STATE_DIR=" + state + " cmake --install " XQUEUE_BINARY_DIR " --prefix " + prefix, log), 0) << readFile(log);
	EXPECT_NE(readFile(properties).find("# edited by the operator"), std::string::npos) << "cmake --install overwrote the configuration";
	EXPECT_EQ(readFile(prefix + "/etc/xqueue/xqueue.properties.dist").find("# edited by the operator"), std::string::npos);
	EXPECT_NE(readFile(log).find("Keeping: " + properties), std::string::npos);
	if (Poco::File("/usr/bin/systemd-analyze").exists())
	{
		EXPECT_EQ(run("/usr/bin/systemd-analyze verify " + prefix + "/lib/systemd/system/xqueue.service", log), 0) << readFile(log);
	}

	ASSERT_EQ(run("cmake -S " XQUEUE_SOURCE_DIR "/sdk/template -B " + build + " -DCMAKE_BUILD_TYPE=Release -DCMAKE_PREFIX_PATH=" + prefix, log), 0) << readFile(log);
	ASSERT_EQ(run("cmake --build " + build, log), 0) << readFile(log);
	ASSERT_TRUE(Poco::File(build + "/xq_word_count.so").exists()) << readFile(log);
	// Its own tests, through the SDK's TestQueue (no server).
	EXPECT_EQ(run("ctest --test-dir " + build + " --output-on-failure", log), 0) << readFile(log);

	FakeLms lms;
	TestServer server({{"xqueue.plugins.word_count.path", build + "/xq_word_count.so"},
		{"xqueue.queues.essays.plugin", "word_count"}, {"xqueue.queues.essays.min_words", "3"}, {"xqueue.queues.essays.max_words", "5"}});
	server.useBinaries(prefix + "/bin/xqueue-server", prefix + "/bin/xqueue-admin");
	server.createUser("lms", "pw");
	server.start(); // pull_rest comes from <prefix>/lib/xqueue/plugins, word_count runs in <prefix>/bin/xqueue-plugin-worker
	TestClient c(server.port());
	ASSERT_TRUE(c.login("lms", "pw"));
	std::string header = "{\"lms_callback_url\": \"" + lms.callbackUrl("1/b") + "\", \"lms_key\": \"k\", \"queue_name\": \"essays\"}";
	EXPECT_EQ(c.post("/xqueue/submit/", {{"xqueue_header", header}, {"xqueue_body", "{\"student_response\": \"four words right here\"}"}}).body,
		envelope(0, "1"));
	ASSERT_TRUE(lms.waitForCount(1, 10s)) << server.log();
	EXPECT_EQ(lms.callbacks()[0].form.at("xqueue_body"),
		"{\"correct\": true, \"score\": 1.0, \"msg\": \"<p>Your answer has 4 words; between 3 and 5 are expected.</p>\"}");
	EXPECT_NE(server.log().find("word_count grading queue essays"), std::string::npos) << server.log();
}


} // namespace
