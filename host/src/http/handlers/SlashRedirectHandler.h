// SPDX-License-Identifier: Apache-2.0
//
// SlashRedirectHandler.h
//
// A known path without its trailing slash: 301 to the slashed path, query kept,
// before authentication and for every method (Django's APPEND_SLASH).
//


#ifndef XQueue_SlashRedirectHandler_INCLUDED
#define XQueue_SlashRedirectHandler_INCLUDED


#include "http/XQueueHandler.h"


namespace XQueue {


class SlashRedirectHandler: public XQueueHandler
{
public:
	using XQueueHandler::XQueueHandler;

protected:
	void handle(HttpExchange& exchange) override;
};


} // namespace XQueue


#endif // XQueue_SlashRedirectHandler_INCLUDED
