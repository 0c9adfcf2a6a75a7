// SPDX-License-Identifier: Apache-2.0
//
// SubmitHandler.h
//
// /xqueue/submit/: the LMS queues a submission.
//


#ifndef XQueue_SubmitHandler_INCLUDED
#define XQueue_SubmitHandler_INCLUDED


#include "http/XQueueHandler.h"


namespace XQueue {


class SubmitHandler: public XQueueHandler
{
public:
	using XQueueHandler::XQueueHandler;

protected:
	bool requiresLogin() const override { return true; }
	void handle(HttpExchange& exchange) override;
};


} // namespace XQueue


#endif // XQueue_SubmitHandler_INCLUDED
