// SPDX-License-Identifier: Apache-2.0
//
// FileHandler.h
//
// GET|HEAD /xqueue/files/<key>?expires=..&signature=..: a submission's file, for the
// grader that was handed a link to it (see FileLinks). No session is needed; the
// signature is the authorization, and it expires.
//


#ifndef XQueue_FileHandler_INCLUDED
#define XQueue_FileHandler_INCLUDED


#include "http/XQueueHandler.h"


namespace XQueue {


class FileHandler: public XQueueHandler
{
public:
	FileHandler(HostContext& context, std::string key);

protected:
	void handle(HttpExchange& exchange) override;

private:
	std::string _key;
};


} // namespace XQueue


#endif // XQueue_FileHandler_INCLUDED
