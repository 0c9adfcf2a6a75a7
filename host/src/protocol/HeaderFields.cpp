// SPDX-License-Identifier: Apache-2.0
//
// HeaderFields.cpp
//


#include "protocol/HeaderFields.h"
#include "Poco/JSON/Parser.h"
#include <cmath>
#include <limits>


namespace XQueue {


namespace
{
	constexpr std::size_t MAX_DEPTH = 32;

	bool isPythonSpace(char c)
	{
		return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
	}

	std::optional<Poco::Int64> parseIntString(const std::string& text)
	{
		std::size_t begin = 0;
		std::size_t end = text.size();
		while (begin < end && isPythonSpace(text[begin])) ++begin;
		while (end > begin && isPythonSpace(text[end - 1])) --end;
		if (begin == end) return std::nullopt;
		bool negative = false;
		if (text[begin] == '+' || text[begin] == '-')
		{
			negative = text[begin] == '-';
			++begin;
		}
		if (begin == end) return std::nullopt;
		unsigned long long value = 0;
		bool previousDigit = false;
		for (std::size_t i = begin; i < end; ++i)
		{
			char c = text[i];
			if (c == '_')
			{
				if (!previousDigit || i + 1 == end) return std::nullopt;
				previousDigit = false;
				continue;
			}
			if (c < '0' || c > '9') return std::nullopt;
			previousDigit = true;
			value = value * 10 + static_cast<unsigned>(c - '0');
			if (value > static_cast<unsigned long long>(std::numeric_limits<Poco::Int64>::max())) return std::nullopt;
		}
		Poco::Int64 signedValue = static_cast<Poco::Int64>(value);
		return negative ? -signedValue : signedValue;
	}
}


Poco::JSON::Object::Ptr HeaderFields::parseObject(const std::string& text)
{
	try
	{
		Poco::JSON::Parser parser;
		parser.setDepth(MAX_DEPTH);
		Poco::Dynamic::Var result = parser.parse(text);
		if (result.type() == typeid(Poco::JSON::Object::Ptr)) return result.extract<Poco::JSON::Object::Ptr>();
	}
	catch (Poco::Exception&)
	{
	}
	catch (std::exception&)
	{
	}
	return nullptr;
}


std::optional<Poco::Int64> HeaderFields::pythonInt(const Poco::Dynamic::Var& value)
{
	try
	{
		if (value.isEmpty() || value.type() == typeid(bool)) return std::nullopt;
		if (value.isString()) return parseIntString(value.extract<std::string>());
		if (value.type() == typeid(double) || value.type() == typeid(float))
		{
			double d = value.convert<double>();
			if (!std::isfinite(d) || std::fabs(d) >= 9.2e18) return std::nullopt;
			return static_cast<Poco::Int64>(std::trunc(d));
		}
		if (value.isInteger()) return value.convert<Poco::Int64>();
	}
	catch (Poco::Exception&)
	{
	}
	return std::nullopt;
}


} // namespace XQueue
