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
		"https://lms.example.com/?q=1", "https://lms.example.com/#f", "https:///x"})
		EXPECT_THROW(CallbackAllowList::normalize(bad), Poco::InvalidArgumentException) << bad;
}


} // namespace
