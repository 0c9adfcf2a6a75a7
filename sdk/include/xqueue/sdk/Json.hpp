// SPDX-License-Identifier: Apache-2.0
//
// Json.hpp
//
// A small JSON reader for what a grader reads: the LMS's xqueue_body and the problem's
// grader_payload (itself JSON inside a string). RFC 8259, strict: one value, no trailing
// commas, no comments, \u escapes (surrogate pairs included) turned into UTF-8, at most
// 64 levels deep. Errors throw std::invalid_argument with the offset. Header-only, no
// dependency, so a plugin needs no JSON library of its own for this.
//
//     auto body = xqueue::sdk::LmsBody::parse(job.body);
//     std::string answer = body.payload().get("answer").asString();
//

#ifndef XQUEUE_SDK_JSON_HPP
#define XQUEUE_SDK_JSON_HPP

#include <cstdint>
#include <cstdlib>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace xqueue::sdk {

class JsonValue
{
public:
	enum class Type { NUL, BOOLEAN, NUMBER, STRING, ARRAY, OBJECT };

	JsonValue() = default;

	static JsonValue parse(std::string_view text);
		/// Throws std::invalid_argument ("JSON: <what> at offset N").

	Type type() const { return _type; }
	bool isNull() const { return _type == Type::NUL; }
	bool isBool() const { return _type == Type::BOOLEAN; }
	bool isNumber() const { return _type == Type::NUMBER; }
	bool isString() const { return _type == Type::STRING; }
	bool isArray() const { return _type == Type::ARRAY; }
	bool isObject() const { return _type == Type::OBJECT; }

	bool asBool() const { expect(Type::BOOLEAN, "a boolean"); return _boolean; }
	double asNumber() const { expect(Type::NUMBER, "a number"); return std::strtod(_text.c_str(), nullptr); }
	const std::string& asString() const { expect(Type::STRING, "a string"); return _text; }
	const std::string& numberText() const { expect(Type::NUMBER, "a number"); return _text; } /// as written
	bool isInteger() const { return _type == Type::NUMBER && _text.find_first_of(".eE") == std::string::npos; }

	const std::vector<JsonValue>& items() const { expect(Type::ARRAY, "an array"); return _items; }
	std::size_t size() const { return _type == Type::ARRAY ? _items.size() : _type == Type::OBJECT ? _members.size() : 0; }
	const JsonValue& operator[](std::size_t i) const { return items().at(i); }

	bool has(std::string_view key) const { return find(key) != nullptr; }
	const JsonValue& get(std::string_view key) const
		/// The member, or a null value when absent (or when this is no object).
	{
		static const JsonValue none;
		const JsonValue* found = find(key);
		return found ? *found : none;
	}
	const std::vector<std::pair<std::string, JsonValue>>& members() const { expect(Type::OBJECT, "an object"); return _members; }

	std::string stringOr(std::string_view key, std::string fallback) const
	{
		const JsonValue& v = get(key);
		return v.isString() ? v._text : fallback;
	}
	double numberOr(std::string_view key, double fallback) const
	{
		const JsonValue& v = get(key);
		return v.isNumber() ? v.asNumber() : fallback;
	}
	bool boolOr(std::string_view key, bool fallback) const
	{
		const JsonValue& v = get(key);
		return v.isBool() ? v._boolean : fallback;
	}

private:
	class Reader;

	const JsonValue* find(std::string_view key) const
	{
		if (_type != Type::OBJECT) return nullptr;
		// The last of duplicate names, as Python's json.loads keeps it.
		for (auto it = _members.rbegin(); it != _members.rend(); ++it)
		{
			if (it->first == key) return &it->second;
		}
		return nullptr;
	}

	void expect(Type type, const char* what) const
	{
		if (_type != type) throw std::invalid_argument(std::string("JSON: not ") + what);
	}

	Type _type = Type::NUL;
	bool _boolean = false;
	std::string _text; // a string's value, or a number as written
	std::vector<JsonValue> _items;
	std::vector<std::pair<std::string, JsonValue>> _members;
};

