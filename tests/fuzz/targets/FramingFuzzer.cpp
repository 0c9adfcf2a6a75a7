//
// FramingFuzzer.cpp
//
// Fuzz target: a request head as Poco reads it off the wire, then the framing check that
// decides whether its body's end is unambiguous (MessageFraming). Whatever the check lets
// through must have at most one Content-Length value, a plain decimal, and either that or
// a single "chunked" Transfer-Encoding. Input: the bytes of a request head.
//


#include "http/MessageFraming.h"
#include "Poco/Net/HTTPRequest.h"
#include "Poco/String.h"
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>


extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
	std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
	Poco::Net::HTTPRequest request;
	try
	{
		request.read(in);
	}
	catch (Poco::Exception&)
	{
		return 0; // Poco refused the head itself (a 400 before the check)
	}
	if (XQueue::MessageFraming::problem(request)) return 0;
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
