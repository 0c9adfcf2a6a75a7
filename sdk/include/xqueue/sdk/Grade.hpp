// SPDX-License-Identifier: Apache-2.0
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

// score as json.dumps writes a float: 1.0, 0.5, 0.0001, 1e-05 (pythonFloatRepr). The
// LMS cannot use NaN or infinity: those are written as 0.0.
inline std::string pythonFloat(double value)
{
	return pythonFloatRepr(std::isfinite(value) ? value : 0.0);
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
