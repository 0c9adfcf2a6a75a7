// SPDX-License-Identifier: Apache-2.0
//
// NotFoundHandler.cpp
//


#include "http/handlers/NotFoundHandler.h"


namespace XQueue {


namespace
{
	const std::string NOT_FOUND_PAGE =
		"\n<!doctype html>\n<html lang=\"en\">\n<head>\n  <title>Not Found</title>\n</head>\n<body>\n"
		"  <h1>Not Found</h1><p>The requested resource was not found on this server.</p>\n</body>\n</html>\n";
}


void NotFoundHandler::handle(HttpExchange& exchange)
{
	exchange.sendBody(Poco::Net::HTTPResponse::HTTP_NOT_FOUND, "text/html; charset=utf-8", NOT_FOUND_PAGE);
}


} // namespace XQueue
