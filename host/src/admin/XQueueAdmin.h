//
// XQueueAdmin.h
//
// The xqueue-admin tool: operator commands against the same configuration and store
// as the server.
//


#ifndef XQueue_XQueueAdmin_INCLUDED
#define XQueue_XQueueAdmin_INCLUDED


#include "config/CommandLineConfig.h"
#include "Poco/Util/Application.h"
#include <string>
#include <vector>


namespace XQueue {


class Database;
struct ServerSettings;


class XQueueAdmin: public Poco::Util::Application
{
protected:
	void defineOptions(Poco::Util::OptionSet& options) override;
	void handleOption(const std::string& name, const std::string& value) override;
	int main(const std::vector<std::string>& args) override;

private:
	int userCommand(const std::vector<std::string>& args, Database& database, const ServerSettings& settings);
	std::string readPassword();

	CommandLineConfig _commandLine;
	std::string _passwordFile;
	bool _inactive = false;
};


} // namespace XQueue


#endif // XQueue_XQueueAdmin_INCLUDED
