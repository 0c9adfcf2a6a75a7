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


#include "store/Role.h"
#include <optional>
#include <set>
#include <string>


namespace XQueue {


struct UserAccess
{
	Role role = Role::LEGACY;
	std::set<std::string> queues; /// granted queues; "*" = every queue

	static const char* nameOf(Role role)
		/// As stored and typed: lms, grader, admin, legacy.
	{
		switch (role)
		{
		case Role::LMS: return "lms";
		case Role::GRADER: return "grader";
		case Role::ADMIN: return "admin";
		case Role::LEGACY: return "legacy";
		case Role::NONE: break;
		}
		return "none";
	}

	static std::optional<Role> roleNamed(const std::string& name)
	{
		for (Role role: {Role::LMS, Role::GRADER, Role::ADMIN, Role::LEGACY})
		{
			if (name == nameOf(role)) return role;
		}
		return std::nullopt;
	}

	bool usesGrants() const
		/// The role is limited to granted queues.
	{
		return role == Role::LMS || role == Role::GRADER;
	}

	bool submits() const
		/// The role may submit, so callback prefixes apply to it.
	{
		return role == Role::LMS || role == Role::LEGACY;
	}

	bool granted(const std::string& queue) const
	{
		return queues.count("*") > 0 || queues.count(queue) > 0;
	}

	bool maySubmit(const std::string& queue) const
	{
		return role == Role::LEGACY || (role == Role::LMS && granted(queue));
	}

	bool mayGrade(const std::string& queue) const
	{
		return role == Role::LEGACY || (role == Role::GRADER && granted(queue));
	}

	bool isOperator() const
	{
		return role == Role::ADMIN;
	}
};


} // namespace XQueue


#endif // XQueue_UserAccess_INCLUDED
