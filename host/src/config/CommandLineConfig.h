// SPDX-License-Identifier: Apache-2.0
//
// CommandLineConfig.h
//
// The options both executables share: repeatable --config-file=FILE (later files
// override earlier ones), repeatable --define=key=value (overrides every file), --help
// and --version; and configuration from the environment (for containers), between the
// files and --define:
//   XQUEUE_HTTP_PORT=8040            a key of docs/configuration.md: dots as underscores
//   XQUEUE__QUEUES__PYTHON__PLUGIN   any key: dots as double underscores, lower-cased
//                                    (xqueue.queues.python.plugin)
//


#ifndef XQueue_CommandLineConfig_INCLUDED
#define XQueue_CommandLineConfig_INCLUDED


#include "Poco/Util/Application.h"
#include "Poco/Util/OptionSet.h"
#include <set>
#include <string>
#include <vector>


namespace XQueue {


class CommandLineConfig
{
public:
	void defineOptions(Poco::Util::OptionSet& options);

	bool handleOption(const std::string& name, const std::string& value, Poco::Util::Application& app);
		/// Returns true if the option was one of ours.

	void load(Poco::Util::Application& app);
		/// Loads the configuration files, then the environment's keys (not over a
		/// --define), and sets application.configFileDir to the directory of the first
		/// file. Throws Poco::FileNotFoundException naming a missing file, or
		/// Poco::InvalidArgumentException if none was given.

	bool helpRequested() const;
	bool versionRequested() const;

	void printHelp(Poco::Util::Application& app, const std::string& usage, const std::string& header) const;

private:
	void loadEnvironment(Poco::Util::Application& app) const;

	std::vector<std::string> _files;
	std::set<std::string> _defined; /// keys given with --define (the environment does not override them)
	bool _help = false;
	bool _version = false;
};


} // namespace XQueue


#endif // XQueue_CommandLineConfig_INCLUDED
