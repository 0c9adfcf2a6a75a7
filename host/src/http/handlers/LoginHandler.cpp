//
// LoginHandler.cpp
//


#include "http/handlers/LoginHandler.h"
#include "http/SessionCookie.h"


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
	auto session = context().sessions.login(*username, *password);
	exchange.varyOnCookie();
	if (!session)
	{
		exchange.sendEnvelope(1, "Incorrect login credentials");
		return;
	}
	// A new login replaces the session the client came with.
	if (auto previous = exchange.cookie(SessionCookie::NAME)) context().sessions.logout(*previous);
	exchange.addHeader("Set-Cookie", SessionCookie::issue(session->token, session->expiresAt, context().sessions.lifetimeSeconds()));
	exchange.sendEnvelope(0, "Logged in");
}


} // namespace XQueue
