// SPDX-License-Identifier: Apache-2.0
//
// PythonJsonTest.cpp
//


#include "protocol/PythonJson.h"
#include "xqueue/sdk/Grade.hpp"
#include "Poco/JSON/Array.h"
#include "Poco/JSON/Parser.h"
#include <gtest/gtest.h>
#include <cmath>
#include <string>
#include <utility>


using XQueue::PythonJson;


namespace {


Poco::Dynamic::Var parse(const std::string& json)
{
	// Poco 1.11's parser refuses top-level scalars: parse inside an array.
	Poco::JSON::Parser parser;
	return parser.parse("[" + json + "]").extract<Poco::JSON::Array::Ptr>()->get(0);
}


TEST(PythonJsonTest, AsciiPassesThroughWithStandardEscapes)
{
	EXPECT_EQ(PythonJson::quote("OK"), "\"OK\"");
	EXPECT_EQ(PythonJson::quote("a\"b\\c"), "\"a\\\"b\\\\c\"");
	EXPECT_EQ(PythonJson::quote("\n\r\t\b\f"), "\"\\n\\r\\t\\b\\f\"");
	EXPECT_EQ(PythonJson::quote(""), "\"\"");
}


TEST(PythonJsonTest, SlashIsNotEscapedButDeleteIs)
{
	// json.dumps escapes every character outside ' '..'~' (ensure_ascii), DEL included.
	EXPECT_EQ(PythonJson::quote("http://a/b"), "\"http://a/b\"");
	EXPECT_EQ(PythonJson::quote("\x7f"), "\"\\u007f\"");
	EXPECT_EQ(PythonJson::quote("a\x7f\x1f~"), "\"a\\u007f\\u001f~\"");
}


TEST(PythonJsonTest, OtherControlCharactersUseLowercaseUnicodeEscapes)
{
	EXPECT_EQ(PythonJson::quote(std::string("\x00\x1f\x0b", 3)), "\"\\u0000\\u001f\\u000b\"");
}


TEST(PythonJsonTest, NonAsciiIsEscapedWithLowercaseHex)
{
	EXPECT_EQ(PythonJson::quote("t\xc3\xa9st"), "\"t\\u00e9st\"");          // é
	EXPECT_EQ(PythonJson::quote("\xe2\x82\xac"), "\"\\u20ac\"");            // €
	EXPECT_EQ(PythonJson::quote("\xef\xbf\xbf"), "\"\\uffff\"");
}


TEST(PythonJsonTest, AstralCharactersBecomeSurrogatePairs)
{
	EXPECT_EQ(PythonJson::quote("\xf0\x9f\x98\x80"), "\"\\ud83d\\ude00\""); // 😀
	EXPECT_EQ(PythonJson::quote("\xf4\x8f\xbf\xbf"), "\"\\udbff\\udfff\""); // U+10FFFF
}


TEST(PythonJsonTest, InvalidUtf8BecomesReplacementCharacters)
{
	EXPECT_EQ(PythonJson::quote("a\xff" "b"), "\"a\\ufffdb\"");
	EXPECT_EQ(PythonJson::quote("\xc3"), "\"\\ufffd\"");           // truncated sequence
	EXPECT_EQ(PythonJson::quote("\xc0\x80"), "\"\\ufffd\\ufffd\""); // overlong NUL
	EXPECT_EQ(PythonJson::quote("\xed\xa0\x80"), "\"\\ufffd\\ufffd\\ufffd\""); // lone surrogate
}


TEST(PythonJsonTest, PythonStrOfParsedValues)
{
	EXPECT_EQ(PythonJson::pythonStr(parse("\"tmp\"")), "tmp");
	EXPECT_EQ(PythonJson::pythonStr(parse("5")), "5");
	EXPECT_EQ(PythonJson::pythonStr(parse("-12")), "-12");
	EXPECT_EQ(PythonJson::pythonStr(parse("2.5")), "2.5");
	EXPECT_EQ(PythonJson::pythonStr(parse("3.0")), "3.0");
	EXPECT_EQ(PythonJson::pythonStr(parse("1e16")), "1e+16");
	EXPECT_EQ(PythonJson::pythonStr(parse("true")), "True");
	EXPECT_EQ(PythonJson::pythonStr(parse("false")), "False");
	EXPECT_EQ(PythonJson::pythonStr(parse("null")), "None");
	EXPECT_EQ(PythonJson::pythonStr(parse("[\"tmp\"]")), "['tmp']");
	EXPECT_EQ(PythonJson::pythonStr(parse("[1, \"it's\", null]")), "[1, \"it's\", None]");
	EXPECT_EQ(PythonJson::pythonStr(parse("{\"a\": 1}")), "{'a': 1}");
}


TEST(PythonJsonTest, TheHostAndTheSdkWriteFloatsAsJsonDumpsDoes)
{
	// json.dumps / repr() in Python 3, for each value (one implementation: the SDK's).
	const std::pair<double, const char*> floats[] = {{1.0, "1.0"}, {0.5, "0.5"}, {0.1, "0.1"}, {0.0, "0.0"}, {-0.0, "-0.0"},
		{1e15, "1000000000000000.0"}, {1e16, "1e+16"}, {0.0001, "0.0001"}, {1e-05, "1e-05"}, {2.5e-07, "2.5e-07"},
		{1.5e300, "1.5e+300"}, {123456789.123, "123456789.123"}, {-2.75, "-2.75"}};
	for (const auto& [value, python]: floats)
	{
		EXPECT_EQ(PythonJson::pythonStr(Poco::Dynamic::Var(value)), python) << python;
		EXPECT_EQ(xqueue::sdk::gradeJson(true, value, "m"), std::string("{\"correct\": true, \"score\": ") + python + ", \"msg\": \"m\"}") << python;
	}
	EXPECT_EQ(PythonJson::pythonStr(Poco::Dynamic::Var(std::nan(""))), "nan");
	EXPECT_EQ(xqueue::sdk::gradeJson(false, std::nan(""), "m"), "{\"correct\": false, \"score\": 0.0, \"msg\": \"m\"}") << "the LMS cannot use NaN";
}


} // namespace
