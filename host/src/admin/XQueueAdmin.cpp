// SPDX-License-Identifier: Apache-2.0
//
// XQueueAdmin.cpp
//


#include "admin/XQueueAdmin.h"
#include "admin/commands/CheckConfigCommand.h"
#include "admin/commands/CountQueuedCommand.h"
#include "admin/commands/DeleteOldCommand.h"
#include "admin/commands/DeliveriesCommand.h"
#include "admin/commands/FilesCommand.h"
#include "admin/commands/ImportXqueueCommand.h"
#include "admin/commands/MigrateCommand.h"
#include "admin/commands/QueueCommand.h"
#include "admin/commands/RetireFailedCommand.h"
#include "admin/commands/RetireOldCommand.h"
#include "admin/commands/UserCommand.h"
#include "config/ServerSettings.h"
#include "store/Database.h"
#include "util/BuildInfo.h"
#include <iostream>
#include <optional>


namespace XQueue {


XQueueAdmin::XQueueAdmin()
{
	_commands.push_back(std::make_unique<UserCommand>());
	_commands.push_back(std::make_unique<CountQueuedCommand>());
	_commands.push_back(std::make_unique<RetireFailedCommand>());
	_commands.push_back(std::make_unique<RetireOldCommand>());
	_commands.push_back(std::make_unique<DeleteOldCommand>());
	_commands.push_back(std::make_unique<DeliveriesCommand>());
	_commands.push_back(std::make_unique<QueueCommand>());
	_commands.push_back(std::make_unique<FilesCommand>());
	_commands.push_back(std::make_unique<MigrateCommand>());
	_commands.push_back(std::make_unique<CheckConfigCommand>());
	_commands.push_back(std::make_unique<ImportXqueueCommand>());
}


XQueueAdmin::~XQueueAdmin() = default;


void XQueueAdmin::setCommandWords(std::vector<std::string> words)
{
	_words = std::move(words);
}


bool XQueueAdmin::isGlobalOption(const std::string& word)
{
	for (const char* prefix: {"--config-file=", "--define=", "-c", "-D"})
	{
		if (word.rfind(prefix, 0) == 0) return true;
	}
	return false;
}


void XQueueAdmin::defineOptions(Poco::Util::OptionSet& options)
{
	Application::defineOptions(options);
	_commandLine.defineOptions(options);
}


void XQueueAdmin::handleOption(const std::string& name, const std::string& value)
{
	Application::handleOption(name, value);
	_commandLine.handleOption(name, value, *this);
}


AdminCommand* XQueueAdmin::findCommand(const std::string& name) const
{
	for (const auto& pCommand: _commands)
	{
		if (pCommand->name() == name) return pCommand.get();
	}
	return nullptr;
}


std::string XQueueAdmin::usage() const
{
	std::string text = "--config-file=FILE [--define=key=value ...] COMMAND [ARGUMENTS]\nCommands (COMMAND --help for details):\n";
	for (const auto& pCommand: _commands) text += "  " + pCommand->synopsis() + "\n";
	return text;
}


int XQueueAdmin::main(const std::vector<std::string>&)
{
	if (_commandLine.versionRequested())
	{
		std::cout << BuildInfo::describe("xqueue-admin") << std::endl;
		return AdminCommand::EXIT_DONE;
	}
	if (_words.empty())
	{
		if (_commandLine.helpRequested())
		{
			_commandLine.printHelp(*this, usage(), "Operator commands for xqueue.");
			return AdminCommand::EXIT_DONE;
		}
		std::cerr << "xqueue-admin: no command given\nusage: xqueue-admin " << usage();
		return AdminCommand::EXIT_USAGE;
	}
	AdminCommand* pCommand = findCommand(_words[0]);
	if (!pCommand)
	{
		std::cerr << "xqueue-admin: unknown command '" << _words[0] << "'\nusage: xqueue-admin " << usage();
		return AdminCommand::EXIT_USAGE;
	}
	try
	{
		CommandArguments arguments(std::vector<std::string>(_words.begin() + 1, _words.end()), pCommand->flags(), pCommand->valuedOptions());
		if (arguments.has("help") || _commandLine.helpRequested())
		{
			std::cout << "usage: xqueue-admin --config-file=FILE " << pCommand->synopsis() << "\n\n" << pCommand->help();
			return AdminCommand::EXIT_DONE;
		}
		// What xqueue-server would refuse to start with is EX_CONFIG here as there.
		std::optional<ServerSettings> settings;
		std::unique_ptr<Database> pDatabase;
		try
		{
			_commandLine.load(*this);
			settings.emplace(ServerSettings::fromConfiguration(config()));
			DatabaseOptions options = settings->store.databaseOptions();
			options.poolSize = 4;
			pDatabase = Database::open(options);
			if (pCommand->needsCurrentSchema() && !pDatabase->schemaIsCurrent())
				throw Poco::IllegalStateException(pDatabase->schemaLag() + ": run  xqueue-admin migrate  first");
		}
		catch (Poco::Exception& exc)
		{
			std::cerr << "xqueue-admin " << pCommand->name() << ": " << exc.displayText() << "\n";
			return AdminCommand::EXIT_CONFIG;
		}
		Database& database = *pDatabase;
		AdminEnvironment environment{*settings, database, std::cin, std::cout, std::cerr};
		return pCommand->run(arguments, environment);
	}
	catch (AdminUsageException& exc)
	{
		std::cerr << "xqueue-admin " << pCommand->name() << ": " << exc.message() << "\nusage: xqueue-admin --config-file=FILE "
			<< pCommand->synopsis() << "\n";
		return AdminCommand::EXIT_USAGE;
	}
	catch (Poco::Exception& exc)
	{
		std::cerr << "xqueue-admin " << pCommand->name() << ": " << exc.displayText() << "\n";
		return AdminCommand::EXIT_FAILED;
	}
}


} // namespace XQueue