class JsonValue::Reader
{
public:
	explicit Reader(std::string_view text): _text(text) {}

	JsonValue document()
	{
		JsonValue value = read(0);
		space();
		if (_at != _text.size()) fail("text after the value");
		return value;
	}

private:
	static constexpr int MAX_DEPTH = 64;

	[[noreturn]] void fail(const std::string& what) const
	{
		throw std::invalid_argument("JSON: " + what + " at offset " + std::to_string(_at));
	}

	void space()
	{
		while (_at < _text.size() && (_text[_at] == ' ' || _text[_at] == '\t' || _text[_at] == '\n' || _text[_at] == '\r')) ++_at;
	}

	bool literal(std::string_view word)
	{
		if (_text.substr(_at, word.size()) != word) return false;
		_at += word.size();
		return true;
	}

	JsonValue read(int depth)
	{
		if (depth > MAX_DEPTH) fail("nesting deeper than 64");
		space();
		if (_at >= _text.size()) fail("a value expected");
		JsonValue value;
		char c = _text[_at];
		if (c == '{') readObject(value, depth);
		else if (c == '[') readArray(value, depth);
		else if (c == '"')
		{
			value._type = Type::STRING;
			value._text = readString();
		}
		else if (c == '-' || (c >= '0' && c <= '9')) readNumber(value);
		else if (literal("true")) { value._type = Type::BOOLEAN; value._boolean = true; }
		else if (literal("false")) { value._type = Type::BOOLEAN; value._boolean = false; }
		else if (literal("null")) value._type = Type::NUL;
		else fail("unexpected character");
		return value;
	}

	void readObject(JsonValue& value, int depth)
	{
		value._type = Type::OBJECT;
		++_at;
		space();
		if (_at < _text.size() && _text[_at] == '}') { ++_at; return; }
		for (;;)
		{
			space();
			if (_at >= _text.size() || _text[_at] != '"') fail("a member name expected");
			std::string key = readString();
			space();
			if (_at >= _text.size() || _text[_at] != ':') fail("':' expected");
			++_at;
			value._members.emplace_back(std::move(key), read(depth + 1));
			space();
			if (_at < _text.size() && _text[_at] == ',') { ++_at; continue; }
			if (_at < _text.size() && _text[_at] == '}') { ++_at; return; }
			fail("',' or '}' expected");
		}
	}

	void readArray(JsonValue& value, int depth)
	{
		value._type = Type::ARRAY;
		++_at;
		space();
		if (_at < _text.size() && _text[_at] == ']') { ++_at; return; }
		for (;;)
		{
			value._items.push_back(read(depth + 1));
			space();
			if (_at < _text.size() && _text[_at] == ',') { ++_at; continue; }
			if (_at < _text.size() && _text[_at] == ']') { ++_at; return; }
			fail("',' or ']' expected");
		}
	}

	void readNumber(JsonValue& value)
	{
		const std::size_t start = _at;
		auto digits = [&]() {
			std::size_t from = _at;
			while (_at < _text.size() && _text[_at] >= '0' && _text[_at] <= '9') ++_at;
			return _at > from;
		};
		if (_text[_at] == '-') ++_at;
		if (_at < _text.size() && _text[_at] == '0') ++_at;
		else if (!digits()) fail("a digit expected");
		if (_at < _text.size() && _text[_at] == '.')
		{
			++_at;
			if (!digits()) fail("a digit expected after '.'");
		}
		if (_at < _text.size() && (_text[_at] == 'e' || _text[_at] == 'E'))
		{
			++_at;
			if (_at < _text.size() && (_text[_at] == '+' || _text[_at] == '-')) ++_at;
			if (!digits()) fail("a digit expected in the exponent");
		}
		value._type = Type::NUMBER;
		value._text = std::string(_text.substr(start, _at - start));
	}

