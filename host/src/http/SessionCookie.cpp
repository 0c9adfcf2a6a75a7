//
// SessionCookie.cpp
//


#include "http/SessionCookie.h"
#include "Poco/DateTimeFormat.h"
#include "Poco/DateTimeFormatter.h"
#include "Poco/Timestamp.h"


namespace XQueue {


const std::string SessionCookie::NAME = "sessionid";


std::string SessionCookie::issue(const std::string& token, Micros expiresAt, int maxAgeSeconds)
{
	std::string expires = Poco::DateTimeFormatter::format(Poco::Timestamp(expiresAt), Poco::DateTimeFormat::HTTP_FORMAT);
	return NAME + "=" + token + "; expires=" + expires + "; HttpOnly; Max-Age=" + std::to_string(maxAgeSeconds) + "; Path=/; SameSite=Lax";
}


std::string SessionCookie::deletion()
{
	return NAME + "=\"\"; expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/; SameSite=Lax";
}


} // namespace XQueue
