// SPDX-License-Identifier: Apache-2.0
//
// MessageFraming.h
//
// RFC 9112 section 6: the headers that say where a request's body ends, which a proxy in
// front of us and we must read the same way, or one request could hide another (request
// smuggling). Poco accepts every form; HttpConnection refuses what this finds with 400 and
// closes the connection.
//


#ifndef XQueue_MessageFraming_INCLUDED
#define XQueue_MessageFraming_INCLUDED


#include "Poco/Net/MessageHeader.h"
#include <optional>
#include <string>


namespace XQueue {


class MessageFraming
{
public:
	static std::optional<std::string> problem(const Poco::Net::MessageHeader& headers);
		/// What makes the framing ambiguous: a Content-Length that is not a plain decimal
		/// (a sign, spaces inside, more than 18 digits), two that differ, a
		/// Transfer-Encoding other than exactly "chunked" (once), or both headers.
};


} // namespace XQueue


#endif // XQueue_MessageFraming_INCLUDED
