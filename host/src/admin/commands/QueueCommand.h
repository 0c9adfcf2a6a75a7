// SPDX-License-Identifier: Apache-2.0
//
// QueueCommand.h
//
// xqueue-admin queue pause|resume|list: stop handing out and dispatching a queue without losing anything, and start again.
//


#ifndef XQueue_QueueCommand_INCLUDED
#define XQueue_QueueCommand_INCLUDED


#include "admin/AdminCommand.h"


namespace XQueue {


class QueueCommand: public AdminCommand
{
public:
	QueueCommand();

	int run(const CommandArguments& arguments, AdminEnvironment& environment) override;
};


} // namespace XQueue


#endif // XQueue_QueueCommand_INCLUDED
