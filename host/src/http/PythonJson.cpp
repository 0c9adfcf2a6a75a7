//
// PythonJson.cpp
//


#include "http/PythonJson.h"
#include "Poco/JSON/Array.h"
#include "Poco/JSON/Object.h"
#include <charconv>
#include <cmath>
#include <cstdio>


namespace XQueue {


namespace
{
	const char HEX[] = "0123456789abcdef";

	void appendU16(std::string& out, unsigned unit)
	{
		out += "\\u";
		out += HEX[(unit >> 12) & 0xF];
		out += HEX[(unit >> 8) & 0xF];
		out += HEX[(unit >> 4) & 0xF];
		out += HEX[unit & 0xF];
	}

	void appendCodePoint(std::string& out, std::uint32_t cp)
	{
		if (cp >= 0x10000)
		{
			cp -= 0x10000;
			appendU16(out, 0xD800 + (cp >> 10));
			appendU16(out, 0xDC00 + (cp & 0x3FF));
		}
		else
		{
			appendU16(out, cp);
		}
	}

	// Decodes one UTF-8 sequence starting at s[i]; returns its length, or 0 if invalid.
	std::size_t decodeUtf8(std::string_view s, std::size_t i, std::uint32_t& cp)
	{
		const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
		unsigned char c = byte(i);
		std::size_t length;
		std::uint32_t minimum;
		if (c >= 0xC2 && c <= 0xDF) { length = 2; cp = c & 0x1F; minimum = 0x80; }
		else if (c >= 0xE0 && c <= 0xEF) { length = 3; cp = c & 0x0F; minimum = 0x800; }
		else if (c >= 0xF0 && c <= 0xF4) { length = 4; cp = c & 0x07; minimum = 0x10000; }
		else return 0;
		if (i + length > s.size()) return 0;
		for (std::size_t k = 1; k < length; ++k)
		{
			unsigned char cc = byte(i + k);
			if ((cc & 0xC0) != 0x80) return 0;
			cp = (cp << 6) | (cc & 0x3F);
		}
		if (cp < minimum || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
		return length;
	}

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

	void appendRepr(std::string& out, const Poco::Dynamic::Var& value, bool topLevelStr);

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
	out.reserve(out.size() + s.size() + 2);
	out += '"';
	std::size_t i = 0;
	while (i < s.size())
	{
		unsigned char c = static_cast<unsigned char>(s[i]);
		if (c < 0x80)
		{
			switch (c)
			{
			case '"': out += "\\\""; break;
			case '\\': out += "\\\\"; break;
			case '\n': out += "\\n"; break;
			case '\r': out += "\\r"; break;
			case '\t': out += "\\t"; break;
			case '\b': out += "\\b"; break;
			case '\f': out += "\\f"; break;
			default:
				if (c < 0x20) appendU16(out, c);
				else out += static_cast<char>(c);
			}
			++i;
			continue;
		}
		std::uint32_t cp = 0;
		std::size_t length = decodeUtf8(s, i, cp);
		if (length == 0)
		{
			appendU16(out, 0xFFFD);
			++i;
		}
		else
		{
			appendCodePoint(out, cp);
			i += length;
		}
	}
	out += '"';
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


std::string PythonJson::pythonRepr(const Poco::Dynamic::Var& value)
{
	std::string out;
	appendRepr(out, value, false);
	return out;
}


} // namespace XQueue
