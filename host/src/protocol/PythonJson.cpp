// SPDX-License-Identifier: Apache-2.0
//
// PythonJson.cpp
//


#include "protocol/PythonJson.h"
#include "Poco/JSON/Array.h"
#include "Poco/JSON/Object.h"
#include "xqueue/sdk/PythonJson.hpp"


namespace XQueue {


namespace
{
	const char HEX[] = "0123456789abcdef";

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
			out += xqueue::sdk::pythonFloatRepr(value.convert<double>());
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
