// SPDX-License-Identifier: Apache-2.0
//
// SandboxGrader.h
//
// One queue's grading of student code, as xqueue-watcher's container grader does it:
// the LMS body's grader_payload names the grader (resolved under the grader root), the
// student's response is the code, the grader runs in a SandboxRun, and its last
// non-empty stdout line is the results. Whatever goes wrong with the run (time, memory,
// processes, output, a crash, no results) becomes a page that says ERROR to the
// student - a grade, not a retry.
//


#ifndef XQueuePlugin_SandboxGrader_INCLUDED
#define XQueuePlugin_SandboxGrader_INCLUDED


#include "SandboxLimits.h"
#include <cstdint>
#include <functional>
#include <string>


namespace XQueuePlugin {


class SandboxGrader
{
public:
	using Log = std::function<void(const std::string& line)>;

	SandboxGrader(const SandboxSetup& setup, const SandboxLimits& limits, Log warn);
		/// Throws std::invalid_argument if bubblewrap is missing or the root is no directory.

	std::string grade(std::int64_t submissionId, const std::string& xqueueBody) const;
		/// The LMS grade body. Throws std::invalid_argument if the body is not the LMS's
		/// (no student_response or grader_payload, or a grader that does not resolve):
		/// a course configuration problem, not the student's.

private:
	SandboxSetup _setup;
	SandboxLimits _limits;
	Log _warn;
};


} // namespace XQueuePlugin


#endif // XQueuePlugin_SandboxGrader_INCLUDED
