// SPDX-License-Identifier: Apache-2.0
//
// DeleteOldCommand.h
//
// xqueue-admin delete-old [--days N] [--chunk-size N] [--sleep S]: deletes finished submissions in small chunks, with their deliveries and files.
//


#ifndef XQueue_DeleteOldCommand_INCLUDED
#define XQueue_DeleteOldCommand_INCLUDED


#include "admin/AdminCommand.h"


namespace XQueue {


class DeleteOldCommand: public AdminCommand
{
public:
	DeleteOldCommand();

	int run(const CommandArguments& arguments, AdminEnvironment& environment) override;
};


} // namespace XQueue


#endif // XQueue_DeleteOldCommand_INCLUDED
