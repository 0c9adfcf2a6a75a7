// SPDX-License-Identifier: Apache-2.0
//
// XQueueAdmin.h
//
// The xqueue-admin tool: operator commands against the same configuration and store
// as the server. Global options (--config-file, --define, --help) are Poco's; the words
// from the command name on belong to the command (see main.cpp).
//


#ifndef XQueue_XQueueAdmin_INCLUDED
#define XQueue_XQueueAdmin_INCLUDED


#include "admin/AdminCommand.h"
#include "config/CommandLineConfig.h"
#include "Poco/Util/Application.h"
#include <memory>
#include <string>
#include <vector>


namespace XQueue {


class XQueueAdmin: public Poco::Util::Application
{
public:
	XQueueAdmin();
	~XQueueAdmin() override;

	void setCommandWords(std::vector<std::string> words);
		/// The command's name and its own arguments and options.

	static bool isGlobalOption(const std::string& word);
		/// --config-file=..., --define=..., and their short forms.

protected:
	void defineOptions(Poco::Util::OptionSet& options) override;
	void handleOption(const std::string& name, const std::string& value) override;
	int main(const std::vector<std::string>& args) override;

private:
	AdminCommand* findCommand(const std::string& name) const;
	std::string usage() const;

	CommandLineConfig _commandLine;
	std::vector<std::unique_ptr<AdminCommand>> _commands;
	std::vector<std::string> _words;
};


} // namespace XQueue


#endif // XQueue_XQueueAdmin_INCLUDED
