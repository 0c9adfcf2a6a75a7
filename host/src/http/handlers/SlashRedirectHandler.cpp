// SPDX-License-Identifier: Apache-2.0
//
// SlashRedirectHandler.cpp
//


#include "http/handlers/SlashRedirectHandler.h"


namespace XQueue {


void SlashRedirectHandler::handle(HttpExchange& exchange)
{
	std::string location = exchange.rawPath() + "/";
	std::string query = exchange.rawQuery();
	if (!query.empty()) location += "?" + query;
	exchange.sendRedirect(Poco::Net::HTTPResponse::HTTP_MOVED_PERMANENTLY, location);
}


} // namespace XQueue
