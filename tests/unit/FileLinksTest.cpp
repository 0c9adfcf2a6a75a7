// SPDX-License-Identifier: Apache-2.0
//
// FileLinksTest.cpp
//
// Signed, expiring file links: what graders get, and what is refused.
//


#include "files/FileLinks.h"
#include "Poco/JSON/Object.h"
#include "Poco/JSON/ParseHandler.h"
#include "Poco/JSON/Parser.h"
#include "Poco/URI.h"
#include <gtest/gtest.h>


using namespace XQueue;


namespace {


const Micros NOW = 1800000000LL * MICROS_PER_SECOND;


struct LinkParts
{
	std::string key, expires, signature;
};


LinkParts partsOf(const std::string& url)
{
	Poco::URI uri(url);
	LinkParts p;
	p.key = uri.getPath().substr(FileLinks::PATH_PREFIX.size());
	for (const auto& [name, value]: uri.getQueryParameters())
	{
		if (name == "expires") p.expires = value;
		if (name == "signature") p.signature = value;
	}
	return p;
}


TEST(FileLinksTest, ALinkIsValidUntilItExpires)
{
	FileLinks links("secret-secret-secret", 60, "", "http://default:1");
	std::string url = links.url("0123456789abcdef0123456789abcdef", "http://h:2", NOW);
	EXPECT_EQ(url.rfind("http://h:2/xqueue/files/0123456789abcdef0123456789abcdef?expires=1800000060&signature=", 0), 0u) << url;
	LinkParts p = partsOf(url);
	EXPECT_EQ(p.signature.size(), 43u);
	EXPECT_EQ(links.check(p.key, p.expires, p.signature, NOW), FileLinks::Verdict::VALID);
	EXPECT_EQ(links.check(p.key, p.expires, p.signature, NOW + 59 * MICROS_PER_SECOND), FileLinks::Verdict::VALID);
	EXPECT_EQ(links.check(p.key, p.expires, p.signature, NOW + 60 * MICROS_PER_SECOND), FileLinks::Verdict::EXPIRED);
}


TEST(FileLinksTest, TamperedLinksAreRefused)
{
	FileLinks links("secret-secret-secret", 60, "", "http://default:1");
	LinkParts a = partsOf(links.url("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "http://h", NOW));
	LinkParts b = partsOf(links.url("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "http://h", NOW));
	// another file's key under this signature
	EXPECT_EQ(links.check(b.key, a.expires, a.signature, NOW), FileLinks::Verdict::BAD_SIGNATURE);
	// a later expiry
	EXPECT_EQ(links.check(a.key, "9999999999", a.signature, NOW), FileLinks::Verdict::BAD_SIGNATURE);
	// no or garbage signature
	EXPECT_EQ(links.check(a.key, a.expires, "", NOW), FileLinks::Verdict::BAD_SIGNATURE);
	EXPECT_EQ(links.check(a.key, "", "", NOW), FileLinks::Verdict::BAD_SIGNATURE);
	// signed with another secret (another deployment)
	FileLinks other("another-secret-here", 60, "", "http://default:1");
	EXPECT_EQ(other.check(a.key, a.expires, a.signature, NOW), FileLinks::Verdict::BAD_SIGNATURE);
}


TEST(FileLinksTest, TheBaseUrlIsConfiguredOrTheGradersHostOrTheDefault)
{
	FileLinks automatic("s-s-s-s-s-s-s-s-s", 60, "", "http://machine:18040");
	EXPECT_EQ(automatic.baseUrlFor("xqueue.example.org:8080"), "http://xqueue.example.org:8080");
	EXPECT_EQ(automatic.baseUrlFor("[::1]:18040"), "http://[::1]:18040");
	EXPECT_EQ(automatic.baseUrlFor(""), "http://machine:18040");
	EXPECT_EQ(automatic.baseUrlFor("evil.org/phish?"), "http://machine:18040") << "nothing that reshapes the URL";
	EXPECT_EQ(automatic.baseUrlFor("a b"), "http://machine:18040");
	FileLinks configured("s-s-s-s-s-s-s-s-s", 60, "https://files.example.org/prefix/", "http://machine:18040");
	EXPECT_EQ(configured.baseUrlFor("xqueue.example.org"), "https://files.example.org/prefix");
	EXPECT_EQ(configured.url("0123456789abcdef0123456789abcdef", configured.baseUrlFor(""), NOW)
		.rfind("https://files.example.org/prefix/xqueue/files/0123456789abcdef0123456789abcdef?", 0), 0u);
}


TEST(FileLinksTest, TheUrlMapKeepsOrderAndNamesAsPythonWritesThem)
{
	FileLinks links("secret-secret-secret", 60, "", "http://d");
	EXPECT_EQ(links.urlMap("{}", "http://h", NOW), "{}");
	std::string keyMap = "{\"z.py\": \"11111111111111111111111111111111\", \"r\\u00e9sum\\u00e9\": \"22222222222222222222222222222222\","
		" \"../../etc/passwd\": \"33333333333333333333333333333333\"}";
	std::string map = links.urlMap(keyMap, "http://h", NOW);
	EXPECT_EQ(map.rfind("{\"z.py\": \"http://h/xqueue/files/11111111111111111111111111111111?expires=", 0), 0u) << map;
	EXPECT_NE(map.find(", \"r\\u00e9sum\\u00e9\": \"http://h/xqueue/files/2222"), std::string::npos) << map;
	EXPECT_NE(map.find(", \"../../etc/passwd\": \"http://h/xqueue/files/3333"), std::string::npos) << map;
	Poco::JSON::Parser parser(new Poco::JSON::ParseHandler(true));
	auto pMap = parser.parse(map).extract<Poco::JSON::Object::Ptr>();
	auto names = pMap->getNames();
	ASSERT_EQ(names.size(), 3u);
	EXPECT_EQ(names[0], "z.py");
	EXPECT_EQ(names[1], "r\xC3\xA9sum\xC3\xA9");
	EXPECT_EQ(names[2], "../../etc/passwd");
}


TEST(FileLinksTest, ValuesThatAreNotKeysArePassedOnUnchanged)
{
	// Rows imported from the old server hold URLs (S3 pre-signed ones) instead of keys.
	FileLinks links("secret-secret-secret", 60, "", "http://d");
	EXPECT_EQ(links.urlMap("{\"a.py\": \"https://bucket.s3.amazonaws.com/tmp/abc?X-Amz-Signature=1\"}", "http://h", NOW),
		"{\"a.py\": \"https://bucket.s3.amazonaws.com/tmp/abc?X-Amz-Signature=1\"}");
	EXPECT_EQ(links.urlMap("not json", "http://h", NOW), "not json");
	EXPECT_TRUE(FileLinks::isKey("0123456789abcdef0123456789abcdef"));
	EXPECT_FALSE(FileLinks::isKey("0123456789ABCDEF0123456789abcdef"));
	EXPECT_FALSE(FileLinks::isKey("0123456789abcdef0123456789abcde"));
}


} // namespace
