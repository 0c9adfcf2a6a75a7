//
// FilesCommand.h
//
// xqueue-admin files sweep: runs file retention now (the hosts also run it every xqueue.files.sweep_interval).
//


#ifndef XQueue_FilesCommand_INCLUDED
#define XQueue_FilesCommand_INCLUDED


#include "admin/AdminCommand.h"


namespace XQueue {


class FilesCommand: public AdminCommand
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


#endif // XQueue_FilesCommand_INCLUDED
