// SPDX-License-Identifier: Apache-2.0
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
	// sysexits(3), as xqueue-server: docs/operations.md "Exit codes".
	static constexpr int EXIT_DONE = 0;
	static constexpr int EXIT_FAILED = 1;  /// the work could not be done (e.g. no such user)
	static constexpr int EXIT_USAGE = 64;  /// bad arguments (EX_USAGE)
	static constexpr int EXIT_DATA = 65;   /// input that is not what it should be (EX_DATAERR)
	static constexpr int EXIT_NO_INPUT = 66; /// an input file that cannot be read (EX_NOINPUT)
	static constexpr int EXIT_CONFIG = 78; /// the configuration, or a store it cannot use (EX_CONFIG)

	struct Description
	{
		std::string name;
		std::string synopsis;          /// one line: the command with its arguments
		std::string help;              /// what it does, its options, what it prints
		std::set<std::string> flags;   /// options without a value (--force)
		std::set<std::string> valued;  /// options with one (--days 7)
	};

	explicit AdminCommand(Description description): _description(std::move(description)) {}
	virtual ~AdminCommand() = default;

	const std::string& name() const { return _description.name; }
	const std::string& synopsis() const { return _description.synopsis; }
	const std::string& help() const { return _description.help; }
	const std::set<std::string>& flags() const { return _description.flags; }
	const std::set<std::string>& valuedOptions() const { return _description.valued; }

	virtual bool needsCurrentSchema() const { return true; }
		/// Refused while the store's schema is behind this build (xqueue-admin migrate).

	virtual int run(const CommandArguments& arguments, AdminEnvironment& environment) = 0;
		/// Throws AdminUsageException for bad arguments.

protected:
	static void confirm(const CommandArguments& arguments, AdminEnvironment& environment, const std::string& question);
		/// For whole-queue and whole-table actions: goes on with --yes, or when an operator at
		/// a terminal answers y; otherwise throws AdminUsageException saying to add --yes
		/// (or --dry-run first). The command must accept the flag "yes".

private:
	Description _description;
};


} // namespace XQueue


#endif // XQueue_AdminCommand_INCLUDED
