// SPDX-License-Identifier: Apache-2.0
//
// UserCommand.h
//
// xqueue-admin user set|list|remove|import-django: the accounts the LMS and graders
// log in with.
//


#ifndef XQueue_UserCommand_INCLUDED
#define XQueue_UserCommand_INCLUDED


#include "admin/AdminCommand.h"


namespace XQueue {


class UserStore;


class UserCommand: public AdminCommand
{
public:
	UserCommand();

	int run(const CommandArguments& arguments, AdminEnvironment& environment) override;

private:
	int set(const CommandArguments& arguments, AdminEnvironment& environment, UserStore& users);
	int importDjango(const std::string& path, AdminEnvironment& environment, UserStore& users);
};


} // namespace XQueue


#endif // XQueue_UserCommand_INCLUDED
