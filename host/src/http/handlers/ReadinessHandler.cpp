// SPDX-License-Identifier: Apache-2.0
//
// ReadinessHandler.cpp
//


#include "http/handlers/ReadinessHandler.h"
#include "dashboard/StoreGauges.h"
#include "util/Clock.h"


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
		// From the last reading of the store: an answer at once, whatever the database does.
		StoreReading reading = context().storeGauges.reading();
		if (!context().storeGauges.fresh(Clock::now()))
			problem = !reading.up && !reading.problem.empty() ? "store unreachable: " + reading.problem
				: "the store has not answered for " + std::to_string((Clock::now() - reading.answeredAt) / MICROS_PER_SECOND) + " s";
	}
	if (problem.empty())
		exchange.sendBody(Poco::Net::HTTPResponse::HTTP_OK, "text/plain; charset=utf-8", "ready\n");
	else
		exchange.sendBody(Poco::Net::HTTPResponse::HTTP_SERVICE_UNAVAILABLE, "text/plain; charset=utf-8", "not ready: " + problem + "\n");
}


} // namespace XQueue
