//
// LmsClientTest.cpp
//


#include "delivery/LmsClient.h"
#include "FakeLms.h"
#include <gtest/gtest.h>


using XQueue::LmsClient;


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


TEST(LmsClientTest, MalformedCallbackUrlsArePermanentFailures)
{
	LmsClient client(1, "", "");
	for (const std::string url: {"/", "", "ftp://host/x", "http://", "127.0.0.1:80/x", "file:///etc/passwd"})
	{
		auto attempt = client.post(url, "h", "b");
		EXPECT_FALSE(attempt.delivered) << url;
		EXPECT_TRUE(attempt.permanent) << url;
	}
}


TEST(LmsClientTest, OnlyHttp200CountsAndCredentialsAreSent)
{
	XQueueTest::FakeLms lms;
	LmsClient client(2, "user", "pw");
	lms.answerWith(200);
	auto ok = client.post(lms.callbackUrl("1/b"), "{\"h\": 1}", "grade");
	EXPECT_TRUE(ok.delivered);
	lms.answerWith(201);
	auto created = client.post(lms.callbackUrl("1/b"), "h", "b");
	EXPECT_FALSE(created.delivered);
	EXPECT_FALSE(created.permanent);
	EXPECT_EQ(created.error, "LMS answered HTTP 201");
	lms.answerWith(302);
	EXPECT_FALSE(client.post(lms.callbackUrl("1/b"), "h", "b").delivered) << "redirects are not followed";

	auto calls = lms.callbacks();
	ASSERT_EQ(calls.size(), 3u);
	EXPECT_EQ(calls[0].path, "/courses/c1/xqueue/1/b/score_update");
	EXPECT_EQ(calls[0].contentType, "application/x-www-form-urlencoded");
	EXPECT_EQ(calls[0].authorization, "Basic dXNlcjpwdw==");
	EXPECT_EQ(calls[0].form["xqueue_header"], "{\"h\": 1}");
	EXPECT_EQ(calls[0].form["xqueue_body"], "grade");
}


TEST(LmsClientTest, UnreachableLmsIsARetryableFailure)
{
	int port;
	{
		XQueueTest::FakeLms closed;
		port = closed.port();
	}
	LmsClient client(1, "", "");
	auto attempt = client.post("http://127.0.0.1:" + std::to_string(port) + "/cb", "h", "b");
	EXPECT_FALSE(attempt.delivered);
	EXPECT_FALSE(attempt.permanent);
	EXPECT_FALSE(attempt.error.empty());
}


} // namespace
