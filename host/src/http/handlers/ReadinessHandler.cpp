// SPDX-License-Identifier: Apache-2.0
//
// ReadinessHandler.cpp
//


#include "http/handlers/ReadinessHandler.h"
#include "store/Database.h"


namespace XQueue {


void ReadinessHandler::handle(HttpExchange& exchange)
{
	std::string problem;
	if (context().draining.load())
	{
		problem = "draining for shutdown";
	}
	else
	{
		try
		{
			context().database.probe();
		}
		catch (Poco::Exception& exc)
		{
			problem = "store unreachable: " + exc.displayText();
		}
	}
	if (problem.empty())
		exchange.sendBody(Poco::Net::HTTPResponse::HTTP_OK, "text/plain; charset=utf-8", "ready\n");
	else
		exchange.sendBody(Poco::Net::HTTPResponse::HTTP_SERVICE_UNAVAILABLE, "text/plain; charset=utf-8", "not ready: " + problem + "\n");
}


} // namespace XQueue
