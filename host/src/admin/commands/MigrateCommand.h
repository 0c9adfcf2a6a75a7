// SPDX-License-Identifier: Apache-2.0
//
// MigrateCommand.h
//
// xqueue-admin migrate: brings the store's schema to this build's version.
//


#ifndef XQueue_MigrateCommand_INCLUDED
#define XQueue_MigrateCommand_INCLUDED


#include "admin/AdminCommand.h"


namespace XQueue {


class MigrateCommand: public AdminCommand
{
public:
	MigrateCommand();

	bool needsCurrentSchema() const override;

	int run(const CommandArguments& arguments, AdminEnvironment& environment) override;
};


} // namespace XQueue


#endif // XQueue_MigrateCommand_INCLUDED
