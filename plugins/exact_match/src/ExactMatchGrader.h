// SPDX-License-Identifier: Apache-2.0
//
// ExactMatchGrader.h
//
// Compares the student's response with the answer(s) in grader_payload.
//


#ifndef XQueuePlugin_ExactMatchGrader_INCLUDED
#define XQueuePlugin_ExactMatchGrader_INCLUDED


#include <string>
#include <vector>


namespace XQueuePlugin {


struct ExactMatchOptions
{
	bool caseSensitive = false;
	bool normalizeWhitespace = true; /// trim, and fold runs of white space to one space
};


class ExactMatchGrader
{
public:
	explicit ExactMatchGrader(const ExactMatchOptions& options);

	std::string grade(const std::string& xqueueBody) const;
		/// The LMS grade JSON for one submission. xqueueBody is the LMS's body:
		/// {"student_response": "...", "grader_payload": "..."}. grader_payload is JSON
		/// {"answer": "..."} or {"answers": ["...", ...]}, or else the answer as plain
		/// text. Throws std::invalid_argument if the body or payload is unusable (the
		/// host then retries and finally sends the failure notice).

	std::string normalize(const std::string& text) const;

private:
	ExactMatchOptions _options;
};


} // namespace XQueuePlugin


#endif // XQueuePlugin_ExactMatchGrader_INCLUDED
