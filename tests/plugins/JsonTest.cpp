// SPDX-License-Identifier: Apache-2.0
//
// JsonTest.cpp
//
// The SDK's JSON reader (xqueue/sdk/Json.hpp) on what graders read, and on what it must
// refuse.
//


#include "xqueue/sdk/Json.hpp"
#include <gtest/gtest.h>
#include <stdexcept>


using xqueue::sdk::JsonValue;
using xqueue::sdk::LmsBody;


TEST(JsonTest, ReadsTheLmsBodyAndItsPayload)
{
	// As edx-platform sends it: payload and student_info are JSON inside strings.
	LmsBody body = LmsBody::parse(
		"{\"student_info\": \"{\\\"anonymous_student_id\\\": \\\"abc\\\", \\\"submission_time\\\": \\\"20261207\\\"}\", "
		"\"student_response\": \"def square(x):\\n    return x * x\\n\", \"grader_payload\": \"{\\\"grader\\\": \\\"sq.py\\\", \\\"tolerance\\\": 0.5}\"}");
	EXPECT_EQ(body.studentResponse(), "def square(x):\n    return x * x\n");
	EXPECT_EQ(body.payload().get("grader").asString(), "sq.py");
	EXPECT_DOUBLE_EQ(body.payload().numberOr("tolerance", 0), 0.5);
	EXPECT_EQ(body.studentInfo().stringOr("anonymous_student_id", ""), "abc");
	// A payload that is plain text, or absent.
	LmsBody plain = LmsBody::parse("{\"student_response\": \"Paris\", \"grader_payload\": \"paris\"}");
	EXPECT_TRUE(plain.payload().isNull());
	EXPECT_EQ(plain.graderPayloadText(), "paris");
	EXPECT_TRUE(LmsBody::parse("{}").payload().isNull());
	EXPECT_THROW(LmsBody::parse("[1]"), std::invalid_argument);
	EXPECT_THROW(LmsBody::parse("not json"), std::invalid_argument);
}


TEST(JsonTest, ValuesOfEveryKind)
{
	JsonValue v = JsonValue::parse(" {\"a\": [1, -2.5e3, 0, true, false, null, \"x\"], \"b\": {\"c\": {}}, \"d\": [] } ");
	ASSERT_TRUE(v.isObject());
	const auto& a = v.get("a");
	ASSERT_EQ(a.size(), 7u);
	EXPECT_TRUE(a[0].isInteger());
	EXPECT_EQ(a[0].numberText(), "1");
	EXPECT_FALSE(a[1].isInteger());
	EXPECT_DOUBLE_EQ(a[1].asNumber(), -2500);
	EXPECT_TRUE(a[3].asBool());
	EXPECT_FALSE(a[4].asBool());
	EXPECT_TRUE(a[5].isNull());
	EXPECT_EQ(a[6].asString(), "x");
	EXPECT_TRUE(v.get("b").get("c").isObject());
	EXPECT_EQ(v.get("d").size(), 0u);
	EXPECT_TRUE(v.get("missing").isNull());
	EXPECT_EQ(v.stringOr("missing", "fallback"), "fallback");
	EXPECT_THROW(v.get("a").asString(), std::invalid_argument) << "the wrong type is an error, not a conversion";
	EXPECT_EQ(JsonValue::parse("{\"k\": 1, \"k\": 2}").get("k").numberText(), "2") << "the last duplicate, as Python keeps it";
}


TEST(JsonTest, EscapesBecomeUtf8)
{
	EXPECT_EQ(JsonValue::parse("\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"").asString(), "\"\\/\b\f\n\r\t");
	EXPECT_EQ(JsonValue::parse("\"\\u00e9\\u20ac\"").asString(), "\xc3\xa9\xe2\x82\xac");
	EXPECT_EQ(JsonValue::parse("\"\\ud83d\\ude00\"").asString(), "\xf0\x9f\x98\x80") << "a surrogate pair is one character";
	EXPECT_EQ(JsonValue::parse("\"\\ud83dx\"").asString(), "\xef\xbf\xbdx") << "a lone surrogate is U+FFFD, never invalid UTF-8";
	EXPECT_EQ(JsonValue::parse("\"caf\xc3\xa9\"").asString(), "caf\xc3\xa9");
}


TEST(JsonTest, RefusesWhatIsNotJson)
{
	for (const char* bad: {"", " ", "{", "[1,]", "{\"a\":1,}", "{a: 1}", "'x'", "01", "1.", ".5", "-", "1e", "tru", "nul",
			"\"unterminated", "\"\\x\"", "\"\\u12\"", "\"a\nb\"", "1 2", "{} x", "[1] // comment", "NaN", "Infinity"})
		EXPECT_THROW(JsonValue::parse(bad), std::invalid_argument) << "'" << bad << "'";
	std::string deep(64, '[');
	deep += std::string(64, ']');
	EXPECT_NO_THROW(JsonValue::parse(deep));
	std::string tooDeep(70, '[');
	tooDeep += std::string(70, ']');
	EXPECT_THROW(JsonValue::parse(tooDeep), std::invalid_argument) << "a depth bound, not a stack overflow";
	try
	{
		JsonValue::parse("{\"a\": [1, 2,]}");
	}
	catch (const std::invalid_argument& exc)
	{
		EXPECT_STREQ(exc.what(), "JSON: unexpected character at offset 12");
	}
}
