//
// AdminCommand.h
//
// One xqueue-admin command (user, count-queued, retire-failed, ...): its help, the
// options it takes, and its work against the store the server uses.
//


#ifndef XQueue_AdminCommand_INCLUDED
#define XQueue_AdminCommand_INCLUDED


#include "admin/CommandArguments.h"
#include "config/ServerSettings.h"
#include "store/Database.h"
#include <iostream>
#include <set>
#include <string>


namespace XQueue {


struct AdminEnvironment
{
	const ServerSettings& settings;
	Database& database;
	std::istream& in;
	std::ostream& out;      /// results
	std::ostream& progress; /// progress and warnings (stderr)
};


class AdminCommand
{
public:
	static constexpr int EXIT_DONE = 0;
	static constexpr int EXIT_FAILED = 1;  /// the work could not be done (e.g. no such user)
	static constexpr int EXIT_USAGE = 64;  /// bad arguments

	virtual ~AdminCommand() = default;

	virtual std::string name() const = 0;
	virtual std::string synopsis() const = 0;
		/// One line: the command with its arguments.
	virtual std::string help() const = 0;
		/// What it does, its options, and what it prints.
	virtual std::set<std::string> flags() const { return {}; }
	virtual std::set<std::string> valuedOptions() const { return {}; }

	virtual int run(const CommandArguments& arguments, AdminEnvironment& environment) = 0;
		/// Throws AdminUsageException for bad arguments.
};


} // namespace XQueue


#endif // XQueue_AdminCommand_INCLUDED
