//
// BruteForceTest.cpp
//
// Password guessing over HTTP (reliability S3): refused with 429 after the limit, before
// the password is checked, for that user name only, until the window passes.
//


#include "ServerFixture.h"
#include <thread>


using namespace XQueueTest;
using namespace std::chrono_literals;


namespace {


class BruteForceTest: public ServerFixture
{
protected:
	TestServer::Properties properties() override
	{
		return {{"xqueue.auth.max_failures_per_user", "3"}, {"xqueue.auth.failure_window", "2"}};
	}

	Reply attempt(const std::string& user, const std::string& password)
	{
		return anonymous().post("/xqueue/login/", {{"username", user}, {"password", password}});
	}
};


TEST_F(BruteForceTest, GuessingIsThrottledPerUserUntilTheWindowPasses)
{
	for (int i = 0; i < 3; ++i) EXPECT_EQ(attempt("lms", "guess" + std::to_string(i)).body, envelope(1, "Incorrect login credentials"));
	Reply throttled = attempt("lms", "lmspass");
	EXPECT_EQ(throttled.status, 429);
	EXPECT_EQ(throttled.body, envelope(1, "Too many failed logins; try again later")) << "even the right password";
	EXPECT_FALSE(throttled.header("Retry-After").empty());
	EXPECT_EQ(attempt("grader", "graderpass").body, envelope(0, "Logged in")) << "other users are unaffected";
	std::this_thread::sleep_for(2100ms);
	EXPECT_EQ(attempt("lms", "lmspass").body, envelope(0, "Logged in"));
}


} // namespace
