// SPDX-License-Identifier: Apache-2.0
//
// AdminCommand.cpp
//


#include "admin/AdminCommand.h"
#include <unistd.h>


namespace XQueue {


void AdminCommand::confirm(const CommandArguments& arguments, AdminEnvironment& environment, const std::string& question)
{
	if (arguments.has("yes")) return;
	if (::isatty(STDIN_FILENO))
	{
		environment.progress << question << " [y/N] " << std::flush;
		std::string answer;
		std::getline(environment.in, answer);
		if (answer == "y" || answer == "Y" || answer == "yes") return;
		throw AdminUsageException("not confirmed; nothing changed");
	}
	throw AdminUsageException(question + " Add --yes to confirm (--dry-run shows what it would do).");
}


} // namespace XQueue
