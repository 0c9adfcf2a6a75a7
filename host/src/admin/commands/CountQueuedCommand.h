// SPDX-License-Identifier: Apache-2.0
//
// CountQueuedCommand.h
//
// xqueue-admin count-queued [--json]: per queue, what waits, what is being graded, how old the oldest waiting submission is, and the parked LMS deliveries.
//


#ifndef XQueue_CountQueuedCommand_INCLUDED
#define XQueue_CountQueuedCommand_INCLUDED


#include "admin/AdminCommand.h"


namespace XQueue {


class CountQueuedCommand: public AdminCommand
{
public:
	CountQueuedCommand();

	int run(const CommandArguments& arguments, AdminEnvironment& environment) override;
};


} // namespace XQueue


#endif // XQueue_CountQueuedCommand_INCLUDED
