// SPDX-License-Identifier: Apache-2.0
//
// FramingFuzzer.cpp
//
// Fuzz target: a request head as Poco reads it off the wire, then the framing check that
// decides whether its body's end is unambiguous (MessageFraming). Whatever the check lets
// through must have at most one Content-Length value, a plain decimal, and either that or
// a single "chunked" Transfer-Encoding. And the read-ahead's view of the same bytes
// (RequestCompleteness): a request whose head Poco read to its end, with its whole
// Content-Length body there, must never count as incomplete (its client would wait for
// an answer that never comes). Input: the bytes of a request head, perhaps a body.
//


#include "http/MessageFraming.h"
#include "http/RequestCompleteness.h"
#include "Poco/Net/HTTPRequest.h"
#include "Poco/String.h"
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>


extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
	const std::string bytes(reinterpret_cast<const char*>(data), size);
	using XQueue::RequestCompleteness;
	RequestCompleteness::Assessment assessment = RequestCompleteness::assess(bytes, 4096);
	std::istringstream in(bytes);
	Poco::Net::HTTPRequest request;
	try
	{
		request.read(in);
	}
	catch (Poco::Exception&)
	{
		return 0; // Poco refused the head itself (a 400 before the check)
	}
	// Poco stopped at the empty line ending the head, not at the end of the input.
	const std::streamoff headEnd = in.tellg();
	const bool headEnded = headEnd >= 0 && !in.eof();
	if (XQueue::MessageFraming::problem(request)) return 0;
	if (headEnded && !request.getChunkedTransferEncoding())
	{
		std::size_t length = request.hasContentLength() ? static_cast<std::size_t>(request.getContentLength64()) : 0;
		if (size - static_cast<std::size_t>(headEnd) >= length && assessment.verdict == RequestCompleteness::Verdict::INCOMPLETE) __builtin_trap();
	}
	int lengths = 0;
	int encodings = 0;
	std::string length;
	for (const auto& header: request)
	{
		if (Poco::icompare(header.first, "Content-Length") == 0)
		{
			if (header.second.empty() || header.second.find_first_not_of("0123456789") != std::string::npos) __builtin_trap();
			if (lengths++ && header.second != length) __builtin_trap();
			length = header.second;
		}
		if (Poco::icompare(header.first, "Transfer-Encoding") == 0)
		{
			if (encodings++ || Poco::icompare(Poco::trim(header.second), "chunked") != 0) __builtin_trap();
		}
	}
	if (lengths && encodings) __builtin_trap();
	return 0;
}
