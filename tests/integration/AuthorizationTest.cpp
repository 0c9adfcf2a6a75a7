// SPDX-License-Identifier: Apache-2.0
//
// AuthorizationTest.cpp
//
// The authorization matrix (reliability S4): every queue endpoint and the dashboard API
// against anonymous, an LMS account for queue tmp, graders for tmp and for other, an
// admin and a legacy account. Only the allowed cells succeed; grader B cannot pull from
// A or post results for A's submissions.
//


#include "ServerFixture.h"


using namespace XQueueTest;


namespace {


class AuthorizationTest: public ServerFixture
{
protected:
	void SetUp() override
	{
		ServerFixture::SetUp();
		if (IsSkipped()) return;
		for (const auto& [name, role]: std::vector<std::pair<std::string, std::string>>{
			{"lms-a", "--role=lms --queues=tmp"}, {"grader-a", "--role=grader --queues=tmp"},
			{"grader-b", "--role=grader --queues=other"}, {"ops", "--role=admin"}, {"old", ""}})
		{
			ASSERT_EQ(server().admin("user set " + name + " " + role, "pw\n"), 0) << name;
		}
	}

	TestClient as(const std::string& user)
	{
		TestClient client(server().port());
		EXPECT_TRUE(client.login(user, "pw")) << user;
		return client;
	}

	Reply submitAs(TestClient& client, const std::string& queue, const std::string& suffix)
	{
		return client.post("/xqueue/submit/", {{"xqueue_header", header(lms().callbackUrl(suffix), queue)}, {"xqueue_body", "{}"}});
	}
};


TEST_F(AuthorizationTest, OnlyTheAllowedCellsSucceed)
{
	TestClient lmsA = as("lms-a"), graderA = as("grader-a"), graderB = as("grader-b"), ops = as("ops"), old = as("old");
	TestClient anonymousClient = anonymous();

	// submit
	EXPECT_EQ(submitAs(lmsA, "tmp", "a/1").body, envelope(0, "1"));
	EXPECT_EQ(submitAs(lmsA, "other", "a/2").body, envelope(1, "This account may not submit to queue 'other'"));
	EXPECT_EQ(submitAs(graderA, "tmp", "a/3").body, envelope(1, "This account may not submit to queue 'tmp'"));
	EXPECT_EQ(submitAs(ops, "tmp", "a/4").body, envelope(1, "This account may not submit to queue 'tmp'"));
	EXPECT_EQ(submitAs(anonymousClient, "tmp", "a/5").status, 302);
	EXPECT_EQ(submitAs(old, "other", "a/6").body, envelope(0, "1")) << "legacy: the old server's behaviour";

	// get_queuelen
	EXPECT_EQ(graderA.get("/xqueue/get_queuelen/?queue_name=tmp").body, "{\"return_code\": 0, \"content\": 1}");
	EXPECT_EQ(graderB.get("/xqueue/get_queuelen/?queue_name=tmp").body, envelope(1, "This account may not grade queue 'tmp'"));
	EXPECT_EQ(lmsA.get("/xqueue/get_queuelen/?queue_name=tmp").body, envelope(1, "This account may not grade queue 'tmp'"));
	EXPECT_EQ(old.get("/xqueue/get_queuelen/?queue_name=other").body, "{\"return_code\": 0, \"content\": 1}");

	// get_submission: grader B cannot pull from A's queue
	EXPECT_EQ(graderB.get("/xqueue/get_submission/?queue_name=tmp").body, envelope(1, "This account may not grade queue 'tmp'"));
	EXPECT_EQ(lmsA.get("/xqueue/get_submission/?queue_name=tmp").body, envelope(1, "This account may not grade queue 'tmp'"));
	EXPECT_EQ(ops.get("/xqueue/get_submission/?queue_name=tmp").body, envelope(1, "This account may not grade queue 'tmp'"));
	auto pulled = pull(graderA, "tmp");
	ASSERT_TRUE(pulled);

	// put_result: grader B cannot post for A's submission even with the right key, and
	// learns nothing of it: other queues' submissions answer as if they did not exist,
	// whatever the key or the grade (no existence oracle).
	const std::string grade = "{\"correct\": true, \"score\": 1, \"msg\": \"\"}";
	const std::string wrongKey = "{\"submission_id\": " + std::to_string(pulled->id) + ", \"submission_key\": \"x\"}";
	const std::string missing = "{\"submission_id\": 999999, \"submission_key\": \"x\"}";
	for (const std::string& header: {pulled->header, wrongKey, missing})
	{
		for (const std::string& body: {grade, std::string("not a grade")})
		{
			EXPECT_EQ(putResult(graderB, header, body).body, envelope(1, "Submission does not exist")) << header << " " << body;
			EXPECT_EQ(putResult(lmsA, header, body).body, envelope(1, "Submission does not exist")) << header << " " << body;
		}
	}
	EXPECT_EQ(putResult(graderA, pulled->header, grade).body, envelope(0, ""));
	EXPECT_TRUE(lms().waitForCount(1, std::chrono::seconds(10)));

	// the dashboard API: the admin role only
	EXPECT_EQ(ops.get("/xqueue/dashboard/api/overview").status, 200);
	for (TestClient* client: {&lmsA, &graderA, &old}) EXPECT_EQ(client->get("/xqueue/dashboard/api/overview").status, 403);
	EXPECT_EQ(anonymousClient.get("/xqueue/dashboard/api/overview").status, 401);
}


TEST_F(AuthorizationTest, ARoleChangeTakesEffectOnTheNextRequest)
{
	TestClient graderA = as("grader-a");
	EXPECT_EQ(graderA.get("/xqueue/get_queuelen/?queue_name=other").body, envelope(1, "This account may not grade queue 'other'"));
	ASSERT_EQ(server().admin("user set grader-a --role=grader --queues=*", "pw\n"), 0);
	TestClient again = as("grader-a"); // a password change ends the old session
	EXPECT_EQ(again.get("/xqueue/get_queuelen/?queue_name=other").body, "{\"return_code\": 0, \"content\": 0}");
}


TEST_F(AuthorizationTest, TheServerWarnsWhileLegacyAccountsRemain)
{
	EXPECT_NE(server().log().find("users have the legacy role"), std::string::npos) << server().log();
}


} // namespace
