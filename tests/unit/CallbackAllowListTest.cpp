// SPDX-License-Identifier: Apache-2.0
//
// CallbackAllowListTest.cpp
//


#include "auth/CallbackAllowList.h"
#include "Poco/Exception.h"
#include <gtest/gtest.h>


using XQueue::CallbackAllowList;


namespace {


TEST(CallbackAllowListTest, MatchesSchemeHostPortAndPathPrefix)
{
	CallbackAllowList list({"https://LMS.example.com/courses/", "http://lms2.example.com:8080/xqueue"});
	for (const char* permitted: {
		"https://lms.example.com/courses/c1/xqueue/5/block/score_update",
		"https://LMS.EXAMPLE.COM/courses/x?y=1",
		"https://lms.example.com:443/courses/x",
		"https://lms.example.com/courses/a/../b/score_update",
		"http://lms2.example.com:8080/xqueue",
		"http://lms2.example.com:8080/xqueue/1/score_update"})
		EXPECT_TRUE(list.permits(permitted)) << permitted;
	for (const char* refused: {
		"http://lms.example.com/courses/c1",           // scheme
		"https://lms.example.com:8443/courses/c1",     // port
		"https://lms.example.com.evil.net/courses/c1", // host suffix
		"https://evil.net/lms.example.com/courses/",
		"https://lms.example.com@evil.net/courses/c1", // user info naming the host
		"https://x@lms.example.com/courses/c1",
		"https://lms.example.com/courses/../admin",   // dot segments out of the prefix
		"https://lms.example.com/courses/%2e%2e/admin",
		"https://lms.example.com/coursesX/c1",
		"https://lms.example.com/",
		"http://lms2.example.com:8080/xqueueX",
		"http://lms2.example.com/xqueue/1",
		"not a url", "", "/courses/c1"})
		EXPECT_FALSE(list.permits(refused)) << refused;
}


TEST(CallbackAllowListTest, AnEmptyListPermitsEverything)
{
	EXPECT_TRUE(CallbackAllowList({}).permits("http://anything.example/"));
	EXPECT_TRUE(CallbackAllowList({}).empty());
}


TEST(CallbackAllowListTest, PrefixesAreNormalizedAndMalformedOnesRefused)
{
	EXPECT_EQ(CallbackAllowList::normalize("HTTPS://LMS.Example.com"), "https://lms.example.com/");
	EXPECT_EQ(CallbackAllowList::normalize("https://lms.example.com:8443/a/./b/"), "https://lms.example.com:8443/a/b/");
	for (const char* bad: {"lms.example.com", "ftp://lms.example.com/", "https://u:p@lms.example.com/",
		"https://lms.example.com/?q=1", "https://lms.example.com/#f", "https:///x",
		"http://[[]x::1]/" /* Poco::URI takes "[" as its host; found by CallbackUrlFuzzer */, "http://lms\\x01.example.com/"})
		EXPECT_THROW(CallbackAllowList::normalize(bad), Poco::InvalidArgumentException) << bad;
	EXPECT_EQ(CallbackAllowList::normalize("http://[::1]:8080/x"), "http://[::1]:8080/x");
	EXPECT_EQ(CallbackAllowList::normalize("http://10.0.0.5/x"), "http://10.0.0.5/x");
	// The path is decoded once only; found by CallbackUrlFuzzer ("%25" made normalize throw).
	EXPECT_EQ(CallbackAllowList::normalize("http://lms.example.com/e%25"), "http://lms.example.com/e%25");
	EXPECT_EQ(CallbackAllowList::normalize("http://lms.example.com/e%2541/"), "http://lms.example.com/e%2541/");
	EXPECT_TRUE(CallbackAllowList({CallbackAllowList::normalize("http://lms.example.com/e%2541/")}).permits("http://lms.example.com/e%2541/x"));
	EXPECT_FALSE(CallbackAllowList({CallbackAllowList::normalize("http://lms.example.com/e%2541/")}).permits("http://lms.example.com/eA/x"));
	for (const char* good: {"https://lms.example.com/", "http://[::1]:8080/x", "http://10.0.0.5/x", "http://h/e%25%20x/"})
	{
		std::string stored = CallbackAllowList::normalize(good);
		EXPECT_EQ(CallbackAllowList::normalize(stored), stored) << "normalizing twice changes nothing";
	}
}


TEST(CallbackAllowListTest, AStoredPrefixThatNoLongerParsesMatchesNothing)
{
	CallbackAllowList damaged({"http://[", "https://lms.example.com/courses/"});
	EXPECT_FALSE(damaged.empty());
	EXPECT_TRUE(damaged.permits("https://lms.example.com/courses/c1"));
	EXPECT_FALSE(damaged.permits("https://evil.example/"));
	CallbackAllowList allDamaged({"http://["});
	EXPECT_FALSE(allDamaged.empty()) << "fails closed";
	EXPECT_FALSE(allDamaged.permits("https://lms.example.com/"));
	EXPECT_FALSE(allDamaged.permits("http://[/"));
}


} // namespace
