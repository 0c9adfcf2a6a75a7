// SPDX-License-Identifier: Apache-2.0
//
// SessionCookie.cpp
//


#include "http/SessionCookie.h"
#include "Poco/DateTimeFormat.h"
#include "Poco/DateTimeFormatter.h"
#include "Poco/Timestamp.h"


namespace XQueue {


const std::string SessionCookie::NAME = "sessionid";


std::string SessionCookie::issue(const std::string& token, Micros expiresAt, int maxAgeSeconds, bool secure)
{
	std::string expires = Poco::DateTimeFormatter::format(Poco::Timestamp(expiresAt), Poco::DateTimeFormat::HTTP_FORMAT);
	return NAME + "=" + token + "; expires=" + expires + "; HttpOnly; Max-Age=" + std::to_string(maxAgeSeconds) + "; Path=/; SameSite=Lax"
		+ (secure ? "; Secure" : "");
}


std::string SessionCookie::deletion(bool secure)
{
	return NAME + "=\"\"; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/; SameSite=Lax" + (secure ? "; Secure" : "");
}


} // namespace XQueue
