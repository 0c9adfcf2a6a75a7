// SPDX-License-Identifier: Apache-2.0
//
// XQueueHandler.h
//
// Base of every request handler: applies the old server's request pipeline in its
// order (CSRF rule for unsafe methods, then the login gate), and ends in a catch-all
// so that no request ever goes unanswered or leaks an exception to Poco.
//


#ifndef XQueue_XQueueHandler_INCLUDED
#define XQueue_XQueueHandler_INCLUDED


#include "http/HostContext.h"
#include "http/HttpExchange.h"
#include "Poco/Logger.h"
#include "Poco/Net/HTTPRequestHandler.h"


namespace XQueue {


class XQueueHandler: public Poco::Net::HTTPRequestHandler
{
public:
	explicit XQueueHandler(HostContext& context);

	void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) final;

protected:
	virtual bool requiresLogin() const;
		/// Unauthenticated requests get 302 to /xqueue/login/?next=... (default: false).

	virtual bool refusesUnsafeMethods() const;
		/// POST/PUT/PATCH/DELETE get 403, as Django's CSRF middleware answered for the
		/// views that were not CSRF-exempt (default: false).

	virtual void handle(HttpExchange& exchange) = 0;

	HostContext& context();

private:
	void gateAndHandle(HttpExchange& exchange);
		/// The middleware order: CSRF rule, login gate, then the endpoint.
	void redirectToLogin(HttpExchange& exchange, bool hadCookie);
	void logAndCount(const HttpExchange& exchange, double seconds);

	HostContext& _context;
	Poco::Logger& _logger;
	Poco::Logger& _requestLogger;
};


} // namespace XQueue


#endif // XQueue_XQueueHandler_INCLUDED
