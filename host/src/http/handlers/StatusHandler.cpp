// SPDX-License-Identifier: Apache-2.0
//
// StatusHandler.cpp
//


#include "http/handlers/StatusHandler.h"


namespace XQueue {


void StatusHandler::handle(HttpExchange& exchange)
{
	exchange.sendEnvelope(0, "OK");
}


} // namespace XQueue
