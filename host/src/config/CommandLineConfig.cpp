// SPDX-License-Identifier: Apache-2.0
//
// CommandLineConfig.cpp
//


#include "config/CommandLineConfig.h"
#include "config/SettingsCatalog.h"
#include "Poco/String.h"
#include "Poco/Exception.h"
#include "Poco/File.h"
#include "Poco/Path.h"
#include "Poco/Util/HelpFormatter.h"
#include "Poco/Util/Option.h"
#include <iostream>
#include <map>
#include <unistd.h>


namespace XQueue {


void CommandLineConfig::defineOptions(Poco::Util::OptionSet& options)
{
	options.addOption(Poco::Util::Option("help", "h", "Show this help and exit.").required(false).repeatable(false));
	options.addOption(Poco::Util::Option("version", "", "Show the version and exit.").required(false).repeatable(false));
	options.addOption(Poco::Util::Option("config-file", "c", "Load configuration from FILE (repeatable; later files win).")
		.required(false).repeatable(true).argument("FILE"));
	options.addOption(Poco::Util::Option("define", "D", "Set configuration key=value, overriding the files (repeatable).")
		.required(false).repeatable(true).argument("key=value"));
}


bool CommandLineConfig::handleOption(const std::string& name, const std::string& value, Poco::Util::Application& app)
{
	if (name == "help")
	{
		_help = true;
		app.stopOptionsProcessing();
		return true;
	}
	if (name == "version")
	{
		_version = true;
		app.stopOptionsProcessing();
		return true;
	}
	if (name == "config-file")
	{
		_files.push_back(value);
		return true;
	}
	if (name == "define")
	{
		auto equals = value.find('=');
		if (equals == std::string::npos || equals == 0)
			throw Poco::InvalidArgumentException("--define expects key=value, got '" + value + "'");
		app.config().setString(value.substr(0, equals), value.substr(equals + 1));
		_defined.insert(value.substr(0, equals));
		return true;
	}
	return false;
}


void CommandLineConfig::load(Poco::Util::Application& app)
{
	if (_files.empty())
		throw Poco::InvalidArgumentException("no configuration file given: use --config-file=FILE (see conf/xqueue.properties)");
	int priority = 0;
	for (const auto& file: _files)
	{
		if (!Poco::File(file).exists()) throw Poco::FileNotFoundException("configuration file not found: " + file);
		app.loadConfiguration(file, priority--);
	}
	// Poco's application.configDir is ~/.config/<app>/; paths in our files are written
	// relative to the file itself: ${application.configFileDir}../var/xqueue.sqlite
	app.config().setString("application.configFileDir", Poco::Path(_files.front()).absolute().parent().toString());
	loadEnvironment(app);
}


void CommandLineConfig::loadEnvironment(Poco::Util::Application& app) const
{
	std::map<std::string, std::string> catalogByVariable;
	for (const auto& declaration: SettingsCatalog::serverKeys())
	{
		if (declaration.key.find('<') != std::string::npos) continue; // a pattern, not a key
		catalogByVariable[Poco::toUpper(Poco::replace(declaration.key, ".", "_"))] = declaration.key;
	}
	for (char** entry = environ; *entry; ++entry)
	{
		const std::string variable(*entry);
		const auto equals = variable.find('=');
		if (equals == std::string::npos) continue;
		const std::string name = variable.substr(0, equals);
		std::string key;
		if (name.rfind("XQUEUE__", 0) == 0)
			key = "xqueue." + Poco::toLower(Poco::replace(name.substr(8), "__", "."));
		else if (auto known = catalogByVariable.find(name); known != catalogByVariable.end())
			key = known->second;
		else
			continue; // XQUEUE_STORE_PASSWORD and the like are read where they are used
		if (_defined.count(key)) continue;
		app.config().setString(key, variable.substr(equals + 1));
	}
}


bool CommandLineConfig::helpRequested() const
{
	return _help;
}


bool CommandLineConfig::versionRequested() const
{
	return _version;
}


void CommandLineConfig::printHelp(Poco::Util::Application& app, const std::string& usage, const std::string& header) const
{
	Poco::Util::HelpFormatter formatter(app.options());
	formatter.setCommand(app.commandName());
	formatter.setUsage(usage);
	formatter.setHeader(header);
	formatter.format(std::cout);
}


} // namespace XQueue
