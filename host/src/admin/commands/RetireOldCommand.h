// SPDX-License-Identifier: Apache-2.0
//
// RetireOldCommand.h
//
// xqueue-admin retire-old QUEUE [--before DATETIME]: retires a queue's unfinished submissions (all, or those older than a time), telling the LMS.
//


#ifndef XQueue_RetireOldCommand_INCLUDED
#define XQueue_RetireOldCommand_INCLUDED


#include "admin/AdminCommand.h"


namespace XQueue {


class RetireOldCommand: public AdminCommand
{
public:
	RetireOldCommand();

	int run(const CommandArguments& arguments, AdminEnvironment& environment) override;
};


} // namespace XQueue


#endif // XQueue_RetireOldCommand_INCLUDED
