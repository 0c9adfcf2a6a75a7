// SPDX-License-Identifier: Apache-2.0
//
// RequestCompleteness.cpp
//


#include "http/RequestCompleteness.h"
#include "Poco/Ascii.h"
#include <algorithm>
#include <optional>
#include <string>
#include <utility>
#include <vector>


namespace XQueue {


namespace
{
	std::string_view trimmed(std::string_view text)
	{
		while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
		while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r')) text.remove_suffix(1);
		return text;
	}

	bool equalsIgnoringCase(std::string_view a, std::string_view b)
	{
		if (a.size() != b.size()) return false;
		for (std::size_t i = 0; i < a.size(); ++i)
		{
			if (Poco::Ascii::toLower(a[i]) != Poco::Ascii::toLower(b[i])) return false;
		}
		return true;
	}

	std::optional<std::size_t> decimal(std::string_view text)
	{
		if (text.empty() || text.size() > 18) return std::nullopt;
		std::size_t value = 0;
		for (char c: text)
		{
			if (c < '0' || c > '9') return std::nullopt;
			value = value * 10 + static_cast<std::size_t>(c - '0');
		}
		return value;
	}

	// The next line (without its '\n') from at, or nothing when it has not ended yet.
	std::optional<std::string_view> lineAt(std::string_view bytes, std::size_t& at)
	{
		std::size_t end = bytes.find('\n', at);
		if (end == std::string_view::npos) return std::nullopt;
		std::string_view line = bytes.substr(at, end - at);
		at = end + 1;
		return line;
	}
}


RequestCompleteness::Assessment RequestCompleteness::assess(std::string_view bytes, std::size_t maxBodyBytes)
{
	// The head is scanned the way Poco's HTTPRequest::read and MessageHeader::read take
	// it, so that both agree where it ends: the request line's three words may be
	// separated by any white space (line breaks included); a line starting with CR or LF
	// ends the fields; a line without a colon is skipped; a line starting with a space or
	// tab continues the field before it.
	Assessment result;
	auto needMore = [&]() {
		if (bytes.size() >= MAX_HEAD_BYTES) result.verdict = Verdict::STREAMED;
		return result;
	};
	auto answerNow = [&]() {
		result.verdict = Verdict::COMPLETE; // malformed: the thread answers 400 at once
		return result;
	};
	std::size_t at = 0;
	// Poco's limits (HTTPRequest, MessageHeader): past them it refuses the head at once.
	constexpr std::size_t WORD_LIMITS[] = {32, 16384, 8}; // method, URI, version
	constexpr std::size_t MAX_NAME = 256;
	constexpr std::size_t MAX_VALUE = 8192;
	constexpr std::size_t MAX_FIELDS = 100;
	for (std::size_t limit: WORD_LIMITS)
	{
		while (at < bytes.size() && Poco::Ascii::isSpace(bytes[at])) ++at;
		std::size_t start = at;
		while (at < bytes.size() && !Poco::Ascii::isSpace(bytes[at]) && at - start < limit) ++at;
		if (at == bytes.size()) return needMore();
		if (!Poco::Ascii::isSpace(bytes[at])) return answerNow();
	}
	std::size_t lineEnd = bytes.find('\n', at);
	if (lineEnd == std::string_view::npos) return needMore();
	at = lineEnd + 1;

	std::vector<std::pair<std::string_view, std::string>> fields;
	while (true)
	{
		if (at == bytes.size()) return needMore();
		if (bytes[at] == '\r' || bytes[at] == '\n')
		{
			std::size_t end = bytes.find('\n', at);
			if (end == std::string_view::npos) return needMore();
			at = end + 1;
			break;
		}
		if (fields.size() == MAX_FIELDS) return answerNow();
		std::size_t nameEnd = bytes.find_first_of(":\n", at);
		if (nameEnd == std::string_view::npos) return bytes.size() - at > MAX_NAME ? answerNow() : needMore();
		if (nameEnd - at > MAX_NAME) return answerNow();
		if (bytes[nameEnd] == '\n')
		{
			at = nameEnd + 1; // not a field: skipped
			continue;
		}
		std::string_view name = bytes.substr(at, nameEnd - at);
		std::string value;
		at = nameEnd + 1;
		while (at < bytes.size() && Poco::Ascii::isSpace(bytes[at]) && bytes[at] != '\r' && bytes[at] != '\n') ++at;
		// The value's line, then any continuation lines.
		do
		{
			std::size_t valueEnd = bytes.find_first_of("\r\n", at);
			if (value.size() + (std::min(valueEnd, bytes.size()) - at) > MAX_VALUE) return answerNow();
			if (valueEnd == std::string_view::npos) return needMore();
			value.append(bytes.substr(at, valueEnd - at));
			at = valueEnd;
			if (bytes[at] == '\r' && ++at == bytes.size()) return needMore();
			if (bytes[at] != '\n') return answerNow();
			if (++at == bytes.size()) return needMore(); // a continuation line may follow
		}
		while (bytes[at] == ' ' || bytes[at] == '\t');
		fields.emplace_back(name, std::move(value));
	}

	std::optional<std::size_t> contentLength;
	bool lengthsDisagree = false;
	int transferEncodings = 0;
	bool chunked = false;
	bool expectsContinue = false;
	for (const auto& [name, value]: fields)
	{
		if (equalsIgnoringCase(name, "Content-Length"))
		{
			std::optional<std::size_t> length = decimal(value); // as MessageFraming: digits only
			if (!length || (contentLength && *contentLength != *length)) lengthsDisagree = true;
			else contentLength = length;
		}
		else if (equalsIgnoringCase(name, "Transfer-Encoding"))
		{
			++transferEncodings;
			chunked = equalsIgnoringCase(value, "chunked");
		}
		else if (equalsIgnoringCase(name, "Expect"))
		{
			expectsContinue = equalsIgnoringCase(value, "100-continue");
		}
	}
	result.headComplete = true;
	std::string_view body = bytes.substr(at);
	// Framing MessageFraming refuses: the thread answers 400 without reading a body.
	if (lengthsDisagree || transferEncodings > 1 || (transferEncodings == 1 && (!chunked || contentLength)))
	{
		result.verdict = Verdict::COMPLETE;
		return result;
	}
	if (chunked)
	{
		result.verdict = assessChunkedBody(body, maxBodyBytes);
	}
	else
	{
		std::size_t length = contentLength.value_or(0);
		if (body.size() >= length) result.verdict = Verdict::COMPLETE;
		// Larger than the read-ahead: the thread reads it (or refuses it at once, 413).
		else if (length > maxBodyBytes) result.verdict = Verdict::STREAMED;
	}
	// The client sends its body only after our "100 Continue", which the thread sends.
	if (expectsContinue && result.verdict == Verdict::INCOMPLETE) result.verdict = Verdict::STREAMED;
	return result;
}


RequestCompleteness::Verdict RequestCompleteness::assessChunkedBody(std::string_view body, std::size_t maxBodyBytes)
{
	std::size_t at = 0;
	while (true)
	{
		std::optional<std::string_view> sizeLine = lineAt(body, at);
		if (!sizeLine) break;
		std::string_view digits = trimmed(sizeLine->substr(0, sizeLine->find(';')));
		std::size_t size = 0;
		if (digits.empty() || digits.size() > 15) return Verdict::COMPLETE; // malformed: answered at once
		for (char c: digits)
		{
			if (!Poco::Ascii::isHexDigit(c)) return Verdict::COMPLETE;
			size = size * 16 + static_cast<std::size_t>(Poco::Ascii::isDigit(c) ? c - '0' : Poco::Ascii::toLower(c) - 'a' + 10);
		}
		if (size == 0)
		{
			// Trailer fields, then an empty line.
			while (std::optional<std::string_view> trailer = lineAt(body, at))
			{
				if (trimmed(*trailer).empty()) return Verdict::COMPLETE;
			}
			break;
		}
		if (size > body.size() - at) break;
		at += size;
		std::optional<std::string_view> end = lineAt(body, at);
		if (!end) break;
		if (!trimmed(*end).empty()) return Verdict::COMPLETE; // malformed
	}
	return body.size() >= maxBodyBytes ? Verdict::STREAMED : Verdict::INCOMPLETE;
}


} // namespace XQueue
