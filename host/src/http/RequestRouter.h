// SPDX-License-Identifier: Apache-2.0
//
// RequestRouter.h
//
// Maps request paths to handlers: the seven xqueue routes and the operator endpoints
// (exact, case-sensitive, trailing slash as given), the dashboard and file prefixes, 301
// for a known path without its slash, 404 for the rest. The one route table: the request
// metrics label requests by it too (routeLabel).
//


#ifndef XQueue_RequestRouter_INCLUDED
#define XQueue_RequestRouter_INCLUDED


#include "http/HostContext.h"
#include "Poco/Net/HTTPRequestHandlerFactory.h"
#include <map>
#include <string>


namespace XQueue {


class RequestRouter: public Poco::Net::HTTPRequestHandlerFactory
	/// The route table is built once and only read afterwards: createRequestHandler()
	/// runs concurrently on request threads.
{
public:
	explicit RequestRouter(HostContext& context);

	Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest& request) override;

	static std::string routeLabel(const std::string& path);
		/// The route a (raw) request path belongs to, for metrics: the exact route, the
		/// dashboard or file prefix, or "other" (never a label per URL).

private:
	using Factory = Poco::Net::HTTPRequestHandler* (*)(HostContext&);

	static const std::map<std::string, Factory>& routes();

	HostContext& _context;
};


} // namespace XQueue


#endif // XQueue_RequestRouter_INCLUDED
