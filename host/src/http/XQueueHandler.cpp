// SPDX-License-Identifier: Apache-2.0
//
// XQueueHandler.cpp
//


#include "http/XQueueHandler.h"
#include "auth/SessionManager.h"
#include "config/ServerSettings.h"
#include "http/ConnectionGuard.h"
#include "http/FormReader.h"
#include "http/RequestRouter.h"
#include "http/SessionCookie.h"
#include "metrics/Metrics.h"
#include "store/StoreUnavailableException.h"
#include "util/LogText.h"
#include "Poco/Net/HTTPServerRequestImpl.h"
#include "Poco/Net/StreamSocket.h"
#include "Poco/NumberFormatter.h"
#include "Poco/URI.h"
#include <chrono>


namespace XQueue {


namespace
{

	const std::string FORBIDDEN_PAGE =
		"\n<!doctype html>\n<html lang=\"en\">\n<head>\n  <title>403 Forbidden</title>\n</head>\n<body>\n"
		"  <h1>403 Forbidden</h1><p>CSRF verification failed. Request aborted.</p>\n</body>\n</html>\n";

	std::string quoteForNext(const std::string& raw)
	{
		// Python's urllib.parse.quote(s, safe='/'), which Django applies to ?next=.
		std::string out;
		Poco::URI::encode(raw, "!#$&'()*+,:;=?@[]", out);
		return out;
	}
}


XQueueHandler::XQueueHandler(HostContext& context):
	_context(context),
	_logger(Poco::Logger::get("xqueue.http")),
	_requestLogger(Poco::Logger::get("xqueue.http.requests"))
{
}


bool XQueueHandler::requiresLogin() const
{
	return false;
}


bool XQueueHandler::refusesUnsafeMethods() const
{
	return false;
}


HostContext& XQueueHandler::context()
{
	return _context;
}


void XQueueHandler::redirectToLogin(HttpExchange& exchange, bool hadCookie)
{
	// The LMS's first submit of every submission is unauthenticated and carries the whole
	// form (clients.md 3.1): read it (within the body limit) before the redirect, so that
	// the connection stays open for the login that follows instead of being closed.
	if (exchange.bodyUnread()) exchange.discardBody(_context.settings.http.maxBodyBytes);
	std::string next = exchange.rawPath();
	std::string query = exchange.rawQuery();
	if (!query.empty()) next += "?" + query;
	if (hadCookie) exchange.addHeader("Set-Cookie", SessionCookie::deletion(_context.settings.http.secureCookie));
	exchange.varyOnCookie();
	exchange.sendRedirect(Poco::Net::HTTPResponse::HTTP_FOUND, "/xqueue/login/?next=" + quoteForNext(next));
}


void XQueueHandler::gateAndHandle(HttpExchange& exchange)
{
	if (refusesUnsafeMethods() && !exchange.isSafeMethod())
	{
		exchange.sendBody(Poco::Net::HTTPResponse::HTTP_FORBIDDEN, "text/html; charset=utf-8", FORBIDDEN_PAGE);
		return;
	}
	if (requiresLogin())
	{
		auto token = exchange.cookie(SessionCookie::NAME);
		auto user = token ? _context.sessions.authenticate(*token) : std::nullopt;
		if (!user)
		{
			redirectToLogin(exchange, token.has_value());
			return;
		}
		exchange.setUser(*user);
		exchange.varyOnCookie();
	}
	handle(exchange);
}


void XQueueHandler::handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response)
{
	// Each reply leaves in two writes (header, body); without TCP_NODELAY a Python
	// client's delayed ACK would add 40 ms to every request.
	try
	{
		static_cast<Poco::Net::HTTPServerRequestImpl&>(request).socket().setNoDelay(true);
	}
	catch (Poco::Exception&)
	{
	}

	ConnectionGuard::requestStarted();
	HttpExchange exchange(request, response, _context.settings.http);
	auto started = std::chrono::steady_clock::now();
	if (exchange.declaresTooLargeBody())
	{
		// Answered before a byte of the body is read, whoever asks and whatever the path:
		// waiting for (or reading) a body we will refuse only holds a thread. The
		// connection closes after the reply, lingering (HttpConnection) so that a client
		// still sending gets the reply rather than a reset.
		exchange.sendEnvelope(1, FormReader::bodyLimitMessage(_context.settings.http.maxBodyBytes), Poco::Net::HTTPResponse::HTTP_REQUEST_ENTITY_TOO_LARGE);
		logAndCount(exchange, std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
		ConnectionGuard::requestFinished();
		return;
	}
	try
	{
		gateAndHandle(exchange);
	}
	catch (RequestTooLargeException& exc)
	{
		if (!exchange.responseSent()) exchange.sendEnvelope(1, exc.message(), Poco::Net::HTTPResponse::HTTP_REQUEST_ENTITY_TOO_LARGE);
	}
	catch (MalformedRequestException& exc)
	{
		if (!exchange.responseSent()) exchange.sendEnvelope(1, exc.message(), Poco::Net::HTTPResponse::HTTP_BAD_REQUEST);
	}
	catch (StoreUnavailableException& exc)
	{
		Metrics::instance().add("xqueue_store_errors_total", {});
		_logger.error("%s %s: %s", LogText::escape(request.getMethod()), LogText::escape(exchange.rawPath()), LogText::escape(exc.displayText()));
		if (!exchange.responseSent())
			exchange.sendEnvelope(1, "The queue is temporarily unavailable. Please try again.", Poco::Net::HTTPResponse::HTTP_SERVICE_UNAVAILABLE);
	}
	catch (Poco::Exception& exc)
	{
		_logger.error("%s %s failed: %s", LogText::escape(request.getMethod()), LogText::escape(exchange.rawPath()), LogText::escape(exc.displayText()));
		if (!exchange.responseSent())
			exchange.sendEnvelope(1, "Internal error", Poco::Net::HTTPResponse::HTTP_INTERNAL_SERVER_ERROR);
	}
	catch (std::exception& exc)
	{
		_logger.error("%s %s failed: %s", LogText::escape(request.getMethod()), LogText::escape(exchange.rawPath()), LogText::escape(exc.what()));
		if (!exchange.responseSent())
			exchange.sendEnvelope(1, "Internal error", Poco::Net::HTTPResponse::HTTP_INTERNAL_SERVER_ERROR);
	}
	catch (...)
	{
		_logger.error("%s %s failed: unknown exception", LogText::escape(request.getMethod()), LogText::escape(exchange.rawPath()));
		if (!exchange.responseSent())
			exchange.sendEnvelope(1, "Internal error", Poco::Net::HTTPResponse::HTTP_INTERNAL_SERVER_ERROR);
	}
	// Lingering close for a body we answered without reading (a 302 to the login, a 413,
	// a refused method): the LMS's first, unauthenticated submit carries its files, and a
	// close with unread data would reset the connection under the client's upload, so it
	// would never see the reply. The connection is closed afterwards (keep-alive is off).
	if (exchange.bodyUnread()) exchange.discardBody(_context.settings.http.maxBodyBytes);
	logAndCount(exchange, std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
	ConnectionGuard::requestFinished();
}


void XQueueHandler::logAndCount(const HttpExchange& exchange, double seconds)
{
	std::string route = RequestRouter::routeLabel(exchange.rawPath());
	std::string status = std::to_string(exchange.status());
	Metrics& metrics = Metrics::instance();
	metrics.add("xqueue_http_requests_total", {{"route", route}, {"status", status}});
	metrics.observe("xqueue_http_request_duration_seconds", {{"route", route}}, seconds);
	// One line per request: what, outcome, time, the ids an operator searches for, who
	// asked and from where; never bodies, grades, passwords or cookies. Probes and scrapes
	// (every few seconds, from machines) at debug.
	const bool probe = route == "/healthz" || route == "/readyz" || route == "/metrics";
	const Poco::Message::Priority priority = probe ? Poco::Message::PRIO_DEBUG : Poco::Message::PRIO_INFORMATION;
	if (_requestLogger.is(priority))
	{
		std::string line = LogText::escape(exchange.method()) + " " + LogText::escape(exchange.rawPath()) + " " + status + " " +
			Poco::NumberFormatter::format(seconds * 1000.0, 1) + "ms";
		for (const auto& [name, value]: exchange.annotations()) line += " " + name + "=" + value;
		line += " client=" + LogText::escape(exchange.clientAddress());
		if (const SessionUser* user = exchange.user()) line += " user=" + LogText::escape(user->username);
		_requestLogger.log(Poco::Message(_requestLogger.name(), line, priority));
	}
}


} // namespace XQueue
