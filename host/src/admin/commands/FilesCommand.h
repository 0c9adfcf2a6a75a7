// SPDX-License-Identifier: Apache-2.0
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
	FilesCommand();

	int run(const CommandArguments& arguments, AdminEnvironment& environment) override;
};


} // namespace XQueue


#endif // XQueue_FilesCommand_INCLUDED
