// SPDX-License-Identifier: Apache-2.0
//
// PluginLoaderTest.cpp
//
// The loader against real .so fixtures built by xqueue_add_plugin: every refusal has
// one exact line naming the file, what was expected and what was found.
//


#include "loader/PluginLibrary.h"
#include "loader/PluginRegistry.h"
#include "loader/QueueAdapter.h"
#include <gtest/gtest.h>
#include <condition_variable>
#include <mutex>
#include <thread>


using namespace XQueue;


namespace {


const std::string FIXTURES = XQUEUE_FIXTURE_PLUGIN_DIR;

std::string path(const std::string& id)
{
	return FIXTURES + "/xq_" + id + ".so";
}

std::string loadError(const std::string& id, const std::string& file)
{
	try
	{
		PluginLibrary::load(id, file);
	}
	catch (PluginLoadException& exc)
	{
		return exc.message();
	}
	return "<loaded>";
}

QueueSettings queue(const std::string& plugin, std::map<std::string, std::string> config = {})
{
	QueueSettings q;
	q.id = "q";
	q.name = "q";
	q.plugin = plugin;
	q.pluginConfig = std::move(config);
	return q;
}

std::string adapterError(const std::string& plugin, std::map<std::string, std::string> config)
{
	try
	{
		QueueAdapter adapter(queue(plugin, std::move(config)), PluginLibrary::load(plugin, path(plugin)));
	}
	catch (PluginLoadException& exc)
	{
		return exc.message();
	}
	return "<started>";
}


TEST(PluginLoaderTest, MissingFile)
{
	EXPECT_EQ(loadError("nope", path("nope")), "plugin 'nope' (" + path("nope") + "): file not found");
}


TEST(PluginLoaderTest, MissingEntrySymbol)
{
	EXPECT_EQ(loadError("no_entry_symbol", path("no_entry_symbol")),
		"plugin 'no_entry_symbol' (" + path("no_entry_symbol") + "): entry symbol 'xq_plugin_entry' not found (was it declared with XQ_DECLARE_PLUGIN?)");
}


TEST(PluginLoaderTest, AbiMajorMismatch)
{
	EXPECT_EQ(loadError("wrong_abi_major", path("wrong_abi_major")),
		"plugin 'wrong_abi_major' (" + path("wrong_abi_major") + "): ABI major version mismatch: the host expects 1, the plugin was built for 2.3");
}


TEST(PluginLoaderTest, AnyMinorOfTheSameMajorLoads)
{
	// The sizes the loader requires are ABI 1.0's, frozen: today they are this header's,
	// and after a minor bump they will be smaller than it, never larger.
	static_assert(XQ_PLUGIN_DESCRIPTOR_1_0_SIZE <= sizeof(xq_plugin_descriptor), "1.0 fields are a prefix");
	static_assert(XQ_PLUGIN_API_1_0_SIZE <= sizeof(xq_plugin_api), "1.0 fields are a prefix");
	static_assert(XQ_HOST_API_1_0_SIZE <= sizeof(xq_host_api), "1.0 fields are a prefix");
	static_assert(XQ_QUEUE_HOST_1_0_SIZE <= sizeof(xq_queue_host), "1.0 fields are a prefix");
	static_assert(XQ_JOB_1_0_SIZE <= sizeof(xq_job), "1.0 fields are a prefix");
	EXPECT_EQ(XQ_PLUGIN_DESCRIPTOR_1_0_SIZE, 64u) << "frozen: never changes";
	EXPECT_EQ(XQ_PLUGIN_API_1_0_SIZE, 32u) << "frozen: never changes";
	for (const std::string plugin: {"oldest_abi_minor", "newer_abi_minor"})
	{
		EXPECT_EQ(loadError(plugin, path(plugin)), "<loaded>") << plugin;
		EXPECT_EQ(adapterError(plugin, {}), "<started>") << plugin;
	}
}


TEST(PluginLoaderTest, EntryReturningNothing)
{
	EXPECT_EQ(loadError("entry_returns_null", path("entry_returns_null")),
		"plugin 'entry_returns_null' (" + path("entry_returns_null") + "): initialisation failed (xq_plugin_entry returned no descriptor)");
}


TEST(PluginLoaderTest, FileDeclaringAnotherId)
{
	EXPECT_EQ(loadError("declares_other_id", path("declares_other_id")),
		"plugin 'declares_other_id' (" + path("declares_other_id") + "): the file declares plugin id 'someone_else'");
}


TEST(PluginLoaderTest, MissingDependency)
{
	std::string error = loadError("missing_dependency", path("missing_dependency"));
	std::string prefix = "plugin 'missing_dependency' (" + path("missing_dependency") + "): cannot be loaded: ";
	EXPECT_EQ(error.rfind(prefix, 0), 0u) << error;
	EXPECT_EQ(error, prefix + "libxq_fixture_dependency.so: cannot open shared object file: No such file or directory");
	EXPECT_EQ(error.find('\n'), std::string::npos) << "one line";
}


TEST(PluginLoaderTest, InitialisationFailure)
{
	EXPECT_EQ(adapterError("init_fails", {}), "queue 'q': plugin 'init_fails' failed to start: cannot reach the grading farm");
}


TEST(PluginLoaderTest, ConfigurationIsCheckedAgainstTheDeclaredKeys)
{
	EXPECT_EQ(adapterError("fixture_grader", {{"required_number", "1"}, {"colour", "blue"}}),
		"unknown configuration key: xqueue.queues.q.colour (plugin 'fixture_grader' accepts: prefix, required_number, flag, wait)");
	EXPECT_EQ(adapterError("fixture_grader", {}), "xqueue.queues.q.required_number: missing (required by plugin 'fixture_grader')");
	EXPECT_EQ(adapterError("fixture_grader", {{"required_number", "many"}}),
		"xqueue.queues.q.required_number: expected an integer, found 'many'");
	EXPECT_EQ(adapterError("fixture_grader", {{"required_number", "1"}, {"flag", "perhaps"}}),
		"xqueue.queues.q.flag: expected true or false, found 'perhaps'");
	EXPECT_EQ(adapterError("fixture_grader", {{"required_number", "1"}, {"wait", "-1"}}),
		"xqueue.queues.q.wait: expected a number of seconds, found '-1'");
	EXPECT_EQ(adapterError("fixture_grader", {{"required_number", "7"}, {"flag", "yes"}, {"wait", "0.5"}}), "<started>");
}


TEST(PluginLoaderTest, AdapterKeepsItsLibraryAndGradesThroughTheAbi)
{
	std::unique_ptr<QueueAdapter> adapter;
	{
		PluginRegistry registry(FIXTURES, {});
		adapter = std::make_unique<QueueAdapter>(queue("fixture_grader", {{"required_number", "1"}, {"prefix", "P:"}}),
			registry.library("fixture_grader"));
	} // the registry is gone; the adapter still holds the library
	ASSERT_TRUE(adapter->dispatches());
	std::mutex mutex;
	std::condition_variable cv;
	std::vector<std::pair<int32_t, std::string>> results;
	adapter->onCompletion([&](std::uint64_t, int32_t outcome, std::string_view body) {
		std::lock_guard<std::mutex> lock(mutex);
		results.emplace_back(outcome, std::string(body));
		cv.notify_all();
	});
	auto job = [](std::uint64_t id, const std::string& body) {
		xq_job j{sizeof(xq_job), id, 1, xq_str{body.data(), body.size()}, xq_str{"{}", 2}, 0};
		return j;
	};
	std::string error;
	std::string b1 = "sync:grade", b2 = "fail:nope", b3 = "throw:boom", b4 = "async:20:later", b5 = "drop";
	EXPECT_TRUE(adapter->grade(job(1, b1), error));
	EXPECT_TRUE(adapter->grade(job(2, b2), error));
	EXPECT_FALSE(adapter->grade(job(3, b3), error));
	EXPECT_EQ(error, "boom") << "an exception is caught by the SDK and reported, never thrown across (and not completed as well)";
	EXPECT_TRUE(adapter->grade(job(5, b5), error));
	EXPECT_TRUE(adapter->grade(job(4, b4), error));
	std::unique_lock<std::mutex> lock(mutex);
	ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(5), [&]() { return results.size() == 4; }));
	EXPECT_EQ(results[0], std::make_pair(XQ_GRADED, std::string("{\"correct\": true, \"score\": 1, \"msg\": \"P:grade\"}")));
	EXPECT_EQ(results[1], std::make_pair(XQ_FAILED, std::string("nope")));
	EXPECT_EQ(results[2], std::make_pair(XQ_FAILED,
		std::string("the plugin's grade() returned without completing the job or keeping its Completion"))) << "at once, not at the budget";
	EXPECT_EQ(results[3], std::make_pair(XQ_GRADED, std::string("{\"correct\": true, \"score\": 1, \"msg\": \"P:later\"}")));
}


TEST(PluginLoaderTest, EachPluginTalksToItsOwnHostTableWhateverItsVisibility)
{
	// Two plugins with every symbol visible, loaded one after the other: each instance's
	// count must reach its own plugin's table, not the last-loaded one's.
	auto a = PluginLibrary::load("default_visibility_a", path("default_visibility_a"));
	auto b = PluginLibrary::load("default_visibility_b", path("default_visibility_b"));
	{
		QueueAdapter first(queue("default_visibility_a"), a);
		QueueAdapter second(queue("default_visibility_b"), b);
		QueueAdapter third(queue("default_visibility_b"), b);
	}
	EXPECT_EQ(a->hostApi().counters(), (std::map<std::string, std::int64_t>{{"created", 1}}));
	EXPECT_EQ(b->hostApi().counters(), (std::map<std::string, std::int64_t>{{"created", 2}}));
}


TEST(PluginLoaderTest, RegistryResolvesExplicitPathsFirst)
{
	PluginRegistry registry("/plugins", {{"mine", "/opt/xq_mine.so"}});
	EXPECT_EQ(registry.pathOf("mine"), "/opt/xq_mine.so");
	EXPECT_EQ(registry.pathOf("other"), "/plugins/xq_other.so");
}


} // namespace
