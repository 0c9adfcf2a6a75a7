//
// RequestRouter.cpp
//


#include "http/RequestRouter.h"
#include "files/FileLinks.h"
#include "http/handlers/DashboardHandler.h"
#include "http/handlers/FileHandler.h"
#include "http/handlers/GetQueueLenHandler.h"
#include "http/handlers/HealthHandler.h"
#include "http/handlers/MetricsHandler.h"
#include "http/handlers/ReadinessHandler.h"
#include "http/handlers/GetSubmissionHandler.h"
#include "http/handlers/LoginHandler.h"
#include "http/handlers/LogoutHandler.h"
#include "http/handlers/NotFoundHandler.h"
#include "http/handlers/PutResultHandler.h"
#include "http/handlers/SlashRedirectHandler.h"
#include "http/handlers/StatusHandler.h"
#include "http/handlers/SubmitHandler.h"
#include "Poco/Net/HTTPServerRequest.h"
#include "Poco/URI.h"


namespace XQueue {


RequestRouter::RequestRouter(HostContext& context):
	_context(context)
{
	_routes["/xqueue/login/"] = [this]() { return new LoginHandler(_context); };
	_routes["/xqueue/logout/"] = [this]() { return new LogoutHandler(_context); };
	_routes["/xqueue/status/"] = [this]() { return new StatusHandler(_context); };
	_routes["/xqueue/submit/"] = [this]() { return new SubmitHandler(_context); };
	_routes["/xqueue/get_queuelen/"] = [this]() { return new GetQueueLenHandler(_context); };
	_routes["/xqueue/get_submission/"] = [this]() { return new GetSubmissionHandler(_context); };
	_routes["/xqueue/put_result/"] = [this]() { return new PutResultHandler(_context); };
	// Operator endpoints, outside the old server's URL space.
	_routes["/healthz"] = [this]() { return new HealthHandler(_context); };
	_routes["/readyz"] = [this]() { return new ReadinessHandler(_context); };
	_routes["/metrics"] = [this]() { return new MetricsHandler(_context); };
}


Poco::Net::HTTPRequestHandler* RequestRouter::createRequestHandler(const Poco::Net::HTTPServerRequest& request)
{
	const std::string& target = request.getURI();
	std::string rawPath = target.substr(0, target.find_first_of("?#"));
	std::string path;
	try
	{
		Poco::URI::decode(rawPath, path); // Django routes on the decoded path
	}
	catch (Poco::Exception&)
	{
		return new NotFoundHandler(_context);
	}
	auto route = _routes.find(path);
	if (route != _routes.end()) return route->second();
	if (_routes.count(path + "/")) return new SlashRedirectHandler(_context);
	if (path.compare(0, DashboardHandler::PREFIX.size(), DashboardHandler::PREFIX) == 0)
		return new DashboardHandler(_context, path.substr(DashboardHandler::PREFIX.size()));
	if (path == "/xqueue/dashboard") return new SlashRedirectHandler(_context);
	if (path.compare(0, FileLinks::PATH_PREFIX.size(), FileLinks::PATH_PREFIX) == 0)
	{
		std::string key = path.substr(FileLinks::PATH_PREFIX.size());
		if (FileLinks::isKey(key)) return new FileHandler(_context, key);
	}
	// Never return nullptr: Poco 1.11 would answer 501.
	return new NotFoundHandler(_context);
}


} // namespace XQueue
