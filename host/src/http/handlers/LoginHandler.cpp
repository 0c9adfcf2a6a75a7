// SPDX-License-Identifier: Apache-2.0
//
// LoginHandler.cpp
//


#include "http/handlers/LoginHandler.h"
#include "util/LogText.h"
#include "auth/LoginThrottle.h"
#include "auth/SessionManager.h"
#include "config/ServerSettings.h"
#include "http/SessionCookie.h"
#include "util/Clock.h"


namespace XQueue {


void LoginHandler::handle(HttpExchange& exchange)
{
	if (!exchange.isMethod("POST"))
	{
		exchange.sendEnvelope(1, "login_required");
		return;
	}
	const FormData& form = exchange.form();
	auto username = form.field("username");
	auto password = form.field("password");
	// The old server's guard tested only the password (a 500 without a user name);
	// both fields are required here.
	if (!username || !password)
	{
		exchange.sendEnvelope(1, "Insufficient login info");
		return;
	}
	// Who tried, on the request's log line (failed logins are what an operator looks for).
	exchange.annotate("login", LogText::escape(username->substr(0, 150)));
	// Throttled before the password is checked: guessing costs the guesser, not us.
	const std::string address = exchange.clientAddress();
	Micros now = Clock::now();
	if (Micros wait = context().loginThrottle.retryAfter(*username, address, now))
	{
		exchange.addHeader("Retry-After", std::to_string((wait + MICROS_PER_SECOND - 1) / MICROS_PER_SECOND));
		exchange.annotate("outcome", "throttled");
		exchange.sendEnvelope(1, "Too many failed logins; try again later", Poco::Net::HTTPResponse::HTTP_TOO_MANY_REQUESTS);
		return;
	}
	auto session = context().sessions.login(*username, *password);
	exchange.varyOnCookie();
	if (!session)
	{
		context().loginThrottle.failed(*username, address, now);
		exchange.annotate("outcome", "failed");
		exchange.sendEnvelope(1, "Incorrect login credentials");
		return;
	}
	context().loginThrottle.succeeded(*username, address);
	// A new login replaces the session the client came with.
	if (auto previous = exchange.cookie(SessionCookie::NAME)) context().sessions.logout(*previous);
	exchange.addHeader("Set-Cookie", SessionCookie::issue(session->token, session->expiresAt, context().sessions.lifetimeSeconds(), context().settings.http.secureCookie));
	exchange.sendEnvelope(0, "Logged in");
}


} // namespace XQueue
