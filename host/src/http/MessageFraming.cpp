// SPDX-License-Identifier: Apache-2.0
//
// MessageFraming.cpp
//


#include "http/MessageFraming.h"
#include "Poco/String.h"


namespace XQueue {


std::optional<std::string> MessageFraming::problem(const Poco::Net::MessageHeader& headers)
{
	std::optional<std::string> length;
	bool transferEncoding = false;
	for (const auto& header: headers)
	{
		if (Poco::icompare(header.first, "Content-Length") == 0)
		{
			const std::string& value = header.second;
			if (value.empty() || value.size() > 18 || value.find_first_not_of("0123456789") != std::string::npos)
				return std::string("invalid Content-Length");
			if (length && *length != value) return std::string("conflicting Content-Length headers");
			length = value;
		}
		else if (Poco::icompare(header.first, "Transfer-Encoding") == 0)
		{
			// Untrimmed, as Poco compares it: a folded "  chunked" is no chunked body to
			// Poco, whose unread body would then pass for the next request.
			if (transferEncoding || Poco::icompare(header.second, "chunked") != 0)
				return std::string("unsupported Transfer-Encoding (only chunked)");
			transferEncoding = true;
		}
	}
	if (length && transferEncoding) return std::string("both Content-Length and Transfer-Encoding");
	return std::nullopt;
}


} // namespace XQueue
