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

	static std::string issue(const std::string& token, Micros expiresAt, int maxAgeSeconds);
		/// sessionid=<token>; expires=<HTTP date>; HttpOnly; Max-Age=<n>; Path=/; SameSite=Lax

	static std::string deletion();
		/// sessionid=""; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/; SameSite=Lax
};


} // namespace XQueue


#endif // XQueue_SessionCookie_INCLUDED
