// SPDX-License-Identifier: Apache-2.0
//
// UserAccess.h
//
// What an account may do: its role and the queues granted to it.
//   lms     submit, to the granted queues
//   grader  get_queuelen, get_submission, put_result, on the granted queues
//   admin   the operator dashboard and its API; no queue traffic
//   legacy  what every account could do in the old server: submit and grade on every
//           queue. The default for migrated and new accounts until narrowed (the server
//           warns at start-up while any exists).
//


#ifndef XQueue_UserAccess_INCLUDED
#define XQueue_UserAccess_INCLUDED


#include <set>
#include <string>


namespace XQueue {


struct UserAccess
{
	static constexpr const char* LMS = "lms";
	static constexpr const char* GRADER = "grader";
	static constexpr const char* ADMIN = "admin";
	static constexpr const char* LEGACY = "legacy";

	std::string role = LEGACY;
	std::set<std::string> queues; /// granted queues; "*" = every queue

	static bool isRole(const std::string& name)
	{
		return name == LMS || name == GRADER || name == ADMIN || name == LEGACY;
	}

	bool granted(const std::string& queue) const
	{
		return queues.count("*") > 0 || queues.count(queue) > 0;
	}

	bool maySubmit(const std::string& queue) const
	{
		return role == LEGACY || (role == LMS && granted(queue));
	}

	bool mayGrade(const std::string& queue) const
	{
		return role == LEGACY || (role == GRADER && granted(queue));
	}

	bool isOperator() const
	{
		return role == ADMIN;
	}
};


} // namespace XQueue


#endif // XQueue_UserAccess_INCLUDED
