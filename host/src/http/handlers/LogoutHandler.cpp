// SPDX-License-Identifier: Apache-2.0
//
// LogoutHandler.cpp
//


#include "http/handlers/LogoutHandler.h"
#include "auth/SessionManager.h"
#include "config/ServerSettings.h"
#include "http/SessionCookie.h"


namespace XQueue {


void LogoutHandler::handle(HttpExchange& exchange)
{
	if (auto token = exchange.cookie(SessionCookie::NAME))
	{
		context().sessions.logout(*token);
		exchange.addHeader("Set-Cookie", SessionCookie::deletion(context().settings.http.secureCookie));
	}
	exchange.varyOnCookie();
	exchange.sendEnvelope(0, "Goodbye");
}


} // namespace XQueue