	unsigned hex4()
	{
		if (_at + 4 > _text.size()) fail("four hex digits expected");
		unsigned unit = 0;
		for (int i = 0; i < 4; ++i)
		{
			char h = _text[_at++];
			unit <<= 4;
			if (h >= '0' && h <= '9') unit |= static_cast<unsigned>(h - '0');
			else if (h >= 'a' && h <= 'f') unit |= static_cast<unsigned>(h - 'a' + 10);
			else if (h >= 'A' && h <= 'F') unit |= static_cast<unsigned>(h - 'A' + 10);
			else fail("a hex digit expected");
		}
		return unit;
	}

	static void appendUtf8(std::string& out, std::uint32_t cp)
	{
		if (cp < 0x80) out += static_cast<char>(cp);
		else if (cp < 0x800)
		{
			out += static_cast<char>(0xC0 | (cp >> 6));
			out += static_cast<char>(0x80 | (cp & 0x3F));
		}
		else if (cp < 0x10000)
		{
			out += static_cast<char>(0xE0 | (cp >> 12));
			out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
			out += static_cast<char>(0x80 | (cp & 0x3F));
		}
		else
		{
			out += static_cast<char>(0xF0 | (cp >> 18));
			out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
			out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
			out += static_cast<char>(0x80 | (cp & 0x3F));
		}
	}

	std::string readString()
	{
		++_at; // the opening quote
		std::string out;
		for (;;)
		{
			if (_at >= _text.size()) fail("unterminated string");
			unsigned char c = static_cast<unsigned char>(_text[_at++]);
			if (c == '"') return out;
			if (c < 0x20) fail("a control character in a string");
			if (c != '\\')
			{
				out += static_cast<char>(c);
				continue;
			}
			if (_at >= _text.size()) fail("unterminated escape");
			char e = _text[_at++];
			switch (e)
			{
			case '"': out += '"'; break;
			case '\\': out += '\\'; break;
			case '/': out += '/'; break;
			case 'b': out += '\b'; break;
			case 'f': out += '\f'; break;
			case 'n': out += '\n'; break;
			case 'r': out += '\r'; break;
			case 't': out += '\t'; break;
			case 'u':
			{
				std::uint32_t cp = hex4();
				if (cp >= 0xD800 && cp <= 0xDBFF && _text.substr(_at, 2) == "\\u")
				{
					std::size_t back = _at;
					_at += 2;
					std::uint32_t low = hex4();
					if (low >= 0xDC00 && low <= 0xDFFF) cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
					else _at = back; // a lone high surrogate, then another escape
				}
				// A lone surrogate (Python's json accepts one) becomes U+FFFD: no invalid UTF-8 out.
				if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD;
				appendUtf8(out, cp);
				break;
			}
			default: fail("an unknown escape");
			}
		}
	}

	std::string_view _text;
	std::size_t _at = 0;
};

inline JsonValue JsonValue::parse(std::string_view text)
{
	return Reader(text).document();
}

// The LMS's xqueue_body: {"student_info": "<JSON>", "student_response": "...",
// "grader_payload": "<JSON, or the problem's text>"}.
class LmsBody
{
public:
	static LmsBody parse(std::string_view xqueueBody)
		/// Throws std::invalid_argument when the body is not a JSON object.
	{
		LmsBody body;
		body._value = JsonValue::parse(xqueueBody);
		if (!body._value.isObject()) throw std::invalid_argument("JSON: the body is not an object");
		return body;
	}

	std::string studentResponse() const { return _value.stringOr("student_response", ""); }
	std::string graderPayloadText() const { return _value.stringOr("grader_payload", ""); }

	JsonValue payload() const
		/// grader_payload read as JSON; a null value when it is empty or not JSON
		/// (a problem may put plain text there: graderPayloadText()).
	{
		try
		{
			return JsonValue::parse(graderPayloadText());
		}
		catch (const std::invalid_argument&)
		{
			return JsonValue();
		}
	}

	JsonValue studentInfo() const
	{
		try
		{
			return JsonValue::parse(_value.stringOr("student_info", ""));
		}
		catch (const std::invalid_argument&)
		{
			return JsonValue();
		}
	}

	const JsonValue& value() const { return _value; }

private:
	JsonValue _value;
};

} // namespace xqueue::sdk

#endif // XQUEUE_SDK_JSON_HPP
