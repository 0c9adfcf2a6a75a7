// SPDX-License-Identifier: Apache-2.0
//
// NumericGrader.cpp
//


#include "NumericGrader.h"
#include "xqueue/sdk/Grade.hpp"
#include "Poco/JSON/Object.h"
#include "Poco/JSON/Parser.h"
#include <charconv>
#include <cmath>
#include <stdexcept>


namespace XQueuePlugin {


NumericGrader::NumericGrader(const Tolerance& defaultTolerance):
	_default(defaultTolerance)
{
}


std::optional<double> NumericGrader::parseNumber(const std::string& text)
{
	std::size_t begin = text.find_first_not_of(" \t\r\n");
	std::size_t end = text.find_last_not_of(" \t\r\n");
	if (begin == std::string::npos) return std::nullopt;
	const char* first = text.data() + begin;
	const char* last = text.data() + end + 1;
	if (*first == '+') ++first;
	double value = 0;
	auto result = std::from_chars(first, last, value);
	if (result.ec != std::errc() || result.ptr != last || !std::isfinite(value)) return std::nullopt;
	return value;
}


std::optional<Tolerance> NumericGrader::parseTolerance(const std::string& text)
{
	Tolerance t;
	std::string number = text;
	std::size_t last = number.find_last_not_of(" \t");
	if (last != std::string::npos && number[last] == '%')
	{
		t.relative = true;
		number = number.substr(0, last);
	}
	auto value = parseNumber(number);
	if (!value || *value < 0) return std::nullopt;
	t.value = t.relative ? *value / 100.0 : *value;
	return t;
}


bool NumericGrader::within(double given, double expected, const Tolerance& tolerance)
{
	double allowed = tolerance.relative ? std::fabs(expected) * tolerance.value : tolerance.value;
	return std::fabs(given - expected) <= allowed + 1e-12 * std::fabs(expected);
}


std::string NumericGrader::grade(const std::string& xqueueBody) const
{
	Poco::JSON::Object::Ptr pBody;
	Poco::JSON::Object::Ptr pPayload;
	try
	{
		Poco::JSON::Parser bodyParser;
		pBody = bodyParser.parse(xqueueBody).extract<Poco::JSON::Object::Ptr>();
		Poco::JSON::Parser payloadParser;
		pPayload = payloadParser.parse(pBody->get("grader_payload").toString()).extract<Poco::JSON::Object::Ptr>();
	}
	catch (const Poco::Exception&)
	{
		throw std::invalid_argument("xqueue_body or its grader_payload is not a JSON object");
	}
	if (!pPayload || !pPayload->has("answer")) throw std::invalid_argument("grader_payload has no \"answer\"");
	auto expected = parseNumber(pPayload->get("answer").toString());
	if (!expected) throw std::invalid_argument("grader_payload \"answer\" is not a number");
	Tolerance tolerance = _default;
	if (pPayload->has("tolerance"))
	{
		auto parsed = parseTolerance(pPayload->get("tolerance").toString());
		if (!parsed) throw std::invalid_argument("grader_payload \"tolerance\" is not a number or percentage");
		tolerance = *parsed;
	}

	std::string response = pBody->has("student_response") ? pBody->get("student_response").toString() : std::string();
	auto given = parseNumber(response);
	if (!given)
		return xqueue::sdk::gradeJson(false, 0.0, "<p>Your answer <code>" + xqueue::sdk::htmlEscape(response) + "</code> is not a number.</p>");
	if (within(*given, *expected, tolerance)) return xqueue::sdk::gradeJson(true, 1.0, "<p>Correct.</p>");
	return xqueue::sdk::gradeJson(false, 0.0, "<p>Incorrect.</p>");
}


} // namespace XQueuePlugin
