// SPDX-License-Identifier: Apache-2.0
//
// ReadinessHandler.h
//
// GET /readyz: this host should receive traffic: the store answers, the plugins are loaded
// (they are before the server listens), and it is not draining for shutdown. 503 otherwise,
// with the reason.
//


#ifndef XQueue_ReadinessHandler_INCLUDED
#define XQueue_ReadinessHandler_INCLUDED


#include "http/XQueueHandler.h"


namespace XQueue {


class ReadinessHandler: public XQueueHandler
{
public:
	using XQueueHandler::XQueueHandler;

protected:
	void handle(HttpExchange& exchange) override;
};


} // namespace XQueue


#endif // XQueue_ReadinessHandler_INCLUDED
