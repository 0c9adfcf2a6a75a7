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
			"      OLDEST_S (age in seconds of the oldest pending submission, - if none), PARKED\n"
			"      (LMS deliveries given up, see 'deliveries'), and what the LMS has not taken yet:\n"
			"      TO_LMS (results and notices waiting or being retried), RETRYING (of those, the ones\n"
			"      the LMS refused or did not answer) and TO_LMS_S (age of the oldest, - if none): a\n"
			"      down LMS shows here. --json prints {\"queues\": [{\"queue\", \"pending\", \"in_flight\",\n"
			"      \"oldest_pending_seconds\", \"parked_deliveries\", \"deliveries_waiting\",\n"
			"      \"deliveries_retrying\", \"oldest_delivery_seconds\"}]}.\n",
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
			<< std::setw(10) << "OLDEST_S" << std::setw(8) << "PARKED" << std::setw(8) << "TO_LMS" << std::setw(10) << "RETRYING"
			<< std::setw(10) << "TO_LMS_S" << "\n";
	}
	bool first = true;
	for (const auto& name: names)
	{
		QueueStatus status = submissions.queueStatus(name, now);
		long long oldest = status.oldestPending ? (now - status.oldestPending) / MICROS_PER_SECOND : -1;
		long long oldestDelivery = status.oldestDelivery ? (now - status.oldestDelivery) / MICROS_PER_SECOND : -1;
		long long toLms = status.deliveriesWaiting + status.deliveriesRetrying;
		if (json)
		{
			out += first ? "{" : ", {";
			out += "\"queue\": " + PythonJson::quote(name) + ", \"pending\": " + std::to_string(status.pending) +
				", \"in_flight\": " + std::to_string(status.inFlight) + ", \"oldest_pending_seconds\": " +
				(oldest < 0 ? std::string("null") : std::to_string(oldest)) + ", \"parked_deliveries\": " + std::to_string(status.parkedDeliveries) +
				", \"deliveries_waiting\": " + std::to_string(status.deliveriesWaiting) + ", \"deliveries_retrying\": " +
				std::to_string(status.deliveriesRetrying) + ", \"oldest_delivery_seconds\": " +
				(oldestDelivery < 0 ? std::string("null") : std::to_string(oldestDelivery)) + "}";
			first = false;
		}
		else
		{
			environment.out << std::left << std::setw(32) << name << std::right << std::setw(10) << status.pending << std::setw(11)
				<< status.inFlight << std::setw(10) << (oldest < 0 ? std::string("-") : std::to_string(oldest)) << std::setw(8)
				<< status.parkedDeliveries << std::setw(8) << toLms << std::setw(10) << status.deliveriesRetrying << std::setw(10)
				<< (oldestDelivery < 0 ? std::string("-") : std::to_string(oldestDelivery)) << "\n";
		}
	}
	if (json) environment.out << out << "]}\n";
	return EXIT_DONE;
}


} // namespace XQueue
