// SPDX-License-Identifier: Apache-2.0
//
// CheckConfigCommand.cpp
//


#include "admin/commands/CheckConfigCommand.h"
#include "loader/PluginConfiguration.h"
#include "loader/PluginRegistry.h"
#include "Poco/File.h"
#include <unistd.h>


namespace XQueue {


CheckConfigCommand::CheckConfigCommand():
	AdminCommand({"check-config", "check-config",
		"  check-config\n"
			"      Checks the configuration as xqueue-server would at start-up, without starting one:\n"
			"      every key (done before any command), the store (reached; its schema version), each\n"
			"      queue's plugin (loaded from its file, the queue's keys checked against the ones it\n"
			"      declares) and, for queues with isolation = process, the worker executable. Prints\n"
			"      what it found; exits 0, or 78 with the first problem (as the server would).\n",
		{}, {}})
{
}


bool CheckConfigCommand::needsCurrentSchema() const
{
	return false; // a schema behind is reported, not refused: the server may migrate it
}


int CheckConfigCommand::run(const CommandArguments& arguments, AdminEnvironment& environment)
{
	if (!arguments.positional().empty()) throw AdminUsageException("check-config takes no arguments");
	const ServerSettings& settings = environment.settings;
	int version = environment.database.schemaVersion();
	int latest = Database::latestSchemaVersion();
	environment.out << "store: " << settings.store.description() << ", schema version " << version << " of " << latest
		<< (version == latest ? "" : settings.store.migrate == "auto" ? " (the server migrates it at start)" : " (run xqueue-admin migrate first)")
		<< "\n";
	if (version != latest && settings.store.migrate != "auto")
	{
		environment.progress << "xqueue-admin check-config: the store's schema is behind and xqueue.store.migrate = explicit\n";
		return EXIT_CONFIG;
	}
	try
	{
		PluginRegistry plugins(settings.plugins.dir, settings.plugins.paths);
		for (const auto& queue: settings.queues)
		{
			auto library = plugins.library(queue.plugin);
			PluginConfiguration configuration(queue, *library);
			const bool dispatches = library->descriptor().mode == XQ_MODE_DISPATCH;
			if (!dispatches && queue.dispatchKeysSet)
				throw PluginLoadException("xqueue.queues." + queue.id + ": concurrency, time_budget, isolation, max_memory_mb and max_cpu_seconds apply to dispatch-mode plugins; '" +
					queue.plugin + "' is a pull-mode plugin");
			const bool isolated = dispatches && queue.isolation == "process";
			if (isolated && ::access(settings.plugins.worker.c_str(), X_OK) != 0)
				throw PluginLoadException("queue '" + queue.name + "': the plugin worker " + settings.plugins.worker + " is missing or not executable");
			environment.out << "queue " << queue.name << ": plugin " << queue.plugin << " " << library->descriptor().version
				<< (dispatches ? isolated ? ", in worker processes" : ", in the server's process" : ", pulled by graders") << "\n";
		}
	}
	catch (PluginLoadException& exc)
	{
		environment.progress << "xqueue-admin check-config: " << exc.message() << "\n";
		return EXIT_CONFIG;
	}
	environment.out << "configuration OK\n";
	return EXIT_DONE;
}


} // namespace XQueue
