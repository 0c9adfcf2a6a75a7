//
// XQueueAdmin.cpp
//


#include "admin/XQueueAdmin.h"
#include "auth/PasswordHasher.h"
#include "config/ServerSettings.h"
#include "store/Database.h"
#include "store/UserStore.h"
#include "Poco/DateTimeFormatter.h"
#include "Poco/FileStream.h"
#include "Poco/Timestamp.h"
#include "Poco/Util/Option.h"
#include <iomanip>
#include <iostream>


namespace XQueue {


namespace
{
	const char* USAGE =
		"--config-file=FILE COMMAND\n"
		"Commands:\n"
		"  user set NAME [--password-file=F] [--inactive]  create or update a user; the password\n"
		"                                                 is read from F or the first line of stdin\n"
		"                                                 (never from the command line); a change\n"
		"                                                 logs the user out everywhere\n"
		"  user list                                      list users\n"
		"  user remove NAME                               delete a user and its sessions\n";

	constexpr int EXIT_USAGE_ERROR = 64;
	constexpr int EXIT_FAILURE_ERROR = 1;

	std::string stripLineEnd(std::string line)
	{
		while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.pop_back();
		return line;
	}
}


void XQueueAdmin::defineOptions(Poco::Util::OptionSet& options)
{
	Application::defineOptions(options);
	_commandLine.defineOptions(options);
	options.addOption(Poco::Util::Option("password-file", "", "user set: read the password from FILE.")
		.required(false).repeatable(false).argument("FILE"));
	options.addOption(Poco::Util::Option("inactive", "", "user set: create or keep the account disabled.")
		.required(false).repeatable(false));
}


void XQueueAdmin::handleOption(const std::string& name, const std::string& value)
{
	Application::handleOption(name, value);
	if (_commandLine.handleOption(name, value, *this)) return;
	if (name == "password-file") _passwordFile = value;
	if (name == "inactive") _inactive = true;
}


std::string XQueueAdmin::readPassword()
{
	std::string line;
	if (!_passwordFile.empty())
	{
		Poco::FileInputStream file(_passwordFile);
		std::getline(file, line);
	}
	else
	{
		std::getline(std::cin, line);
	}
	return stripLineEnd(line);
}


int XQueueAdmin::userCommand(const std::vector<std::string>& args, Database& database, const ServerSettings& settings)
{
	UserStore users(database);
	const std::string verb = args.size() > 1 ? args[1] : "";
	if (verb == "list" && args.size() == 2)
	{
		auto all = users.list();
		std::cout << std::left << std::setw(32) << "USERNAME" << std::setw(10) << "ACTIVE" << "UPDATED (UTC)" << "\n";
		for (const auto& user: all)
		{
			std::cout << std::left << std::setw(32) << user.username << std::setw(10) << (user.active ? "yes" : "no")
				<< Poco::DateTimeFormatter::format(Poco::Timestamp(user.updatedAt), "%Y-%m-%d %H:%M:%S") << "\n";
		}
		return EXIT_OK;
	}
	if (verb == "set" && args.size() == 3)
	{
		const std::string& name = args[2];
		if (name.empty() || name.size() > 150)
		{
			std::cerr << "xqueue-admin: a user name has 1 to 150 characters\n";
			return EXIT_USAGE_ERROR;
		}
		std::string password = readPassword();
		if (password.empty())
		{
			std::cerr << "xqueue-admin: no password given (first line of stdin, or --password-file)\n";
			return EXIT_USAGE_ERROR;
		}
		if (password.size() > PasswordHasher::MAX_PASSWORD_BYTES)
		{
			std::cerr << "xqueue-admin: the password is longer than 4096 bytes\n";
			return EXIT_USAGE_ERROR;
		}
		PasswordHasher hasher(settings.pbkdf2Iterations);
		bool created = users.setPassword(name, hasher.hash(password), !_inactive);
		std::cout << (created ? "created user " : "updated user ") << name << "\n";
		return EXIT_OK;
	}
	if (verb == "remove" && args.size() == 3)
	{
		if (!users.remove(args[2]))
		{
			std::cerr << "xqueue-admin: no user named " << args[2] << "\n";
			return EXIT_FAILURE_ERROR;
		}
		std::cout << "removed user " << args[2] << "\n";
		return EXIT_OK;
	}
	std::cerr << "xqueue-admin: usage: xqueue-admin " << USAGE;
	return EXIT_USAGE_ERROR;
}


int XQueueAdmin::main(const std::vector<std::string>& args)
{
	if (_commandLine.helpRequested())
	{
		_commandLine.printHelp(*this, USAGE, "Operator commands for xqueue.");
		return EXIT_OK;
	}
	if (args.empty())
	{
		std::cerr << "xqueue-admin: usage: xqueue-admin " << USAGE;
		return EXIT_USAGE_ERROR;
	}
	try
	{
		_commandLine.load(*this);
		ServerSettings settings = ServerSettings::fromConfiguration(config());
		DatabaseOptions options;
		options.connector = settings.storeConnector;
		options.connection = settings.storeConnectionWithSecrets();
		options.poolSize = 4;
		options.busyTimeoutSeconds = settings.storeBusyTimeout;
		options.synchronous = settings.sqliteSynchronous;
		Database database(options);
		if (args[0] == "user") return userCommand(args, database, settings);
		std::cerr << "xqueue-admin: unknown command '" << args[0] << "'\nusage: xqueue-admin " << USAGE;
		return EXIT_USAGE_ERROR;
	}
	catch (Poco::Exception& exc)
	{
		std::cerr << "xqueue-admin: " << exc.message() << "\n";
		return EXIT_FAILURE_ERROR;
	}
}


} // namespace XQueue
