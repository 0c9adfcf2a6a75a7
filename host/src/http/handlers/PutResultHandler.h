// SPDX-License-Identifier: Apache-2.0
//
// PutResultHandler.h
//
// /xqueue/put_result/: a pull grader returns a grade; delivery to the LMS is queued.
//


#ifndef XQueue_PutResultHandler_INCLUDED
#define XQueue_PutResultHandler_INCLUDED


#include "http/XQueueHandler.h"


namespace XQueue {


class PutResultHandler: public XQueueHandler
{
public:
	using XQueueHandler::XQueueHandler;

protected:
	bool requiresLogin() const override { return true; }
	void handle(HttpExchange& exchange) override;
};


} // namespace XQueue


#endif // XQueue_PutResultHandler_INCLUDED
