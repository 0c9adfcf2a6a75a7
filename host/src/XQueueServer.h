// SPDX-License-Identifier: Apache-2.0
//
// XQueueServer.h
//
// The xqueue-server application: reads and validates the configuration, builds the
// server's parts (ServerComponents), starts them, and on SIGINT/SIGTERM drains and
// stops them in reverse order.
//


#ifndef XQueue_XQueueServer_INCLUDED
#define XQueue_XQueueServer_INCLUDED


#include "config/CommandLineConfig.h"
#include "Poco/Util/ServerApplication.h"
#include <csignal>


namespace XQueue {


class XQueueServer: public Poco::Util::ServerApplication
{
public:
	static sigset_t handledSignals();
		/// SIGINT, SIGTERM, SIGQUIT (stop) and SIGHUP (reopen logs): blocked in every
		/// thread and taken by the main thread's sigwait().

protected:
	void defineOptions(Poco::Util::OptionSet& options) override;
	void handleOption(const std::string& name, const std::string& value) override;
	void initialize(Poco::Util::Application& self) override;
	int main(const std::vector<std::string>& args) override;

private:
	void waitForTermination();
		/// Until SIGINT, SIGTERM or SIGQUIT; SIGHUP reopens the log files meanwhile.
	void reopenLogFiles();
	int printSettingsReference();

	CommandLineConfig _commandLine;
	std::string _startupError;
	std::string _settingsReference; /// --settings-reference=FORMAT

};


} // namespace XQueue


#endif // XQueue_XQueueServer_INCLUDED
