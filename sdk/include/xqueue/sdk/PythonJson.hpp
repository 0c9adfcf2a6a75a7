// SPDX-License-Identifier: Apache-2.0
//
// PythonJson.hpp
//
// JSON string literals exactly as Python's json.dumps writes them (ensure_ascii:
// lowercase \uXXXX, DEL as \u007f, surrogate pairs above U+FFFF, '/' unescaped; invalid UTF-8
// becomes \ufffd). The LMS and graders compare such text, so plugins and the host use
// this one implementation. Header-only; compiled into whoever includes it.
//

#ifndef XQUEUE_SDK_PYTHON_JSON_HPP
#define XQUEUE_SDK_PYTHON_JSON_HPP

#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>

namespace xqueue::sdk {

namespace detail {

inline void appendU16(std::string& out, unsigned unit)
{
	static const char HEX[] = "0123456789abcdef";
	out += "\\u";
	out += HEX[(unit >> 12) & 0xF];
	out += HEX[(unit >> 8) & 0xF];
	out += HEX[(unit >> 4) & 0xF];
	out += HEX[unit & 0xF];
}

// Decodes one UTF-8 sequence at s[i]; returns its length, or 0 if it is not valid.
inline std::size_t decodeUtf8(std::string_view s, std::size_t i, std::uint32_t& cp)
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

} // namespace detail

// Appends the JSON string literal (with its quotes) for utf8 to out.
inline void appendJsonString(std::string& out, std::string_view s)
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
				if (c < 0x20 || c == 0x7F) detail::appendU16(out, c); // json.dumps escapes all but space..~
				else out += static_cast<char>(c);
			}
			++i;
			continue;
		}
		std::uint32_t cp = 0;
		std::size_t length = detail::decodeUtf8(s, i, cp);
		if (length == 0)
		{
			detail::appendU16(out, 0xFFFD);
			++i;
			continue;
		}
		if (cp >= 0x10000)
		{
			cp -= 0x10000;
			detail::appendU16(out, 0xD800 + (cp >> 10));
			detail::appendU16(out, 0xDC00 + (cp & 0x3FF));
		}
		else
		{
			detail::appendU16(out, cp);
		}
		i += length;
	}
	out += '"';
}

// A float as Python's repr() (and json.dumps, for finite values) writes it: the shortest
// text that reads back the same, in exponent form outside 1e-4 <= |d| < 1e16 (1e+16,
// 1e-05), otherwise always with a fractional part (1.0, 1000000000000000.0); nan, inf.
inline std::string pythonFloatRepr(double d)
{
	if (std::isnan(d)) return "nan";
	if (std::isinf(d)) return d > 0 ? "inf" : "-inf";
	char buffer[64];
	double magnitude = std::fabs(d);
	bool scientific = magnitude != 0.0 && (magnitude < 1e-4 || magnitude >= 1e16);
	auto result = std::to_chars(buffer, buffer + sizeof(buffer), d, scientific ? std::chars_format::scientific : std::chars_format::fixed);
	std::string text(buffer, result.ptr);
	// to_chars pads the exponent to two digits, as Python does.
	if (!scientific && text.find('.') == std::string::npos) text += ".0";
	return text;
}

inline std::string jsonString(std::string_view utf8)
{
	std::string out;
	appendJsonString(out, utf8);
	return out;
}

} // namespace xqueue::sdk

#endif // XQUEUE_SDK_PYTHON_JSON_HPP
