// SPDX-License-Identifier: Apache-2.0
//
// Role.h
//
// What kind of account a user is (see UserAccess for what each may do).
//


#ifndef XQueue_Role_INCLUDED
#define XQueue_Role_INCLUDED


namespace XQueue {


enum class Role
{
	LMS,    /// submits
	GRADER, /// pulls and grades
	ADMIN,  /// operates (dashboard)
	LEGACY, /// everything on every queue, as in the old server
	NONE    /// no account (a request without a session): nothing
};


} // namespace XQueue


#endif // XQueue_Role_INCLUDED
