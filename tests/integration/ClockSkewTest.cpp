// SPDX-License-Identifier: Apache-2.0
//
// ClockSkewTest.cpp
//
// Clock skew between hosts (reliability F17): three hosts share one MariaDB store, one
// with its clock 10 minutes ahead and one 10 minutes behind (libfaketime). Leases are on
// the database's clock, so the fast host does not re-lease early and the slow one does
// not hold a lease past its end.
//


#include "HostGroup.h"
#include "ServerFixture.h"
#include "Poco/DateTimeFormat.h"
#include "Poco/DateTimeParser.h"
#include "Poco/File.h"
#include <thread>


using namespace XQueueTest;
using namespace std::chrono_literals;


namespace {


const char* const LIBFAKETIME = "/usr/lib/x86_64-linux-gnu/faketime/libfaketimeMT.so.1";


class ClockSkewTest: public ::testing::Test
{
protected:
	void SetUp() override
	{
		if (!testingMySql()) GTEST_SKIP() << "runs in the MySQL pass (several hosts need a shared database)";
		if (!MySqlTestDatabase().available()) GTEST_SKIP() << NO_MYSQL;
		if (!Poco::File(LIBFAKETIME).exists()) GTEST_SKIP() << "needs libfaketime (scripts/install-deps --test installs faketime)";
		_pHosts = std::make_unique<HostGroup>();
		// libfaketime preloaded into the server itself (the faketime command would fork,
		// and killing it would leave the server running). ASan, whose runtime wants to
		// come first, is told to allow that.
		const std::string skewed = std::string("env ASAN_OPTIONS=\"$ASAN_OPTIONS:verify_asan_link_order=0\" LD_PRELOAD=") + LIBFAKETIME + " FAKETIME=";
		for (const char* skew: {"", "+600s", "-600s"})
			_pHosts->start({{"xqueue.processing_delay", "3"}}, *skew ? skewed + skew : "");
	}

	void TearDown() override
	{
		if (HasFailure() && _pHosts) _pHosts->printLogs(std::cerr);
		_pHosts.reset();
	}

	TestClient client(std::size_t host, const std::string& user, const std::string& password)
	{
		TestClient c((*_pHosts)[host].port());
		EXPECT_TRUE(c.login(user, password));
		return c;
	}

	std::optional<std::pair<std::string, std::string>> pull(TestClient& grader)
	{
		Envelope e = parseEnvelope(grader.get("/xqueue/get_submission/?queue_name=tmp").body);
		if (e.returnCode != 0) return std::nullopt;
		Poco::JSON::Parser parser;
		auto pContent = parser.parse(e.content.extract<std::string>()).extract<Poco::JSON::Object::Ptr>();
		return std::make_pair(pContent->getValue<std::string>("xqueue_header"), pContent->getValue<std::string>("xqueue_body"));
	}

	FakeLms _lms;
	std::unique_ptr<HostGroup> _pHosts;
};


TEST_F(ClockSkewTest, LeasesFollowTheDatabaseClockNotTheHosts)
{
	TestClient lms = client(0, "lms", "lmspass");
	ASSERT_EQ(parseEnvelope(lms.post("/xqueue/submit/", {{"xqueue_header", "{\"lms_callback_url\": \"" + _lms.callbackUrl("1") +
		"\", \"lms_key\": \"k\", \"queue_name\": \"tmp\"}"}, {"xqueue_body", "work"}}).body).returnCode, 0);
	TestClient onTime = client(0, "grader", "graderpass");
	TestClient fast = client(1, "grader", "graderpass");
	TestClient slow = client(2, "grader", "graderpass");

	// The skew is real: each host dates its replies by its own clock.
	auto clockOf = [&](TestClient& c) {
		int zone = 0;
		return Poco::DateTimeParser::parse(Poco::DateTimeFormat::HTTP_FORMAT, c.get("/xqueue/status/").header("Date"), zone).timestamp();
	};
	EXPECT_GT(clockOf(fast) - clockOf(onTime), 590LL * 1000000);
	EXPECT_LT(clockOf(slow) - clockOf(onTime), -590LL * 1000000);

	auto first = pull(onTime);
	ASSERT_TRUE(first);
	EXPECT_FALSE(pull(fast)) << "the host 10 minutes ahead must not take the lease as expired";
	EXPECT_FALSE(pull(slow));

	std::this_thread::sleep_for(3500ms); // processing_delay = 3 s on the database's clock
	auto second = pull(slow);
	ASSERT_TRUE(second) << "the host 10 minutes behind must see the lease as ended";
	EXPECT_EQ(second->second, "work");
	EXPECT_NE(second->first, first->first) << "a new key";

	auto put = [&](TestClient& grader, const std::string& header) {
		return grader.post("/xqueue/put_result/", {{"xqueue_body", "{\"correct\": true, \"score\": 1, \"msg\": \"\"}"}, {"xqueue_header", header}});
	};
	EXPECT_EQ(put(fast, first->first).body, envelope(1, "Incorrect key for submission")) << "the first lease's key is dead";
	EXPECT_EQ(put(fast, second->first).body, envelope(0, ""));
	ASSERT_TRUE(_lms.waitForCount(1, 10s));
	std::this_thread::sleep_for(500ms);
	EXPECT_EQ(_lms.count(), 1u);
}


} // namespace
