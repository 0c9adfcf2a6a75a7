// SPDX-License-Identifier: Apache-2.0
//
// OutboundSafetyTest.cpp
//
// Callbacks cannot turn the server against its own network (reliability S1's callback
// rows, security finding 2): a callback to a special-purpose address is never
// connected to, and an LMS account restricted to callback prefixes cannot name others.
//


#include "ServerFixture.h"


using namespace XQueueTest;


namespace {


const std::string GRADE = "{\"correct\": true, \"score\": 1, \"msg\": \"\"}";


class CallbacksToPrivateAddressesTest: public ServerFixture
{
protected:
	// The default: no special-purpose address may be reached (the fake LMS is on loopback).
	TestServer::Properties properties() override { return {{"xqueue.outbound.allow_addresses", ""}}; }
};


TEST_F(CallbacksToPrivateAddressesTest, AreRefusedAtSubmitWithoutAConnection)
{
	// Refused when the LMS submits (it shows the reason), not graded and parked at
	// delivery while the student waits for a grade that never comes.
	TestClient lmsClient = loggedIn();
	const std::vector<std::string> callbacks = {
		lms().callbackUrl("loopback"),
		"http://localhost:" + std::to_string(lms().port()) + "/cb",
		"http://169.254.169.254/latest/meta-data/iam/security-credentials/",
		"http://[::ffff:127.0.0.1]:" + std::to_string(lms().port()) + "/cb",
	};
	for (const auto& callback: callbacks)
	{
		Envelope reply = parseEnvelope(submit(lmsClient, callback).body);
		EXPECT_EQ(reply.returnCode, 1) << callback;
		EXPECT_EQ(reply.text().rfind("lms_callback_url is refused: ", 0), 0u) << reply.text();
		EXPECT_NE(reply.text().find("special-purpose address"), std::string::npos) << reply.text();
	}
	// The last: request smuggling through the query, which reached the request line raw.
	for (const std::string& malformed: {std::string("ftp://lms/cb"), std::string("http://user:pw@lms.example/cb"),
		std::string("http://lms.example/courses/ok?x=1 HTTP/1.1\\r\\nHost: internal.vhost\\r\\n\\r\\nGET /internal/admin?delete=all")})
	{
		Envelope reply = parseEnvelope(submit(lmsClient, malformed).body);
		EXPECT_EQ(reply.returnCode, 1) << malformed;
		EXPECT_EQ(reply.text().rfind("lms_callback_url is refused: ", 0), 0u) << reply.text();
	}
	EXPECT_EQ(lmsClient.get("/xqueue/get_queuelen/?queue_name=tmp").body, "{\"return_code\": 0, \"content\": 0}") << "nothing was stored";
	EXPECT_TRUE(lms().callbacks().empty()) << "the loopback LMS was never called";
}


TEST_F(CallbacksToPrivateAddressesTest, AHostRegisteredAsAnAccountsCallbackIsReachedAtAnyAddress)
{
	// xqueue-admin user callbacks is the operator saying "this LMS is mine": its host is
	// reached on loopback although allow_addresses names nothing.
	std::string output;
	ASSERT_EQ(server().admin("user callbacks lms http://127.0.0.1:" + std::to_string(lms().port()) + "/courses/", "", &output), 0) << output;
	TestClient lmsClient = loggedIn();
	TestClient grader = loggedIn("grader", "graderpass");
	ASSERT_EQ(parseEnvelope(submit(lmsClient, lms().callbackUrl("registered")).body).returnCode, 0);
	auto pulled = pull(grader);
	ASSERT_TRUE(pulled);
	EXPECT_EQ(putResult(grader, pulled->header, GRADE).body, envelope(0, ""));
	EXPECT_TRUE(lms().waitForCount(1, std::chrono::seconds(10)));
}


class CallbackPrefixesTest: public ServerFixture
{
};


TEST_F(CallbackPrefixesTest, AnLmsAccountNamesOnlyItsCallbacks)
{
	EXPECT_NE(server().log().find("may name any callback URL"), std::string::npos) << "warned at start-up";
	const std::string port = std::to_string(lms().port());
	std::string output;
	ASSERT_EQ(server().admin("user callbacks lms http://127.0.0.1:" + port + "/courses/c1/", "", &output), 0) << output;
	TestClient lmsClient = loggedIn();
	TestClient grader = loggedIn("grader", "graderpass");

	const std::string refused = envelope(1, "lms_callback_url is not among the callback URLs allowed for this account");
	for (const std::string& callback: std::vector<std::string>{
		"http://127.0.0.1:" + port + "/courses/c2/xqueue/1/score_update",
		"http://localhost:" + port + "/courses/c1/xqueue/1/score_update",
		"http://127.0.0.1:" + port + "/courses/c1/../c2/score_update",
		"https://127.0.0.1:" + port + "/courses/c1/x",
		"http://127.0.0.1:" + port + "@evil.example/courses/c1/x",
		"http://169.254.169.254/courses/c1/x"})
	{
		EXPECT_EQ(submit(lmsClient, callback).body, refused) << callback;
	}
	EXPECT_EQ(grader.get("/xqueue/get_queuelen/?queue_name=tmp").body, "{\"return_code\": 0, \"content\": 0}") << "nothing stored";

	EXPECT_EQ(submit(lmsClient, lms().callbackUrl("1")).body, envelope(0, "1"));
	auto pulled = pull(grader);
	ASSERT_TRUE(pulled);
	EXPECT_EQ(putResult(grader, pulled->header, GRADE).body, envelope(0, ""));
	EXPECT_TRUE(lms().waitForCount(1, std::chrono::seconds(10)));

	ASSERT_EQ(server().admin("user list", "", &output), 0);
	EXPECT_NE(output.find("http://127.0.0.1:" + port + "/courses/c1/"), std::string::npos) << output;
	// Lifting the restriction takes --clear; a forgotten URL is an error, not a lift.
	EXPECT_EQ(server().admin("user callbacks lms", "", &output), 64);
	EXPECT_NE(output.find("give the URL prefixes, or --clear to allow any callback URL"), std::string::npos) << output;
	EXPECT_NE(parseEnvelope(submit(lmsClient, "http://localhost:" + port + "/elsewhere").body).returnCode, 0) << "still restricted";
	EXPECT_EQ(server().admin("user callbacks lms --clear http://127.0.0.1/", "", &output), 64);
	ASSERT_EQ(server().admin("user callbacks lms --clear", "", &output), 0);
	TestServer::waitOutSessionCache();
	EXPECT_EQ(parseEnvelope(submit(lmsClient, "http://localhost:" + port + "/elsewhere").body).returnCode, 0);
	EXPECT_NE(server().admin("user callbacks lms not-a-url", "", &output), 0);
	EXPECT_NE(server().admin("user callbacks nobody http://127.0.0.1/", "", &output), 0);
}


} // namespace
