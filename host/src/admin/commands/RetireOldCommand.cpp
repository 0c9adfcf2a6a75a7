// SPDX-License-Identifier: Apache-2.0
//
// RetireOldCommand.cpp
//


#include "admin/commands/RetireOldCommand.h"
#include "admin/DateTimeArgument.h"
#include "store/SubmissionMaintenance.h"


namespace XQueue {


RetireOldCommand::RetireOldCommand():
	AdminCommand({"retire-old", "retire-old QUEUE [--before DATETIME] [--dry-run] [--yes]",
		"  retire-old QUEUE [--before DATETIME] [--dry-run] [--yes]\n"
			"      Retires, as failed, the unfinished submissions of QUEUE (queued or handed out) that\n"
			"      arrived at or before DATETIME (all of them without --before), as the old\n"
			"      retire_old_submissions did. DATETIME is ISO 8601 (2026-11-01T12:00:00Z,\n"
			"      2026-11-01 12:00:00+02:00, 2026-11-01); without a zone it is UTC; anything else is\n"
			"      refused (exit 64). The LMS receives the failure notice through the durable delivery\n"
			"      path. A grader still holding one of them gets \"Incorrect key\" for its put_result\n"
			"      (the submission is no longer its to grade), as after any lease that ended.\n"
			"      --dry-run only counts them. Without --before (the whole queue) it asks first, or\n"
			"      needs --yes when not run at a terminal.\n",
		{"dry-run", "yes"}, {"before"}})
{
}


int RetireOldCommand::run(const CommandArguments& arguments, AdminEnvironment& environment)
{
	if (arguments.positional().size() != 1) throw AdminUsageException("retire-old takes exactly one queue name");
	const std::string& queue = arguments.positional()[0];
	std::optional<Micros> before;
	if (auto text = arguments.value("before")) before = DateTimeArgument::parse("before", *text);
	if (!environment.settings.findQueue(queue)) environment.progress << "note: queue '" << queue << "' is not configured\n";
	SubmissionMaintenance maintenance(environment.database, environment.settings.leasePolicy());
	if (arguments.has("dry-run"))
	{
		environment.out << "would retire " << maintenance.countRetireOld(queue, before) << " submissions of queue " << queue << " (dry run: nothing changed)\n";
		return EXIT_DONE;
	}
	if (!before)
		confirm(arguments, environment, "Retire every unfinished submission of queue " + queue + " (" +
			std::to_string(maintenance.countRetireOld(queue, before)) + " now)?");
	std::size_t total = 0;
	for (;;)
	{
		std::size_t retired = maintenance.retireOld(queue, before, environment.database.currentTime());
		if (retired == 0) break;
		total += retired;
		environment.progress << "retired " << total << " so far\n";
	}
	environment.out << "retired " << total << " submissions of queue " << queue << "\n";
	return EXIT_DONE;
}


} // namespace XQueue
