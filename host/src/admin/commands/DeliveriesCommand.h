// SPDX-License-Identifier: Apache-2.0
//
// DeliveriesCommand.h
//
// xqueue-admin deliveries list|resend|drop: the LMS deliveries that were given up (parked), to send again after an LMS outage, or to drop.
//


#ifndef XQueue_DeliveriesCommand_INCLUDED
#define XQueue_DeliveriesCommand_INCLUDED


#include "admin/AdminCommand.h"


namespace XQueue {


class DeliveriesCommand: public AdminCommand
{
public:
	DeliveriesCommand();

	int run(const CommandArguments& arguments, AdminEnvironment& environment) override;
};


} // namespace XQueue


#endif // XQueue_DeliveriesCommand_INCLUDED
