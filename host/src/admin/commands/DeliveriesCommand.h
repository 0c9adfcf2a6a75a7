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
	std::string name() const override;
	std::string synopsis() const override;
	std::string help() const override;
	std::set<std::string> flags() const override;
	std::set<std::string> valuedOptions() const override;
	int run(const CommandArguments& arguments, AdminEnvironment& environment) override;
};


} // namespace XQueue


#endif // XQueue_DeliveriesCommand_INCLUDED
