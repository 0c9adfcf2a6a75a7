// SPDX-License-Identifier: Apache-2.0
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


namespace
{
	template <class Handler>
	Poco::Net::HTTPRequestHandler* create(HostContext& context)
	{
		return new Handler(context);
	}
}


RequestRouter::RequestRouter(HostContext& context):
	_context(context)
{
}


const std::map<std::string, RequestRouter::Factory>& RequestRouter::routes()
{
	static const std::map<std::string, Factory> ROUTES = {
		{"/xqueue/login/", &create<LoginHandler>},
		{"/xqueue/logout/", &create<LogoutHandler>},
		{"/xqueue/status/", &create<StatusHandler>},
		{"/xqueue/submit/", &create<SubmitHandler>},
		{"/xqueue/get_queuelen/", &create<GetQueueLenHandler>},
		{"/xqueue/get_submission/", &create<GetSubmissionHandler>},
		{"/xqueue/put_result/", &create<PutResultHandler>},
		// Operator endpoints, outside the old server's URL space.
		{"/healthz", &create<HealthHandler>},
		{"/readyz", &create<ReadinessHandler>},
		{"/metrics", &create<MetricsHandler>}};
	return ROUTES;
}


std::string RequestRouter::routeLabel(const std::string& path)
{
	if (routes().count(path)) return path;
	if (path.rfind(FileLinks::PATH_PREFIX, 0) == 0) return FileLinks::PATH_PREFIX;
	if (path.rfind(DashboardHandler::PREFIX, 0) == 0) return DashboardHandler::PREFIX;
	return "other";
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
	auto route = routes().find(path);
	if (route != routes().end()) return route->second(_context);
	if (routes().count(path + "/")) return new SlashRedirectHandler(_context);
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
