// SPDX-License-Identifier: Apache-2.0
//
// RetireOldCommand.cpp
//


#include "admin/commands/RetireOldCommand.h"
#include "store/SubmissionMaintenance.h"
#include "Poco/DateTime.h"
#include "Poco/DateTimeFormat.h"
#include "Poco/DateTimeParser.h"


namespace XQueue {


namespace
{
	Micros parseDateTime(const std::string& text)
		/// ISO 8601 with 'T' or a space, seconds and fractions optional, a zone or Z
		/// (without one: UTC), or a bare date.
	{
		static const std::vector<std::string> FORMATS = {
			"%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%s%z", "%Y-%m-%d %H:%M:%S%z", "%Y-%m-%d %H:%M:%s%z",
			"%Y-%m-%dT%H:%M%z", "%Y-%m-%d %H:%M%z", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M",
			"%Y-%m-%d"};
		for (const auto& format: FORMATS)
		{
			Poco::DateTime parsed;
			int zone = 0;
			if (Poco::DateTimeParser::tryParse(format, text, parsed, zone))
			{
				parsed.makeUTC(zone);
				return parsed.timestamp().epochMicroseconds();
			}
		}
		throw AdminUsageException("unable to parse datetime " + text + " (expected e.g. 2026-11-01T12:00:00Z or 2026-11-01)");
	}
}


RetireOldCommand::RetireOldCommand():
	AdminCommand({"retire-old", "retire-old QUEUE [--before DATETIME]",
		"  retire-old QUEUE [--before DATETIME]\n"
			"      Retires, as failed, the unfinished submissions of QUEUE (queued or handed out) that\n"
			"      arrived at or before DATETIME (all of them without --before), as the old\n"
			"      retire_old_submissions did. DATETIME is ISO 8601 (2026-11-01T12:00:00Z,\n"
			"      2026-11-01 12:00:00+02:00, 2026-11-01); without a zone it is UTC. The LMS receives the\n"
			"      failure notice through the durable delivery path. A grader still holding one of them\n"
			"      gets its result acknowledged but not delivered.\n",
		{}, {"before"}})
{
}


int RetireOldCommand::run(const CommandArguments& arguments, AdminEnvironment& environment)
{
	if (arguments.positional().size() != 1) throw AdminUsageException("retire-old takes exactly one queue name");
	const std::string& queue = arguments.positional()[0];
	std::optional<Micros> before;
	if (auto text = arguments.value("before")) before = parseDateTime(*text);
	if (!environment.settings.findQueue(queue)) environment.progress << "note: queue '" << queue << "' is not configured\n";
	SubmissionMaintenance maintenance(environment.database, environment.settings.leasePolicy());
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
