// SPDX-License-Identifier: Apache-2.0
//
// RetireFailedCommand.h
//
// xqueue-admin retire-failed [--force] [QUEUE...]: retires submissions that graders keep failing on, telling the LMS through the durable delivery path.
//


#ifndef XQueue_RetireFailedCommand_INCLUDED
#define XQueue_RetireFailedCommand_INCLUDED


#include "admin/AdminCommand.h"


namespace XQueue {


class RetireFailedCommand: public AdminCommand
{
public:
	RetireFailedCommand();

	int run(const CommandArguments& arguments, AdminEnvironment& environment) override;
};


} // namespace XQueue


#endif // XQueue_RetireFailedCommand_INCLUDED
