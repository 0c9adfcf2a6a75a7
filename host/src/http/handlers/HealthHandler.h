// SPDX-License-Identifier: Apache-2.0
//
// HealthHandler.h
//
// GET /healthz: the process is alive and serving HTTP (for liveness probes). Touches nothing else.
//


#ifndef XQueue_HealthHandler_INCLUDED
#define XQueue_HealthHandler_INCLUDED


#include "http/XQueueHandler.h"


namespace XQueue {


class HealthHandler: public XQueueHandler
{
public:
	using XQueueHandler::XQueueHandler;

protected:
	void handle(HttpExchange& exchange) override;
};


} // namespace XQueue


#endif // XQueue_HealthHandler_INCLUDED
