// SPDX-License-Identifier: Apache-2.0
//
// HttpPushAdapterTest.cpp
//
// http_push's logic against a fake host (its configuration) and a fake grader on
// loopback, without loading the plugin.
//


#include "HttpPushAdapter.h"
#include "DrippingPeer.h"
#include "FakeGrader.h"
#include "TempDir.h"
#include <gtest/gtest.h>
#include <chrono>
#include <fstream>
#include <map>


using namespace XQueueTest;
using XQueuePlugin::HttpPushAdapter;


namespace {


// A fake xq_queue_host serving a fixed configuration.
class FakeQueueHost
{
public:
	explicit FakeQueueHost(std::map<std::string, std::string> config): _config(std::move(config))
	{
		_host.struct_size = sizeof(xq_queue_host);
		_host.queue = this;
		_host.queue_name = xq_str{"push", 4};
		_host.config_get = [](void* q, xq_str key, xq_str* value) -> int32_t {
			auto& values = static_cast<FakeQueueHost*>(q)->_config;
			auto it = values.find(std::string(key.data, key.size));
			if (it == values.end()) return 0;
			*value = xq_str{it->second.data(), it->second.size()};
			return 1;
		};
		_host.complete = [](void*, std::uint64_t, int32_t, xq_str) {};
	}

	xqueue::sdk::QueueHost queue() const { return xqueue::sdk::QueueHost(&_host); }

private:
	std::map<std::string, std::string> _config;
	xq_queue_host _host;
};


std::map<std::string, std::string> config(const std::string& url, const std::string& timeout = "2")
{
	return {{"url", url}, {"timeout", timeout}, {"max_reply_bytes", "1000"}, {"username", ""}, {"password", ""},
		{"tls_verify", "true"}, {"signing_key_file", ""}};
}


TEST(HttpPushAdapterTest, RequestBodyIsWhatTheOldServerSent)
{
	EXPECT_EQ(HttpPushAdapter::requestBody("{\"grader_payload\": \"\xc3\xa9\"}", "{\"answer.py\": \"/push-q/230b\"}"),
		"{\"xqueue_body\": \"{\\\"grader_payload\\\": \\\"\\u00e9\\\"}\", \"xqueue_files\": \"{\\\"answer.py\\\": \\\"/push-q/230b\\\"}\"}");
}


TEST(HttpPushAdapterTest, RefusesBadUrls)
{
	// The last two: CR/LF (request smuggling into every push) and a space.
	for (const std::string url: {"", "ftp://x/", "/relative", "http://", "http://127.0.0.1:1/grade?x=1 HTTP/1.1\r\nHost: other\r\n\r\nGET /", "http://g/a b"})
	{
		FakeQueueHost host(config(url));
		EXPECT_THROW(HttpPushAdapter adapter(host.queue()), std::invalid_argument) << url;
	}
}


TEST(HttpPushAdapterTest, Http200WithAJsonObjectIsTheGrade)
{
	FakeGrader grader;
	FakeQueueHost host(config(grader.url()));
	HttpPushAdapter adapter(host.queue());
	auto outcome = adapter.push("the body", "{}");
	EXPECT_TRUE(outcome.graded);
	EXPECT_EQ(outcome.body, "{\"correct\": true, \"score\": 1, \"msg\": \"ok\"}");
	ASSERT_EQ(grader.count(), 1u);
	EXPECT_EQ(grader.requests()[0].body, "{\"xqueue_body\": \"the body\", \"xqueue_files\": \"{}\"}");
	EXPECT_FALSE(grader.requests()[0].hasContentType) << "no Content-Type, as the old server";
}


TEST(HttpPushAdapterTest, EverythingElseIsAFailureWithAReason)
{
	FakeGrader grader;
	FakeQueueHost host(config(grader.url(), "0.3"));
	HttpPushAdapter adapter(host.queue());
	grader.answerWith({500, "oops", 0});
	EXPECT_EQ(adapter.push("b", "{}").body, "grader answered HTTP 500");
	grader.answerWith({201, "{}", 0});
	EXPECT_EQ(adapter.push("b", "{}").body, "grader answered HTTP 201");
	grader.answerWith({200, "<html>proxy error</html>", 0});
	EXPECT_EQ(adapter.push("b", "{}").body, "grader reply is not a JSON object");
	grader.answerWith({200, "{\"msg\": \"" + std::string(2000, 'x') + "\"}", 0});
	EXPECT_EQ(adapter.push("b", "{}").body, "grader reply larger than 1000 bytes");
	grader.answerWith({200, "{}", 1500});
	auto slow = adapter.push("b", "{}");
	EXPECT_FALSE(slow.graded);
	EXPECT_EQ(slow.body.rfind("grader did not answer within 0.3", 0), 0u) << slow.body;
	int closedPort;
	{
		FakeGrader gone;
		closedPort = std::stoi(gone.url().substr(std::string("http://127.0.0.1:").size()));
	}
	FakeQueueHost unreachable(config("http://127.0.0.1:" + std::to_string(closedPort) + "/"));
	HttpPushAdapter nobody(unreachable.queue());
	auto refused = nobody.push("b", "{}");
	EXPECT_FALSE(refused.graded);
	EXPECT_EQ(refused.body.rfind("cannot reach the grader: ", 0), 0u) << refused.body;
}


TEST(HttpPushAdapterTest, AReplyDrippingPastTheTimeoutFails)
{
	FakeGrader grader;
	FakeQueueHost host(config(grader.url(), "0.5"));
	HttpPushAdapter adapter(host.queue());
	// Each byte arrives well within the per-read timeout; the whole reply does not.
	grader.answerWith({200, "{\"msg\": \"" + std::string(200, 'x') + "\"}", 0, 20});
	auto started = std::chrono::steady_clock::now();
	auto outcome = adapter.push("b", "{}");
	EXPECT_FALSE(outcome.graded);
	EXPECT_EQ(outcome.body, "grader reply did not arrive within 0.5 s");
	EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(3));
}


