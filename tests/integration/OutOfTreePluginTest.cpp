// SPDX-License-Identifier: Apache-2.0
//
// OutOfTreePluginTest.cpp
//
// What a course team does: install xqueue, build the SDK template in its own tree
// against the installed SDK, and run it in the installed server.
//


#include "ServerFixture.h"
#include "Poco/File.h"
#include <sys/wait.h>


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
	ASSERT_EQ(run("cmake --install " XQUEUE_BINARY_DIR " --prefix " + prefix, log), 0) << readFile(log);
	for (const std::string installed: {"/bin/xqueue-server", "/bin/xqueue-admin", "/bin/xqueue-plugin-worker", "/lib/xqueue/plugins/xq_pull_rest.so",
		"/lib/xqueue/plugins/xq_http_push.so", "/lib/xqueue/plugins/xq_sandbox.so", "/include/xqueue/sdk/PluginAbi.h",
		"/include/xqueue/sdk/ChildProcess.hpp", "/include/xqueue/sdk/TestQueue.hpp", "/lib/cmake/XQueueSdk/XQueueSdkConfig.cmake",
		"/etc/xqueue/xqueue.properties", "/lib/systemd/system/xqueue.service", "/share/doc/xqueue/operations.md",
		"/share/doc/xqueue/configuration.md", "/share/doc/xqueue/README.md",
		"/share/xqueue/dashboard/dashboard.html", "/share/xqueue/dashboard/chart.min.js"})
		EXPECT_TRUE(Poco::File(prefix + installed).exists()) << installed;
	std::string unit = readFile(prefix + "/lib/systemd/system/xqueue.service");
	EXPECT_NE(unit.find("ExecStart=" + prefix + "/bin/xqueue-server --config-file=" + prefix + "/etc/xqueue/xqueue.properties"), std::string::npos) << unit;
	EXPECT_NE(unit.find("NoNewPrivileges=yes"), std::string::npos);
	EXPECT_NE(unit.find("ProtectSystem=strict"), std::string::npos);
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
