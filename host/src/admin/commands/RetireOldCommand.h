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
	std::string name() const override;
	std::string synopsis() const override;
	std::string help() const override;
	std::set<std::string> flags() const override;
	std::set<std::string> valuedOptions() const override;
	int run(const CommandArguments& arguments, AdminEnvironment& environment) override;
};


} // namespace XQueue


#endif // XQueue_RetireOldCommand_INCLUDED
