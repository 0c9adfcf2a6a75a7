// SPDX-License-Identifier: Apache-2.0
//
// CommandLineConfig.h
//
// The options both executables share: repeatable --config-file=FILE (later files
// override earlier ones), repeatable --define=key=value (overrides every file), --help
// and --version.
//


#ifndef XQueue_CommandLineConfig_INCLUDED
#define XQueue_CommandLineConfig_INCLUDED


#include "Poco/Util/Application.h"
#include "Poco/Util/OptionSet.h"
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
		/// Loads the configuration files and sets application.configFileDir to the
		/// directory of the first one. Throws Poco::FileNotFoundException naming a
		/// missing file, or Poco::InvalidArgumentException if none was given.

	bool helpRequested() const;
	bool versionRequested() const;

	void printHelp(Poco::Util::Application& app, const std::string& usage, const std::string& header) const;

private:
	std::vector<std::string> _files;
	bool _help = false;
	bool _version = false;
};


} // namespace XQueue


#endif // XQueue_CommandLineConfig_INCLUDED
