// SPDX-License-Identifier: Apache-2.0
//
// GetSubmissionHandler.h
//
// /xqueue/get_submission/: a pull grader leases the oldest pending submission.
//


#ifndef XQueue_GetSubmissionHandler_INCLUDED
#define XQueue_GetSubmissionHandler_INCLUDED


#include "http/XQueueHandler.h"


namespace XQueue {


class GetSubmissionHandler: public XQueueHandler
{
public:
	using XQueueHandler::XQueueHandler;

protected:
	bool requiresLogin() const override { return true; }
	bool refusesUnsafeMethods() const override { return true; }
	void handle(HttpExchange& exchange) override;
};


} // namespace XQueue


#endif // XQueue_GetSubmissionHandler_INCLUDED
