// SPDX-License-Identifier: Apache-2.0
//
// PluginStartupTest.cpp
//
// The server refuses to start, with the loader's line, on every broken plugin set-up.
//


#include "ServerFixture.h"
#include "FakeLms.h"
#include "TempDir.h"
#include <fstream>


using namespace XQueueTest;


namespace {


struct Case
{
	TestServer::Properties properties;
	std::string expected;
};


void expectRefusal(const Case& c)
{
	TestServer::Properties properties = c.properties;
	properties["xqueue.plugins.dir"] = XQUEUE_FIXTURE_PLUGIN_DIR;
	properties["xqueue.plugins.pull_rest.path"] = std::string(XQUEUE_PLUGIN_DIR) + "/xq_pull_rest.so";
	TestServer server(properties);
	EXPECT_EQ(server.startExpectingFailure(), 78) << server.log();
	EXPECT_NE(server.log().find("xqueue-server: " + c.expected + "\n"), std::string::npos) << "expected: " << c.expected << "\nlog:\n" << server.log();
}


const std::string FIXTURES = XQUEUE_FIXTURE_PLUGIN_DIR;


TEST(PluginStartupTest, MissingFile)
{
	expectRefusal({{{"xqueue.queues.q.plugin", "absent"}}, "plugin 'absent' (" + FIXTURES + "/xq_absent.so): file not found"});
}


TEST(PluginStartupTest, MissingEntrySymbol)
{
	expectRefusal({{{"xqueue.queues.q.plugin", "no_entry_symbol"}},
		"plugin 'no_entry_symbol' (" + FIXTURES + "/xq_no_entry_symbol.so): entry symbol 'xq_plugin_entry' not found (was it declared with XQ_DECLARE_PLUGIN?)"});
}


TEST(PluginStartupTest, AbiMajorMismatch)
{
	expectRefusal({{{"xqueue.queues.q.plugin", "wrong_abi_major"}},
		"plugin 'wrong_abi_major' (" + FIXTURES + "/xq_wrong_abi_major.so): ABI major version mismatch: the host expects 1, the plugin was built for 2.3"});
}


TEST(PluginStartupTest, TruncatedOrForeignFiles)
{
	// A copy cut short used to kill the server in dlopen() (SIGBUS, exit 135, no line).
	TempDir dir;
	std::string bytes = readFile(std::string(XQUEUE_PLUGIN_DIR) + "/xq_exact_match.so");
	ASSERT_GT(bytes.size(), 20000u);
	std::ofstream(dir.file("xq_cut.so"), std::ios::binary) << bytes.substr(0, 3000);
	std::ofstream(dir.file("xq_text.so"), std::ios::binary) << "#!/bin/sh\necho not a library\n" << std::string(200, '#');
	for (const auto& [id, expected]: std::vector<std::pair<std::string, std::string>>{
		{"cut", "truncated (3000 bytes"}, {"text", "not a shared library (no ELF header)"}})
	{
		TestServer::Properties properties;
		properties["xqueue.queues.q.plugin"] = id;
		properties["xqueue.plugins.dir"] = dir.path();
		properties["xqueue.plugins.pull_rest.path"] = std::string(XQUEUE_PLUGIN_DIR) + "/xq_pull_rest.so";
		TestServer server(properties);
		EXPECT_EQ(server.startExpectingFailure(), 78) << server.log();
		EXPECT_NE(server.log().find("xqueue-server: plugin '" + id + "' (" + dir.file("xq_" + id + ".so") + "): " + expected), std::string::npos)
			<< server.log();
	}
}


TEST(PluginStartupTest, InitialisationFailure)
{
	expectRefusal({{{"xqueue.queues.q.plugin", "init_fails"}}, "queue 'q': plugin 'init_fails' failed to start: cannot reach the grading farm"});
}


TEST(PluginStartupTest, AWorkerExecutableThatCannotStart)
{
	expectRefusal({{{"xqueue.queues.q.plugin", "fixture_grader"}, {"xqueue.queues.q.required_number", "1"},
		{"xqueue.plugins.worker", "/nonexistent/xqueue-plugin-worker"}},
		"queue 'q': plugin 'fixture_grader' worker (/nonexistent/xqueue-plugin-worker): cannot be started: No such file or directory"});
}


TEST(PluginStartupTest, UnknownConfigurationKey)
{
	expectRefusal({{{"xqueue.queues.q.plugin", "fixture_grader"}, {"xqueue.queues.q.required_number", "1"}, {"xqueue.queues.q.colour", "red"}},
		"unknown configuration key: xqueue.queues.q.colour (plugin 'fixture_grader' accepts: prefix, required_number, flag, wait)"});
}


TEST(PluginStartupTest, IllTypedConfigurationValue)
{
	expectRefusal({{{"xqueue.queues.q.plugin", "fixture_grader"}, {"xqueue.queues.q.required_number", "ten"}},
		"xqueue.queues.q.required_number: expected an integer, found 'ten'"});
}


TEST(PluginStartupTest, DispatchKeysOnAPullQueue)
{
	expectRefusal({{{"xqueue.queues.tmp.concurrency", "3"}},
		"xqueue.queues.tmp: concurrency, time_budget, isolation, max_memory_mb and max_cpu_seconds apply to dispatch-mode plugins; 'pull_rest' is a pull-mode plugin"});
}


TEST(PluginStartupTest, MissingDependency)
{
	TestServer server({{"xqueue.plugins.dir", XQUEUE_FIXTURE_PLUGIN_DIR}, {"xqueue.queues.tmp.plugin", ""}, {"xqueue.queues.other.plugin", ""},
		{"xqueue.queues.q.plugin", "missing_dependency"}});
	EXPECT_EQ(server.startExpectingFailure(), 78);
	EXPECT_NE(server.log().find("plugin 'missing_dependency' (" + FIXTURES + "/xq_missing_dependency.so): cannot be loaded: "), std::string::npos)
		<< server.log();
	EXPECT_NE(server.log().find("libxq_fixture_dependency.so"), std::string::npos);
}


TEST(PluginStartupTest, APluginFileOverwrittenWhileTheServerRunsChangesNothingUnderIt)
{
	// An operator installs a new build over the loaded file with cp (which rewrites the
	// file in place): the running server keeps grading with what it loaded.
	TempDir dir;
	const std::string installed = dir.file("xq_fixture_grader.so");
	{
		std::ifstream in(FIXTURES + "/xq_fixture_grader.so", std::ios::binary);
		std::ofstream out(installed, std::ios::binary);
		out << in.rdbuf();
	}
	FakeLms lms;
	TestServer server({{"xqueue.plugins.fixture_grader.path", installed}, {"xqueue.queues.fix.plugin", "fixture_grader"},
		{"xqueue.queues.fix.required_number", "1"}, {"xqueue.queues.fix.prefix", "P:"}});
	server.createUser("lms", "pw");
	server.start();
	EXPECT_NE(server.log().find("plugin fixture_grader 0.1.0 loaded from " + installed + " (sha256 "), std::string::npos)
		<< server.log();
	std::string metrics = TestClient(server.port()).get("/metrics").body;
	EXPECT_NE(metrics.find("xqueue_plugin_info{plugin=\"fixture_grader\",version=\"0.1.0\",file=\"" + installed + "\",sha256=\""),
		std::string::npos) << metrics;

	{
		std::ifstream in(FIXTURES + "/xq_wrong_abi_major.so", std::ios::binary);
		std::ofstream out(installed, std::ios::binary | std::ios::trunc);
		out << in.rdbuf();
	}
	TestClient c(server.port());
	ASSERT_TRUE(c.login("lms", "pw"));
	const std::string header = "{\"lms_callback_url\": \"" + lms.callbackUrl("1") + "\", \"lms_key\": \"k\", \"queue_name\": \"fix\"}";
	EXPECT_EQ(c.post("/xqueue/submit/", {{"xqueue_header", header}, {"xqueue_body", "sync:after the overwrite"}}).body, envelope(0, "1"));
	ASSERT_TRUE(lms.waitForCount(1, std::chrono::milliseconds(15000))) << server.log();
	EXPECT_EQ(lms.callbacks()[0].form["xqueue_body"], "{\"correct\": true, \"score\": 1, \"msg\": \"P:after the overwrite\"}");
	EXPECT_EQ(server.terminate(), 0) << server.log();
}


} // namespace
