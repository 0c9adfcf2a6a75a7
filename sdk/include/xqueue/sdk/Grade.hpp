//
// Grade.hpp
//
// The grade body the LMS expects from a grader: {"correct": ..., "score": ..., "msg": ...}
// (keys in that order, Python json formatting). msg is HTML shown to the student:
// escape everything that came from the student with htmlEscape().
//

#ifndef XQUEUE_SDK_GRADE_HPP
#define XQUEUE_SDK_GRADE_HPP

#include "xqueue/sdk/PythonJson.hpp"
#include <charconv>
#include <cmath>
#include <string>
#include <string_view>

namespace xqueue::sdk {

inline std::string htmlEscape(std::string_view text)
{
	std::string out;
	out.reserve(text.size());
	for (char c: text)
	{
		switch (c)
		{
		case '&': out += "&amp;"; break;
		case '<': out += "&lt;"; break;
		case '>': out += "&gt;"; break;
		case '"': out += "&quot;"; break;
		case '\'': out += "&#x27;"; break;
		default: out += c;
		}
	}
	return out;
}

// score as Python's repr() of a float writes it: 1.0, 0.5, 0.0.
inline std::string pythonFloat(double value)
{
	if (!std::isfinite(value)) value = 0.0;
	char buffer[64];
	auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
	std::string text(buffer, result.ptr);
	if (text.find_first_of(".e") == std::string::npos) text += ".0";
	return text;
}

// {"correct": true, "score": 1.0, "msg": "<p>...</p>"}; msgHtml is inserted as given.
inline std::string gradeJson(bool correct, double score, std::string_view msgHtml)
{
	std::string out = "{\"correct\": ";
	out += correct ? "true" : "false";
	out += ", \"score\": " + pythonFloat(score) + ", \"msg\": ";
	appendJsonString(out, msgHtml);
	out += '}';
	return out;
}

} // namespace xqueue::sdk

#endif // XQUEUE_SDK_GRADE_HPP
