// SPDX-License-Identifier: Apache-2.0
//
// QueueCommand.cpp
//


#include "admin/commands/QueueCommand.h"
#include "store/QueueControlStore.h"


namespace XQueue {


QueueCommand::QueueCommand():
	AdminCommand({"queue", "queue pause NAME | queue resume NAME | queue list",
		"  queue pause NAME\n"
			"      Stops handing out (get_submission answers that the queue is empty) and dispatching\n"
			"      the queue's submissions, on every host within a second. Submissions are still\n"
			"      accepted and kept; leases already given run their course.\n"
			"  queue resume NAME\n"
			"      Starts again.\n"
			"  queue list\n"
			"      The configured queues and whether each is paused.\n",
		{}, {}})
{
}


int QueueCommand::run(const CommandArguments& arguments, AdminEnvironment& environment)
{
	QueueControlStore controls(environment.database);
	const auto& words = arguments.positional();
	const std::string verb = words.empty() ? "" : words[0];
	if (verb == "list" && words.size() == 1)
	{
		auto paused = controls.pausedQueues();
		for (const auto& queue: environment.settings.queues)
			environment.out << queue.name << (paused.count(queue.name) ? " paused" : " running") << "\n";
		return EXIT_DONE;
	}
	if ((verb == "pause" || verb == "resume") && words.size() == 2)
	{
		const std::string& queue = words[1];
		if (!environment.settings.findQueue(queue))
		{
			environment.progress << "xqueue-admin: no queue named '" << queue << "' is configured (valid: "
				<< environment.settings.queueNamesList() << ")\n";
			return EXIT_FAILED;
		}
		controls.setPaused(queue, verb == "pause", environment.database.currentTime());
		environment.out << (verb == "pause" ? "paused queue " : "resumed queue ") << queue << "\n";
		return EXIT_DONE;
	}
	throw AdminUsageException(verb.empty() ? "queue: expected pause, resume or list" : "queue " + verb + ": wrong arguments");
}


} // namespace XQueue
