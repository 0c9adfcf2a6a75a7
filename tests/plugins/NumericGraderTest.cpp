// SPDX-License-Identifier: Apache-2.0
//
// NumericGraderTest.cpp
//


#include "NumericGrader.h"
#include "xqueue/sdk/PythonJson.hpp"
#include <gtest/gtest.h>
#include <stdexcept>


using XQueuePlugin::NumericGrader;
using XQueuePlugin::Tolerance;


namespace {


std::string body(const std::string& response, const std::string& payload)
{
	return "{\"student_response\": " + xqueue::sdk::jsonString(response) + ", \"grader_payload\": " + xqueue::sdk::jsonString(payload) + "}";
}

bool correct(const std::string& grade)
{
	return grade.rfind("{\"correct\": true, \"score\": 1.0", 0) == 0;
}


TEST(NumericGraderTest, ParsesOnlyFiniteNumbers)
{
	EXPECT_EQ(NumericGrader::parseNumber(" 3.14 "), 3.14);
	EXPECT_EQ(NumericGrader::parseNumber("-2e3"), -2000.0);
	EXPECT_EQ(NumericGrader::parseNumber("+7"), 7.0);
	for (const std::string bad: {"", " ", "1,5", "3.14abc", "nan", "inf", "1e999", "0x10", "--1", "1 2"})
		EXPECT_FALSE(NumericGrader::parseNumber(bad)) << bad;
}


TEST(NumericGraderTest, Tolerances)
{
	auto percent = NumericGrader::parseTolerance("5%");
	ASSERT_TRUE(percent);
	EXPECT_TRUE(percent->relative);
	EXPECT_DOUBLE_EQ(percent->value, 0.05);
	EXPECT_TRUE(NumericGrader::within(104.9, 100, *percent));
	EXPECT_FALSE(NumericGrader::within(105.1, 100, *percent));
	EXPECT_TRUE(NumericGrader::within(0.3, 0.1 + 0.2, Tolerance{0, false})) << "exact compare survives rounding";
	EXPECT_FALSE(NumericGrader::parseTolerance("-1"));
	EXPECT_FALSE(NumericGrader::parseTolerance("x%"));
}


TEST(NumericGraderTest, GradesWithPayloadOrDefaultTolerance)
{
	NumericGrader g(Tolerance{0.001, true});
	EXPECT_TRUE(correct(g.grade(body("3.1416", "{\"answer\": 3.14159}"))));
	EXPECT_FALSE(correct(g.grade(body("3.2", "{\"answer\": 3.14159}"))));
	EXPECT_TRUE(correct(g.grade(body("3.2", "{\"answer\": 3.14159, \"tolerance\": 0.1}"))));
	EXPECT_TRUE(correct(g.grade(body("110", "{\"answer\": \"100\", \"tolerance\": \"10%\"}"))));
	EXPECT_EQ(g.grade(body("twelve<b>", "{\"answer\": 12}")),
		"{\"correct\": false, \"score\": 0.0, \"msg\": \"<p>Your answer <code>twelve&lt;b&gt;</code> is not a number.</p>\"}");
}


TEST(NumericGraderTest, UnusablePayloadsThrow)
{
	NumericGrader g(Tolerance{});
	EXPECT_THROW(g.grade(body("1", "{}")), std::invalid_argument);
	EXPECT_THROW(g.grade(body("1", "{\"answer\": \"pi\"}")), std::invalid_argument);
	EXPECT_THROW(g.grade(body("1", "{\"answer\": 1, \"tolerance\": \"wide\"}")), std::invalid_argument);
	EXPECT_THROW(g.grade("[]"), std::invalid_argument);
}


} // namespace
