// SPDX-License-Identifier: Apache-2.0
//
// Origin.h
//
// An origin as credentials are bound to it: scheme, host and port, written
// "scheme://host:port" with the host in lowercase and the port always explicit, so that
// two spellings of one origin compare equal and https://lms and http://lms:8000 do not.
//


#ifndef XQueue_Origin_INCLUDED
#define XQueue_Origin_INCLUDED


#include "Poco/URI.h"
#include <string>


namespace XQueue {


class Origin
{
public:
	static std::string of(const Poco::URI& uri);

	static std::string parse(const std::string& entry);
		/// "https://lms.example.com", "http://lms:8000", or a bare host name, which means
		/// https on port 443 (credentials never go over clear http unless an entry says
		/// http). Throws Poco::InvalidArgumentException for anything else (a path, user
		/// information, another scheme).
};


} // namespace XQueue


#endif // XQueue_Origin_INCLUDED