TEST(HttpPushAdapterTest, AStatusLineAndHeadersDrippedPastTheTimeoutFail)
{
	// The body's deadline did not cover the status line and headers: a grader that drips
	// them a byte at a time held the push slot (and SIGTERM) for ever.
	XQueueTest::DrippingPeer dripping("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Padding: " + std::string(200, 'x'),
		std::chrono::milliseconds(50));
	FakeQueueHost host(config(dripping.url("/"), "0.5"));
	HttpPushAdapter adapter(host.queue());
	auto started = std::chrono::steady_clock::now();
	auto outcome = adapter.push("b", "{}");
	EXPECT_FALSE(outcome.graded);
	EXPECT_EQ(outcome.body, "grader did not answer within 0.500000 s");
	EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(3));
}


TEST(HttpPushAdapterTest, PushesAreSignedWithAKeyFile)
{
	FakeGrader grader;
	TempDir dir;
	{
		std::ofstream key(dir.file("key"));
		key << "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n";
	}
	auto settings = config(grader.url());
	settings["signing_key_file"] = dir.file("key");
	FakeQueueHost host(settings);
	HttpPushAdapter adapter(host.queue());
	ASSERT_TRUE(adapter.push("one", "{}").graded);
	ASSERT_TRUE(adapter.push("two", "{}").graded);
	auto requests = grader.requests();
	ASSERT_EQ(requests.size(), 2u);
	EXPECT_NE(requests[0].headers["webhook-id"], requests[1].headers["webhook-id"]) << "one id per message";
	xqueue::sdk::WebhookSignature verifier("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
	for (auto& request: requests)
	{
		long long timestamp = std::stoll(request.headers["webhook-timestamp"]);
		EXPECT_EQ(request.headers["webhook-signature"], verifier.sign(request.headers["webhook-id"], timestamp, request.body));
	}

	settings["signing_key_file"] = dir.file("missing");
	FakeQueueHost missing(settings);
	EXPECT_THROW(HttpPushAdapter broken(missing.queue()), std::invalid_argument);
}


} // namespace
