// SPDX-License-Identifier: Apache-2.0
//
// ImportXqueueCommand.h
//
// xqueue-admin import-xqueue: the cut-over from a Python xqueue. Its accounts (with their
// password hashes) and every submission it has not retired come over under their own
// ids, so that the LMS and graders go on without loss: a waiting one waits here, one a
// grader holds accepts that grader's result (same id, same pull key), a grade the LMS did
// not take is delivered from here. Idempotent: a second run adds nothing.
//


#ifndef XQueue_ImportXqueueCommand_INCLUDED
#define XQueue_ImportXqueueCommand_INCLUDED


#include "admin/AdminCommand.h"


namespace XQueue {


class ImportXqueueCommand: public AdminCommand
{
public:
	ImportXqueueCommand();
	int run(const CommandArguments& arguments, AdminEnvironment& environment) override;
};


} // namespace XQueue


#endif // XQueue_ImportXqueueCommand_INCLUDED
