// SPDX-License-Identifier: Apache-2.0
//
// ExactMatchGrader.cpp
//


#include "ExactMatchGrader.h"
#include "xqueue/sdk/Grade.hpp"
#include "Poco/JSON/Array.h"
#include "Poco/JSON/Object.h"
#include "Poco/JSON/Parser.h"
#include <cctype>
#include <stdexcept>


namespace XQueuePlugin {


namespace
{
	Poco::JSON::Object::Ptr parseObject(const std::string& text)
	{
		try
		{
			Poco::JSON::Parser parser;
			Poco::Dynamic::Var value = parser.parse(text);
			if (value.type() == typeid(Poco::JSON::Object::Ptr)) return value.extract<Poco::JSON::Object::Ptr>();
		}
		catch (const Poco::Exception&)
		{
		}
		return nullptr;
	}
}


ExactMatchGrader::ExactMatchGrader(const ExactMatchOptions& options):
	_options(options)
{
}


std::string ExactMatchGrader::normalize(const std::string& text) const
{
	std::string out;
	if (_options.normalizeWhitespace)
	{
		bool pendingSpace = false;
		for (unsigned char c: text)
		{
			if (std::isspace(c))
			{
				pendingSpace = !out.empty();
				continue;
			}
			if (pendingSpace) out += ' ';
			pendingSpace = false;
			out += static_cast<char>(c);
		}
	}
	else
	{
		out = text;
	}
	if (!_options.caseSensitive)
	{
		for (auto& c: out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
	}
	return out;
}


std::string ExactMatchGrader::grade(const std::string& xqueueBody) const
{
	auto pBody = parseObject(xqueueBody);
	if (!pBody) throw std::invalid_argument("xqueue_body is not a JSON object");
	if (!pBody->has("student_response") || !pBody->get("student_response").isString())
		throw std::invalid_argument("xqueue_body has no student_response string");
	std::string response = pBody->getValue<std::string>("student_response");
	std::string payload = pBody->has("grader_payload") ? pBody->get("grader_payload").toString() : std::string();

	std::vector<std::string> answers;
	if (auto pPayload = parseObject(payload))
	{
		if (pPayload->has("answer")) answers.push_back(pPayload->get("answer").toString());
		if (auto pList = pPayload->getArray("answers"))
		{
			for (std::size_t i = 0; i < pList->size(); ++i) answers.push_back(pList->get(i).toString());
		}
		if (answers.empty()) throw std::invalid_argument("grader_payload has neither \"answer\" nor \"answers\"");
	}
	else
	{
		answers.push_back(payload);
	}

	std::string given = normalize(response);
	for (const auto& answer: answers)
	{
		if (normalize(answer) == given) return xqueue::sdk::gradeJson(true, 1.0, "<p>Correct.</p>");
	}
	return xqueue::sdk::gradeJson(false, 0.0,
		"<p>Incorrect. Your answer was: <code>" + xqueue::sdk::htmlEscape(response) + "</code></p>");
}


} // namespace XQueuePlugin
