// SPDX-License-Identifier: Apache-2.0
//
// LoginHandler.h
//
// /xqueue/login/: form login; GET answers login_required, the LMS's re-login trigger.
//


#ifndef XQueue_LoginHandler_INCLUDED
#define XQueue_LoginHandler_INCLUDED


#include "http/XQueueHandler.h"


namespace XQueue {


class LoginHandler: public XQueueHandler
{
public:
	using XQueueHandler::XQueueHandler;

protected:
	void handle(HttpExchange& exchange) override;
};


} // namespace XQueue


#endif // XQueue_LoginHandler_INCLUDED
