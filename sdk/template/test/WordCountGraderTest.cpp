//
// WordCountGraderTest.cpp
//
// The plugin's own tests, without a server: xqueue::sdk::TestQueue drives it through the
// C ABI as the host does (declared keys checked, defaults filled in, create, grade,
// complete). Plain asserts, so the template needs no test framework; use yours.
//


#include "xqueue/sdk/TestQueue.hpp"
#include <cstdio>
#include <cstdlib>
#include <stdexcept>


extern "C" const xq_plugin_descriptor* xq_plugin_entry(const xq_host_api* host);


namespace {


int failures = 0;


void check(bool condition, const char* what)
{
	if (!condition)
	{
		std::fprintf(stderr, "FAILED: %s\n", what);
		++failures;
	}
}


} // namespace


int main()
{
	xqueue::sdk::TestQueue queue(&xq_plugin_entry, {{"min_words", "3"}, {"max_words", "5"}}, "essays");

	auto right = queue.grade(R"({"student_response": "four words right here", "grader_payload": ""})");
	check(right.outcome == XQ_GRADED, "a good essay is graded");
	check(right.body == R"({"correct": true, "score": 1.0, "msg": "<p>Your answer has 4 words; between 3 and 5 are expected.</p>"})",
		"the grade is the LMS's shape");

	auto tooShort = queue.grade(R"({"student_response": "two words", "grader_payload": "{\"min_words\": 1}"})");
	check(tooShort.body.find("\"correct\": true") != std::string::npos, "grader_payload overrides the queue's limits");

	auto broken = queue.grade("not the LMS's JSON");
	check(!broken.started || broken.outcome == XQ_FAILED, "a body that is not JSON fails the job (the host retries)");

	check(queue.counter("correct") == 2, "counters reach the host");
	check(!queue.logs().empty() && queue.logs()[0] == "INFO word_count grading queue essays", "log lines reach the host");

	bool refused = false;
	try
	{
		xqueue::sdk::TestQueue wrong(&xq_plugin_entry, {{"min_words", "9"}, {"max_words", "5"}});
	}
	catch (const std::runtime_error&)
	{
		refused = true;
	}
	check(refused, "a configuration the constructor refuses stops the queue");

	std::printf("%s\n", failures ? "word_count tests FAILED" : "word_count tests passed");
	return failures ? EXIT_FAILURE : EXIT_SUCCESS;
}
