// SPDX-License-Identifier: Apache-2.0
//
// GetQueueLenHandler.h
//
// /xqueue/get_queuelen/: pending submissions of a queue, as an integer.
//


#ifndef XQueue_GetQueueLenHandler_INCLUDED
#define XQueue_GetQueueLenHandler_INCLUDED


#include "http/XQueueHandler.h"


namespace XQueue {


class GetQueueLenHandler: public XQueueHandler
{
public:
	using XQueueHandler::XQueueHandler;

protected:
	bool requiresLogin() const override { return true; }
	bool refusesUnsafeMethods() const override { return true; }
	void handle(HttpExchange& exchange) override;
};


} // namespace XQueue


#endif // XQueue_GetQueueLenHandler_INCLUDED
