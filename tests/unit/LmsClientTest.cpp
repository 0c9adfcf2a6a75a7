// SPDX-License-Identifier: Apache-2.0
//
// LmsClientTest.cpp
//


#include "delivery/LmsClient.h"
#include "DrippingPeer.h"
#include "util/Origin.h"
#include "FakeLms.h"
#include "Poco/Timestamp.h"
#include <gtest/gtest.h>


using XQueue::LmsClient;
using XQueue::LmsClientOptions;
using XQueue::OutboundConnector;


namespace {


TEST(LmsClientTest, FormEncodingMatchesPythonRequests)
{
	// The captured example of the protocol doc, section 8.1.
	std::string header = "{\"lms_callback_url\": \"http://127.0.0.1:28998/courses/c1/xqueue/5/block1/score_update\", \"lms_key\": \"k1\", \"queue_name\": \"tmp\"}";
	EXPECT_EQ(LmsClient::formEncode(header, "a b~"),
		"xqueue_header=%7B%22lms_callback_url%22%3A+%22http%3A%2F%2F127.0.0.1%3A28998%2Fcourses%2Fc1%2Fxqueue%2F5%2Fblock1%2Fscore_update%22%2C+%22lms_key%22%3A+%22k1%22%2C+%22queue_name%22%3A+%22tmp%22%7D"
		"&xqueue_body=a+b~");
	EXPECT_EQ(LmsClient::formEncode(std::string("\x00\xc3\xa9", 3), ""), "xqueue_header=%00%C3%A9&xqueue_body=");
}


// The fake LMS is on loopback, which callbacks reach only when allowed.
const OutboundConnector LOOPBACK_ALLOWED("127.0.0.0/8", "", 2);
const OutboundConnector DEFAULTS("", "", 2);


TEST(LmsClientTest, MalformedCallbackUrlsArePermanentFailures)
{
	LmsClient client(LOOPBACK_ALLOWED, 1, {});
	for (const std::string url: {"/", "", "ftp://host/x", "http://", "127.0.0.1:80/x", "file:///etc/passwd",
		"gopher://127.0.0.1:70/", "http://user:pw@127.0.0.1:1/x", "http://lms.example.com@127.0.0.1:1/",
		// Characters RFC 3986 does not allow: with CR/LF and spaces a query would split the
		// request line (request smuggling with our credentials attached).
		"http://127.0.0.1:1/courses/ok?x=1 HTTP/1.1\r\nHost: internal\r\n\r\nGET /internal/admin?delete=all",
		"http://127.0.0.1:1/a b", "http://127.0.0.1:1/a?b=\n", "http://127.0.0.1:1/a\x7f", "http://127.0.0.1:1/\xc3\xa9",
		"http://127.0.0.1:1/a?%zz", "http://127.0.0.1:1/a?%4", "http://127.0.0.1:1/a\"b", "http://127.0.0.1:1/{x}"})
	{
		auto attempt = client.post(url, "h", "b", "m");
		EXPECT_FALSE(attempt.delivered) << url;
		EXPECT_TRUE(attempt.permanent) << url;
	}
}


TEST(LmsClientTest, OnlyHttp200CountsAndCredentialsGoOnlyToTheirHosts)
{
	XQueueTest::FakeLms lms;
	LmsClientOptions options;
	options.username = "user";
	options.password = "pw";
	options.authHosts = {"http://127.0.0.1:" + std::to_string(lms.port())};
	LmsClient client(LOOPBACK_ALLOWED, 2, options);
	lms.answerWith(200);
	auto ok = client.post(lms.callbackUrl("1/b"), "{\"h\": 1}", "grade", "m");
	EXPECT_TRUE(ok.delivered);
	lms.answerWith(201);
	auto created = client.post(lms.callbackUrl("1/b"), "h", "b", "m");
	EXPECT_FALSE(created.delivered);
	EXPECT_FALSE(created.permanent);
	EXPECT_EQ(created.error, "LMS answered HTTP 201");
	lms.answerWith(302);
	EXPECT_FALSE(client.post(lms.callbackUrl("1/b"), "h", "b", "m").delivered) << "redirects are not followed";
	// The same LMS by another name is another host: no credentials.
	lms.answerWith(200);
	std::string byName = "http://localhost:" + std::to_string(lms.port()) + "/cb";
	EXPECT_TRUE(client.post(byName, "h", "b", "m").delivered);

	auto calls = lms.callbacks();
	ASSERT_EQ(calls.size(), 4u);
	EXPECT_EQ(calls[0].path, "/courses/c1/xqueue/1/b/score_update");
	EXPECT_EQ(calls[0].contentType, "application/x-www-form-urlencoded");
	EXPECT_EQ(calls[0].authorization, "Basic dXNlcjpwdw==");
	EXPECT_EQ(calls[0].headers["host"], "127.0.0.1:" + std::to_string(lms.port()));
	EXPECT_EQ(calls[0].form["xqueue_header"], "{\"h\": 1}");
	EXPECT_EQ(calls[0].form["xqueue_body"], "grade");
	EXPECT_EQ(calls[0].headers.count("webhook-signature"), 0u) << "unsigned without a key";
	EXPECT_EQ(calls[3].authorization, "");
	EXPECT_EQ(calls[3].headers["host"], "localhost:" + std::to_string(lms.port()));
}


TEST(LmsClientTest, CredentialsAreBoundToSchemeHostAndPort)
{
	// auth_hosts used to name a host only: the credentials then went to any port of it, and
	// over clear http. A bare host name now means https on 443; http needs saying so.
	XQueueTest::FakeLms lms;
	LmsClientOptions options;
	options.username = "user";
	options.password = "pw";
	for (const std::string& entry: std::vector<std::string>{"127.0.0.1", "https://127.0.0.1:" + std::to_string(lms.port()), "http://127.0.0.1:1"})
	{
		options.authHosts = {XQueue::Origin::parse(entry)};
		LmsClient client(LOOPBACK_ALLOWED, 2, options);
		EXPECT_TRUE(client.post(lms.callbackUrl("1/b"), "h", "b", "m").delivered);
		EXPECT_EQ(lms.callbacks().back().authorization, "") << entry << ": not to http://127.0.0.1:" << lms.port();
	}
	EXPECT_EQ(XQueue::Origin::parse("LMS.example.com"), "https://lms.example.com:443");
	EXPECT_EQ(XQueue::Origin::parse("http://lms:8000/"), "http://lms:8000");
	EXPECT_EQ(XQueue::Origin::parse("https://lms.example.com"), "https://lms.example.com:443");
	for (const std::string bad: {"ftp://lms", "https://lms/courses/", "https://u:p@lms", "http://lms?x=1"})
		EXPECT_THROW(XQueue::Origin::parse(bad), Poco::InvalidArgumentException) << bad;
}


TEST(LmsClientTest, SpecialPurposeAddressesAreRefusedBeforeConnecting)
{
	XQueueTest::FakeLms lms;
	LmsClient client(DEFAULTS, 1, {});
	const std::string port = std::to_string(lms.port());
	for (const std::string& url: std::vector<std::string>{
		"http://127.0.0.1:" + port + "/cb",
		"http://localhost:" + port + "/cb",
		"http://127.1:" + port + "/cb",          // inet_aton shorthand
		"http://2130706433:" + port + "/cb",     // 127.0.0.1 as one number
		"http://0x7f000001:" + port + "/cb",
		"http://[::1]:" + port + "/cb",
		"http://[::ffff:127.0.0.1]:" + port + "/cb",
		"http://0.0.0.0:" + port + "/cb",
		std::string("http://169.254.169.254/latest/meta-data/"),
		std::string("https://10.1.2.3/cb"),
		std::string("http://[fd00::1]/cb")})
	{
		auto attempt = client.post(url, "h", "b", "m");
		EXPECT_FALSE(attempt.delivered) << url;
		EXPECT_TRUE(attempt.permanent) << url << ": " << attempt.error;
		EXPECT_NE(attempt.error.find("special-purpose address"), std::string::npos) << url << ": " << attempt.error;
	}
	EXPECT_TRUE(lms.callbacks().empty()) << "nothing reached the loopback LMS";
}


TEST(LmsClientTest, SignedDeliveriesCarryStandardWebhooksHeaders)
{
	XQueueTest::FakeLms lms;
	LmsClientOptions options;
	options.signingKey = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
	LmsClient client(LOOPBACK_ALLOWED, 2, options);
	long long before = Poco::Timestamp().epochTime();
	ASSERT_TRUE(client.post(lms.callbackUrl("1/b"), "h", "b c", "xqueue-delivery-7").delivered);
	ASSERT_TRUE(client.post(lms.callbackUrl("1/b"), "h", "b c", "xqueue-delivery-7").delivered);
	auto calls = lms.callbacks();
	ASSERT_EQ(calls.size(), 2u);
	for (auto& call: calls)
	{
		EXPECT_EQ(call.headers["webhook-id"], "xqueue-delivery-7") << "the same id for every attempt";
		long long timestamp = std::stoll(call.headers["webhook-timestamp"]);
		EXPECT_GE(timestamp, before);
		EXPECT_LE(timestamp, Poco::Timestamp().epochTime());
		// Checked the way a receiver checks it, over the raw body.
		xqueue::sdk::WebhookSignature verifier("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
		EXPECT_EQ(call.headers["webhook-signature"], verifier.sign("xqueue-delivery-7", timestamp, call.rawBody));
	}
}


TEST(LmsClientTest, WebhookSignatureMatchesTheStandardWebhooksTestVector)
{
	// The example of the Standard Webhooks specification (and its reference libraries' tests).
	xqueue::sdk::WebhookSignature signature("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");
	EXPECT_EQ(signature.sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, "{\"test\": 2432232314}"),
		"v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
	EXPECT_THROW(xqueue::sdk::WebhookSignature("short"), std::invalid_argument);
	EXPECT_THROW(xqueue::sdk::WebhookSignature("whsec_not base64!"), std::invalid_argument);
}


TEST(LmsClientTest, UnreachableLmsIsARetryableFailure)
{
	int port;
	{
		XQueueTest::FakeLms closed;
		port = closed.port();
	}
	LmsClient client(LOOPBACK_ALLOWED, 1, {});
	auto attempt = client.post("http://127.0.0.1:" + std::to_string(port) + "/cb", "h", "b", "m");
	EXPECT_FALSE(attempt.delivered);
	EXPECT_FALSE(attempt.permanent);
	EXPECT_FALSE(attempt.error.empty());
}


TEST(LmsClientTest, OneDeadlineBoundsTheWholeAttempt)
{
	// An LMS that accepts and never answers, and one that drips its status line and
	// headers a byte at a time: each costs one attempt of at most the timeout (1 s here),
	// never a delivery thread for ever (per-read socket timeouts never trip on a drip).
	LmsClient client(LOOPBACK_ALLOWED, 1, {});
	for (const std::string& reply: {std::string(), std::string("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nX-Padding: ") + std::string(200, 'x')})
	{
		XQueueTest::DrippingPeer lms(reply, std::chrono::milliseconds(100));
		auto started = std::chrono::steady_clock::now();
		auto attempt = client.post(lms.url("/cb"), "h", "b", "m");
		auto took = std::chrono::steady_clock::now() - started;
		EXPECT_FALSE(attempt.delivered) << (reply.empty() ? "silent" : "dripping");
		EXPECT_FALSE(attempt.permanent);
		EXPECT_LT(took, std::chrono::milliseconds(2500)) << (reply.empty() ? "silent" : "dripping");
	}
}


TEST(LmsClientTest, UnknownHostNamesAreRetryable)
{
	// .invalid never resolves (RFC 2606); the name may resolve later, so it is retried.
	LmsClient client(DEFAULTS, 1, {});
	auto attempt = client.post("http://lms.invalid/cb", "h", "b", "m");
	EXPECT_FALSE(attempt.delivered);
	EXPECT_FALSE(attempt.permanent);
}


TEST(OutboundConnectorTest, SpecialPurposeAddresses)
{
	using Poco::Net::IPAddress;
	for (const char* special: {"0.0.0.0", "0.1.2.3", "10.0.0.1", "100.64.0.1", "127.0.0.1", "127.255.0.1", "169.254.169.254",
		"172.16.0.1", "172.31.255.255", "192.0.0.8", "192.0.2.1", "192.168.1.1", "198.18.0.1", "198.51.100.7", "203.0.113.9",
		"224.0.0.1", "239.1.1.1", "240.0.0.1", "255.255.255.255", "::1", "::ffff:10.0.0.1", "::ffff:127.0.0.1",
		"::127.0.0.1", "64:ff9b::a00:1", "2001:db8::1", "2001::1", "2002:a00:1::", "fc00::1", "fd12:3456::1", "fe80::1",
		"fec0::1", "ff02::1"})
		EXPECT_TRUE(OutboundConnector::isSpecialPurpose(IPAddress(special))) << special;
	EXPECT_TRUE(OutboundConnector::isSpecialPurpose(IPAddress::wildcard(IPAddress::IPv6))) << "::";
	for (const char* routable: {"1.1.1.1", "8.8.8.8", "100.63.255.255", "100.128.0.1", "172.15.0.1", "172.32.0.1",
		"192.169.0.1", "2606:4700::1111", "2a00:1450::1", "::ffff:8.8.8.8"})
		EXPECT_FALSE(OutboundConnector::isSpecialPurpose(IPAddress(routable))) << routable;

	OutboundConnector connector("10.0.0.0/8, 127.0.0.1", "", 1);
	EXPECT_TRUE(connector.isAllowed(IPAddress("10.2.3.4")));
	EXPECT_TRUE(connector.isAllowed(IPAddress("::ffff:10.2.3.4")));
	EXPECT_TRUE(connector.isAllowed(IPAddress("127.0.0.1")));
	EXPECT_FALSE(connector.isAllowed(IPAddress("127.0.0.2")));
	EXPECT_FALSE(connector.isAllowed(IPAddress("169.254.169.254")));
	EXPECT_TRUE(connector.isAllowed(IPAddress("8.8.8.8")));
}


} // namespace
