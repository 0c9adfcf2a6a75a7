// SPDX-License-Identifier: Apache-2.0
//
// CountQueuedCommand.cpp
//


#include "admin/commands/CountQueuedCommand.h"
#include "protocol/PythonJson.h"
#include "store/SubmissionMaintenance.h"
#include "store/SubmissionStore.h"
#include <iomanip>
#include <set>


namespace XQueue {


CountQueuedCommand::CountQueuedCommand():
	AdminCommand({"count-queued", "count-queued [--json]",
		"  count-queued [--json]\n"
			"      Per queue (configured ones, and any other that has submissions): PENDING (waiting\n"
			"      for a grader, as get_queuelen counts), IN_FLIGHT (handed out under a live lease),\n"
			"      OLDEST_S (age in seconds of the oldest pending submission, - if none) and PARKED\n"
			"      (LMS deliveries given up, see 'deliveries'). --json prints\n"
			"      {\"queues\": [{\"queue\", \"pending\", \"in_flight\", \"oldest_pending_seconds\", \"parked_deliveries\"}]}.\n",
		{"json"}, {}})
{
}


int CountQueuedCommand::run(const CommandArguments& arguments, AdminEnvironment& environment)
{
	if (!arguments.positional().empty()) throw AdminUsageException("count-queued takes no arguments");
	SubmissionStore submissions(environment.database, environment.settings.leasePolicy());
	SubmissionMaintenance maintenance(environment.database, environment.settings.leasePolicy());
	std::set<std::string> names;
	for (const auto& queue: environment.settings.queues) names.insert(queue.name);
	for (const auto& name: maintenance.knownQueues()) names.insert(name);
	Micros now = submissions.currentTime();
	const bool json = arguments.has("json");
	std::string out = "{\"queues\": [";
	if (!json)
	{
		environment.out << std::left << std::setw(32) << "QUEUE" << std::right << std::setw(10) << "PENDING" << std::setw(11) << "IN_FLIGHT"
			<< std::setw(10) << "OLDEST_S" << std::setw(8) << "PARKED" << "\n";
	}
	bool first = true;
	for (const auto& name: names)
	{
		QueueStatus status = submissions.queueStatus(name, now);
		long long oldest = status.oldestPending ? (now - status.oldestPending) / MICROS_PER_SECOND : -1;
		if (json)
		{
			out += first ? "{" : ", {";
			out += "\"queue\": " + PythonJson::quote(name) + ", \"pending\": " + std::to_string(status.pending) +
				", \"in_flight\": " + std::to_string(status.inFlight) + ", \"oldest_pending_seconds\": " +
				(oldest < 0 ? std::string("null") : std::to_string(oldest)) + ", \"parked_deliveries\": " + std::to_string(status.parkedDeliveries) + "}";
			first = false;
		}
		else
		{
			environment.out << std::left << std::setw(32) << name << std::right << std::setw(10) << status.pending << std::setw(11)
				<< status.inFlight << std::setw(10) << (oldest < 0 ? std::string("-") : std::to_string(oldest)) << std::setw(8)
				<< status.parkedDeliveries << "\n";
		}
	}
	if (json) environment.out << out << "]}\n";
	return EXIT_DONE;
}


} // namespace XQueue
