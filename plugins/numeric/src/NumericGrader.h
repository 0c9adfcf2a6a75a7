// SPDX-License-Identifier: Apache-2.0
//
// NumericGrader.h
//
// Checks a numeric answer against the one in grader_payload, within a tolerance.
//


#ifndef XQueuePlugin_NumericGrader_INCLUDED
#define XQueuePlugin_NumericGrader_INCLUDED


#include <optional>
#include <string>


namespace XQueuePlugin {


struct Tolerance
{
	double value = 0.0;
	bool relative = false; /// "5%": a fraction of the expected answer
};


class NumericGrader
{
public:
	explicit NumericGrader(const Tolerance& defaultTolerance);

	std::string grade(const std::string& xqueueBody) const;
		/// The LMS grade JSON. grader_payload is JSON {"answer": <number>, "tolerance":
		/// <number> | "<number>%"} (tolerance optional). A response that is not a number
		/// is graded incorrect with a message saying so. Throws std::invalid_argument if
		/// the body or payload is unusable.

	static std::optional<double> parseNumber(const std::string& text);
		/// A finite decimal number, white space around it allowed; nothing else.

	static std::optional<Tolerance> parseTolerance(const std::string& text);

	static bool within(double given, double expected, const Tolerance& tolerance);

private:
	Tolerance _default;
};


} // namespace XQueuePlugin


#endif // XQueuePlugin_NumericGrader_INCLUDED
