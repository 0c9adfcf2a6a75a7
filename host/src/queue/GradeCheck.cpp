// SPDX-License-Identifier: Apache-2.0
//
// GradeCheck.cpp
//


#include "queue/GradeCheck.h"
#include "Poco/JSON/Object.h"
#include "Poco/JSON/Parser.h"


namespace XQueue {


namespace
{
	constexpr std::size_t MAX_DEPTH = 64; // a grade is flat; deep nesting is refused, not recursed into
}


std::optional<std::string> GradeCheck::problem(std::string_view reply, std::size_t maxBytes)
{
	if (reply.size() > maxBytes)
		return "the grade is " + std::to_string(reply.size()) + " bytes, more than the limit of " + std::to_string(maxBytes) +
			" (xqueue.http.max_field_bytes)";
	Poco::JSON::Object::Ptr pGrade;
	try
	{
		Poco::JSON::Parser parser;
		parser.setDepth(MAX_DEPTH);
		Poco::Dynamic::Var value = parser.parse(std::string(reply));
		if (value.type() == typeid(Poco::JSON::Object::Ptr)) pGrade = value.extract<Poco::JSON::Object::Ptr>();
	}
	catch (Poco::Exception&)
	{
	}
	catch (std::exception&)
	{
	}
	if (!pGrade) return std::string("the grade is not a JSON object");
	for (const char* field: {"correct", "score", "msg"})
	{
		if (!pGrade->has(field)) return std::string("the grade has no \"") + field + "\"";
	}
	Poco::Dynamic::Var score = pGrade->get("score");
	if (score.isEmpty() || !(score.isNumeric() || score.isBoolean()))
		return std::string("the grade's \"score\" is not a number");
	if (!pGrade->get("msg").isString()) return std::string("the grade's \"msg\" is not a string");
	return std::nullopt;
}


} // namespace XQueue
