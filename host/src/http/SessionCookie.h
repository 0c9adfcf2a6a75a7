// SPDX-License-Identifier: Apache-2.0
//
// SessionCookie.h
//
// The "sessionid" cookie lines, formatted exactly as Django sets and deletes them.
//


#ifndef XQueue_SessionCookie_INCLUDED
#define XQueue_SessionCookie_INCLUDED


#include "util/Clock.h"
#include <string>


namespace XQueue {


class SessionCookie
{
public:
	static const std::string NAME;

	static std::string issue(const std::string& token, Micros expiresAt, int maxAgeSeconds, bool secure);
		/// sessionid=<token>; expires=<HTTP date>; HttpOnly; Max-Age=<n>; Path=/; SameSite=Lax
		/// and, when served over TLS, "; Secure" (where Python's cookie module puts it).

	static std::string deletion(bool secure);
		/// sessionid=""; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/; SameSite=Lax[; Secure]
};


} // namespace XQueue


#endif // XQueue_SessionCookie_INCLUDED
