// SPDX-License-Identifier: Apache-2.0
//
// GradeCheck.h
//
// Whether a grader's reply is a grade the LMS can use. CodeResponse (clients.md 3.2)
// wants a JSON object with "correct", "score" and "msg": without them, or with a "msg"
// that is not text, the student sees "Invalid grader reply"; a "score" that is not a
// number makes the LMS answer 500, so the grade is never applied and the callback is
// retried for nothing. Caught here instead, before the grade is stored.
//


#ifndef XQueue_GradeCheck_INCLUDED
#define XQueue_GradeCheck_INCLUDED


#include <optional>
#include <string>
#include <string_view>


namespace XQueue {


class GradeCheck
{
public:
	static std::optional<std::string> problem(std::string_view reply, std::size_t maxBytes);
		/// What makes reply unusable as a grade (never quoting it), or nothing. A score
		/// is a JSON number (or true/false, which Python compares as 1/0).
};


} // namespace XQueue


#endif // XQueue_GradeCheck_INCLUDED
