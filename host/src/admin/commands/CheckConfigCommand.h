// SPDX-License-Identifier: Apache-2.0
//
// CheckConfigCommand.h
//
// xqueue-admin check-config: what xqueue-server would refuse to start with, found
// without starting one: every key, the store (reached, its schema), every queue's plugin
// (loaded, its keys checked) and, for isolated queues, the worker executable.
//


#ifndef XQueue_CheckConfigCommand_INCLUDED
#define XQueue_CheckConfigCommand_INCLUDED


#include "admin/AdminCommand.h"


namespace XQueue {


class CheckConfigCommand: public AdminCommand
{
public:
	CheckConfigCommand();

	bool needsCurrentSchema() const override;

	int run(const CommandArguments& arguments, AdminEnvironment& environment) override;
};


} // namespace XQueue


#endif // XQueue_CheckConfigCommand_INCLUDED
