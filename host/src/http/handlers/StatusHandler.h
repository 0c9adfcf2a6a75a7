// SPDX-License-Identifier: Apache-2.0
//
// StatusHandler.h
//
// /xqueue/status/: liveness; never touches the store.
//


#ifndef XQueue_StatusHandler_INCLUDED
#define XQueue_StatusHandler_INCLUDED


#include "http/XQueueHandler.h"


namespace XQueue {


class StatusHandler: public XQueueHandler
{
public:
	using XQueueHandler::XQueueHandler;

protected:
	bool refusesUnsafeMethods() const override { return true; }
	void handle(HttpExchange& exchange) override;
};


} // namespace XQueue


#endif // XQueue_StatusHandler_INCLUDED
