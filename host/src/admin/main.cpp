// SPDX-License-Identifier: Apache-2.0
//
// main.cpp
//
// Entry point of xqueue-admin. Global options (--config-file, --define, and --help before
// any command) go to Poco's option processing; the command name and everything after it,
// options included, go to the command, which knows its own options.
//


#include "admin/XQueueAdmin.h"
#include "Poco/Exception.h"
#include <iostream>
#include <vector>


int main(int argc, char** argv)
{
	std::vector<char*> global{argv[0]};
	std::vector<std::string> command;
	for (int i = 1; i < argc; ++i)
	{
		std::string word = argv[i];
		bool beforeCommand = command.empty() && (word == "--help" || word == "-h" || word == "--version");
		if (XQueue::XQueueAdmin::isGlobalOption(word) || beforeCommand)
			global.push_back(argv[i]);
		else
			command.push_back(word);
	}
	XQueue::XQueueAdmin app;
	app.setCommandWords(command);
	try
	{
		app.init(static_cast<int>(global.size()), global.data());
	}
	catch (Poco::Exception& exc)
	{
		std::cerr << "xqueue-admin: " << exc.displayText() << "\n";
		return 64;
	}
	return app.run();
}
