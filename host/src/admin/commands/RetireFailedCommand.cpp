// SPDX-License-Identifier: Apache-2.0
//
// RetireFailedCommand.cpp
//


#include "admin/commands/RetireFailedCommand.h"
#include "store/SubmissionMaintenance.h"


namespace XQueue {


RetireFailedCommand::RetireFailedCommand():
	AdminCommand({"retire-failed", "retire-failed [--force] [--dry-run] [QUEUE...]",
		"  retire-failed [--force] [--dry-run] [QUEUE...]\n"
			"      Retires, as failed, the pending submissions of these queues (all queues without\n"
			"      names) that were handed out at least xqueue.max_number_of_failures times without a\n"
			"      result, as the old retire_failed_submissions did. The LMS receives the failure notice\n"
			"      through the durable delivery path (retried until it answers); --force retires\n"
			"      without telling the LMS. Prints progress per batch and the total. --dry-run only\n"
			"      counts them.\n",
		{"force", "dry-run"}, {}})
{
}


int RetireFailedCommand::run(const CommandArguments& arguments, AdminEnvironment& environment)
{
	for (const auto& queue: arguments.positional())
	{
		if (!environment.settings.findQueue(queue)) environment.progress << "note: queue '" << queue << "' is not configured\n";
	}
	SubmissionMaintenance maintenance(environment.database, environment.settings.leasePolicy());
	if (arguments.has("dry-run"))
	{
		environment.out << "would retire " << maintenance.countRetireFailed(arguments.positional(), environment.settings.queueing.maxNumberOfFailures,
			environment.database.currentTime()) << " submissions (dry run: nothing changed)\n";
		return EXIT_DONE;
	}
	std::size_t total = 0;
	for (;;)
	{
		std::size_t retired = maintenance.retireFailed(arguments.positional(), environment.settings.queueing.maxNumberOfFailures,
			!arguments.has("force"), environment.database.currentTime());
		if (retired == 0) break;
		total += retired;
		environment.progress << "retired " << total << " so far\n";
	}
	environment.out << "retired " << total << " submissions" << (arguments.has("force") ? " (the LMS was not told)" : "") << "\n";
	return EXIT_DONE;
}


} // namespace XQueue
