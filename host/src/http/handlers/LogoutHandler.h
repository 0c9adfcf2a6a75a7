// SPDX-License-Identifier: Apache-2.0
//
// LogoutHandler.h
//
// /xqueue/logout/: ends the session (any method).
//


#ifndef XQueue_LogoutHandler_INCLUDED
#define XQueue_LogoutHandler_INCLUDED


#include "http/XQueueHandler.h"


namespace XQueue {


class LogoutHandler: public XQueueHandler
{
public:
	using XQueueHandler::XQueueHandler;

protected:
	void handle(HttpExchange& exchange) override;
};


} // namespace XQueue


#endif // XQueue_LogoutHandler_INCLUDED
