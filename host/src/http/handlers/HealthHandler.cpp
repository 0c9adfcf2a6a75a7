// SPDX-License-Identifier: Apache-2.0
//
// HealthHandler.cpp
//


#include "http/handlers/HealthHandler.h"


namespace XQueue {


void HealthHandler::handle(HttpExchange& exchange)
{
	exchange.sendBody(Poco::Net::HTTPResponse::HTTP_OK, "text/plain; charset=utf-8", "ok\n");
}


} // namespace XQueue
