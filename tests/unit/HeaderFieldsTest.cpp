// SPDX-License-Identifier: Apache-2.0
//
// HeaderFieldsTest.cpp
//


#include "protocol/HeaderFields.h"
#include "Poco/JSON/Parser.h"
#include <gtest/gtest.h>


using XQueue::HeaderFields;


namespace {


std::optional<Poco::Int64> idOf(const std::string& json)
{
	auto pObject = HeaderFields::parseObject("{\"submission_id\": " + json + "}");
	EXPECT_TRUE(pObject) << json;
	return HeaderFields::pythonInt(pObject->get("submission_id"));
}


TEST(HeaderFieldsTest, ParseObjectAcceptsOnlyObjects)
{
	EXPECT_TRUE(HeaderFields::parseObject("{\"a\": 1}"));
	EXPECT_TRUE(HeaderFields::parseObject("  {}  "));
	EXPECT_FALSE(HeaderFields::parseObject("[1, 2]"));
	EXPECT_FALSE(HeaderFields::parseObject("\"text\""));
	EXPECT_FALSE(HeaderFields::parseObject("42"));
	EXPECT_FALSE(HeaderFields::parseObject("not json"));
	EXPECT_FALSE(HeaderFields::parseObject(""));
	EXPECT_FALSE(HeaderFields::parseObject("{\"a\": "));
}


TEST(HeaderFieldsTest, DeepNestingIsRefusedNotCrashed)
{
	std::string deep(100000, '[');
	EXPECT_FALSE(HeaderFields::parseObject("{\"a\": " + deep + "}"));
}


TEST(HeaderFieldsTest, SubmissionIdFollowsPythonInt)
{
	EXPECT_EQ(idOf("2"), 2);
	EXPECT_EQ(idOf("\"2\""), 2);
	EXPECT_EQ(idOf("\" 7 \""), 7);
	EXPECT_EQ(idOf("\"+12\""), 12);
	EXPECT_EQ(idOf("\"1_000\""), 1000);
	EXPECT_EQ(idOf("2.9"), 2);
	EXPECT_EQ(idOf("-3"), -3);
}


TEST(HeaderFieldsTest, SubmissionIdRejectsWhatPythonIntRejects)
{
	EXPECT_FALSE(idOf("\"abc\""));
	EXPECT_FALSE(idOf("\"\""));
	EXPECT_FALSE(idOf("\"1.5\""));
	EXPECT_FALSE(idOf("\"1__0\""));
	EXPECT_FALSE(idOf("\"_1\""));
	EXPECT_FALSE(idOf("null"));
	EXPECT_FALSE(idOf("[1]"));
	EXPECT_FALSE(idOf("{\"a\": 1}"));
	EXPECT_FALSE(idOf("\"99999999999999999999\""));
	EXPECT_FALSE(idOf("1e300"));
}


TEST(HeaderFieldsTest, BooleansAreNotIds)
{
	// Python's int(True) is 1; no client sends booleans, so they are refused.
	EXPECT_FALSE(idOf("true"));
	EXPECT_FALSE(idOf("false"));
}


} // namespace
