// SPDX-License-Identifier: Apache-2.0
//
// ResultPage.h
//
// What a container grader's results become for the LMS, as xqueue-watcher renders them
// (Grader.render_results): {"correct": ..., "score": ..., "msg": "<div class=\"test\">
// ... CORRECT | INCORRECT | ERROR ...</div>"}, every text from the run HTML-escaped, so
// that a course's CSS for the watcher's pages applies unchanged.
//


#ifndef XQueuePlugin_ResultPage_INCLUDED
#define XQueuePlugin_ResultPage_INCLUDED


#include <string>
#include <vector>


namespace XQueuePlugin {


struct TestResult
{
	std::string shortDescription;
	std::string longDescription;
	bool correct = false;
	std::string expectedOutput;
	std::string actualOutput;
};


struct GraderResults
	/// The JSON a grader prints on its last line: {"correct", "score", "errors", "tests"}.
{
	bool correct = false;
	std::string score = "0"; /// as json.dumps wrote the grader's number ("1", "0.5")
	std::vector<std::string> errors;
	std::vector<TestResult> tests;

	static GraderResults parse(const std::string& line);
		/// Throws std::invalid_argument when line is not such an object.

	static GraderResults runFailed();
		/// What the student sees when the run itself failed: ERROR and the watcher's
		/// "There was a problem running your code" (details go to the log only).
};


class ResultPage
{
public:
	static std::string render(const GraderResults& results);
		/// The grade body for the LMS.
};


} // namespace XQueuePlugin


#endif // XQueuePlugin_ResultPage_INCLUDED
