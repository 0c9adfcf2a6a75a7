//
// RequestRouter.h
//
// Maps request paths to handlers: the seven xqueue routes (exact, case-sensitive,
// trailing slash), 301 for a known path without its slash, 404 for the rest.
//


#ifndef XQueue_RequestRouter_INCLUDED
#define XQueue_RequestRouter_INCLUDED


#include "http/HostContext.h"
#include "Poco/Net/HTTPRequestHandlerFactory.h"
#include <functional>
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

private:
	using Factory = std::function<Poco::Net::HTTPRequestHandler*()>;

	HostContext& _context;
	std::map<std::string, Factory> _routes;
};


} // namespace XQueue


#endif // XQueue_RequestRouter_INCLUDED
