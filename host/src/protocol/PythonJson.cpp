//
// PythonJson.cpp
//


#include "http/PythonJson.h"
#include "Poco/JSON/Array.h"
#include "Poco/JSON/Object.h"
#include "xqueue/sdk/PythonJson.hpp"
#include <charconv>
#include <cmath>
#include <cstdio>


namespace XQueue {


namespace
{
	const char HEX[] = "0123456789abcdef";

	std::string pythonFloat(double d)
	{
		if (std::isnan(d)) return "nan";
		if (std::isinf(d)) return d > 0 ? "inf" : "-inf";
		// repr() is the shortest round-trip form; it switches to exponent notation
		// outside 1e-4 <= |d| < 1e16 and always shows a fractional part otherwise.
		char buffer[64];
		double magnitude = std::fabs(d);
		bool scientific = magnitude != 0.0 && (magnitude < 1e-4 || magnitude >= 1e16);
		auto result = scientific
			? std::to_chars(buffer, buffer + sizeof(buffer), d, std::chars_format::scientific)
			: std::to_chars(buffer, buffer + sizeof(buffer), d, std::chars_format::fixed);
		std::string text(buffer, result.ptr);
		if (scientific)
		{
			// C++ writes 1e+16 / 1e-05; Python writes 1e+16 / 1e-05 as well, but with
			// at least two exponent digits. to_chars already pads to two digits.
			return text;
		}
		if (text.find('.') == std::string::npos) text += ".0";
		return text;
	}

	void appendPythonStringRepr(std::string& out, const std::string& s)
	{
		// Python picks single quotes unless the string contains ' and no ".
		bool hasSingle = s.find('\'') != std::string::npos;
		bool hasDouble = s.find('"') != std::string::npos;
		char q = (hasSingle && !hasDouble) ? '"' : '\'';
		out += q;
		for (unsigned char c: s)
		{
			if (c == static_cast<unsigned char>(q) || c == '\\') { out += '\\'; out += static_cast<char>(c); }
			else if (c == '\n') out += "\\n";
			else if (c == '\r') out += "\\r";
			else if (c == '\t') out += "\\t";
			else if (c < 0x20 || c == 0x7F)
			{
				out += "\\x";
				out += HEX[c >> 4];
				out += HEX[c & 0xF];
			}
			else out += static_cast<char>(c);
		}
		out += q;
	}

	void appendRepr(std::string& out, const Poco::Dynamic::Var& value, bool topLevelStr)
	{
		if (value.isEmpty())
		{
			out += "None";
		}
		else if (value.type() == typeid(Poco::JSON::Object::Ptr))
		{
			auto pObject = value.extract<Poco::JSON::Object::Ptr>();
			out += '{';
			bool first = true;
			for (const auto& member: *pObject)
			{
				if (!first) out += ", ";
				first = false;
				appendPythonStringRepr(out, member.first);
				out += ": ";
				appendRepr(out, member.second, false);
			}
			out += '}';
		}
		else if (value.type() == typeid(Poco::JSON::Array::Ptr))
		{
			auto pArray = value.extract<Poco::JSON::Array::Ptr>();
			out += '[';
			for (std::size_t i = 0; i < pArray->size(); ++i)
			{
				if (i) out += ", ";
				appendRepr(out, pArray->get(i), false);
			}
			out += ']';
		}
		else if (value.type() == typeid(bool))
		{
			out += value.extract<bool>() ? "True" : "False";
		}
		else if (value.isString())
		{
			if (topLevelStr) out += value.extract<std::string>();
			else appendPythonStringRepr(out, value.extract<std::string>());
		}
		else if (value.type() == typeid(double) || value.type() == typeid(float))
		{
			out += pythonFloat(value.convert<double>());
		}
		else
		{
			out += value.convert<std::string>();
		}
	}
}


void PythonJson::appendQuoted(std::string& out, std::string_view s)
{
	xqueue::sdk::appendJsonString(out, s);
}


std::string PythonJson::quote(std::string_view utf8)
{
	std::string out;
	appendQuoted(out, utf8);
	return out;
}


std::string PythonJson::pythonStr(const Poco::Dynamic::Var& value)
{
	std::string out;
	appendRepr(out, value, true);
	return out;
}


} // namespace XQueue
