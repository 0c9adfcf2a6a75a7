// SPDX-License-Identifier: Apache-2.0
//
// NotFoundHandler.h
//
// Any unknown path: Django's built-in 404 page, byte for byte.
//


#ifndef XQueue_NotFoundHandler_INCLUDED
#define XQueue_NotFoundHandler_INCLUDED


#include "http/XQueueHandler.h"


namespace XQueue {


class NotFoundHandler: public XQueueHandler
{
public:
	using XQueueHandler::XQueueHandler;

protected:
	void handle(HttpExchange& exchange) override;
};


} // namespace XQueue


#endif // XQueue_NotFoundHandler_INCLUDED
