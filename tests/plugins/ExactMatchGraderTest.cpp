// SPDX-License-Identifier: Apache-2.0
//
// ExactMatchGraderTest.cpp
//


#include "ExactMatchGrader.h"
#include "xqueue/sdk/PythonJson.hpp"
#include <gtest/gtest.h>
#include <stdexcept>


using XQueuePlugin::ExactMatchGrader;
using XQueuePlugin::ExactMatchOptions;


namespace {


std::string body(const std::string& response, const std::string& payload)
{
	return "{\"student_response\": " + xqueue::sdk::jsonString(response) + ", \"grader_payload\": " + xqueue::sdk::jsonString(payload) +
		", \"student_info\": \"{}\"}";
}

const std::string CORRECT = "{\"correct\": true, \"score\": 1.0, \"msg\": \"<p>Correct.</p>\"}";


TEST(ExactMatchGraderTest, DefaultIgnoresCaseAndSurroundingSpace)
{
	ExactMatchGrader g(ExactMatchOptions{});
	EXPECT_EQ(g.grade(body("  Paris \n", "{\"answer\": \"paris\"}")), CORRECT);
	EXPECT_EQ(g.grade(body("New   York", "{\"answer\": \"new york\"}")), CORRECT);
	EXPECT_EQ(g.grade(body("London", "{\"answer\": \"Paris\"}")),
		"{\"correct\": false, \"score\": 0.0, \"msg\": \"<p>Incorrect. Your answer was: <code>London</code></p>\"}");
}


TEST(ExactMatchGraderTest, OptionsAreHonoured)
{
	ExactMatchGrader strict(ExactMatchOptions{true, false});
	EXPECT_NE(strict.grade(body("paris", "{\"answer\": \"Paris\"}")), CORRECT);
	EXPECT_NE(strict.grade(body(" Paris", "{\"answer\": \"Paris\"}")), CORRECT);
	EXPECT_EQ(strict.grade(body("Paris", "{\"answer\": \"Paris\"}")), CORRECT);
}


TEST(ExactMatchGraderTest, SeveralAnswersAndPlainPayloads)
{
	ExactMatchGrader g(ExactMatchOptions{});
	EXPECT_EQ(g.grade(body("colour", "{\"answers\": [\"color\", \"colour\"]}")), CORRECT);
	EXPECT_EQ(g.grade(body("42", "\n  42\n")), CORRECT) << "a payload that is not JSON is the answer itself";
}


TEST(ExactMatchGraderTest, StudentTextIsEscapedInTheMessage)
{
	ExactMatchGrader g(ExactMatchOptions{});
	std::string grade = g.grade(body("<script>alert('x')</script> & \"q\"", "{\"answer\": \"a\"}"));
	EXPECT_NE(grade.find("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;q&quot;"), std::string::npos) << grade;
	EXPECT_EQ(grade.find("<script>"), std::string::npos);
}


TEST(ExactMatchGraderTest, UnusableSubmissionsThrow)
{
	ExactMatchGrader g(ExactMatchOptions{});
	EXPECT_THROW(g.grade("not json"), std::invalid_argument);
	EXPECT_THROW(g.grade("{\"grader_payload\": \"x\"}"), std::invalid_argument);
	EXPECT_THROW(g.grade(body("x", "{\"expected\": \"x\"}")), std::invalid_argument);
}


} // namespace
