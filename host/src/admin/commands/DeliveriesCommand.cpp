// SPDX-License-Identifier: Apache-2.0
//
// DeliveriesCommand.cpp
//


#include "admin/commands/DeliveriesCommand.h"
#include "store/DeliveryStore.h"
#include "Poco/DateTimeFormatter.h"
#include "Poco/NumberParser.h"
#include "Poco/Timestamp.h"
#include <algorithm>
#include <iomanip>


namespace XQueue {


namespace
{
	std::vector<Poco::Int64> parseIds(const std::vector<std::string>& words, bool all)
	{
		if (all && words.size() > 1) throw AdminUsageException("give delivery ids or --all, not both");
		if (!all && words.size() < 2) throw AdminUsageException("give the delivery ids (see 'deliveries list') or --all");
		std::vector<Poco::Int64> ids;
		for (std::size_t i = 1; i < words.size(); ++i)
		{
			Poco::Int64 id = 0;
			if (!Poco::NumberParser::tryParse64(words[i], id) || id <= 0) throw AdminUsageException("not a delivery id: " + words[i]);
			ids.push_back(id);
		}
		return ids;
	}
}


DeliveriesCommand::DeliveriesCommand():
	AdminCommand({"deliveries", "deliveries list [--limit N] | deliveries resend ID...|--all | deliveries drop ID...|--all [--dry-run] [--yes]",
		"  deliveries list [--limit N]\n"
			"      The parked LMS deliveries (given up after xqueue.delivery.retry.horizon, or a\n"
			"      malformed callback URL), oldest first (at most N, default 1000): id, submission,\n"
			"      queue, kind (grade or notice), attempts, created (UTC), last error.\n"
			"  deliveries resend ID...|--all\n"
			"      Makes them pending again, due now, with a fresh retry horizon (after an LMS outage).\n"
			"      A grade's submission counts as graded again until the LMS acknowledges it.\n"
			"  deliveries drop ID...|--all [--dry-run] [--yes]\n"
			"      Deletes them: the LMS will never receive them.\n",
		{"all", "dry-run", "yes"}, {"limit"}})
{
}


int DeliveriesCommand::run(const CommandArguments& arguments, AdminEnvironment& environment)
{
	DeliveryStore deliveries(environment.database);
	const auto& words = arguments.positional();
	const std::string verb = words.empty() ? "" : words[0];
	if (verb == "list")
	{
		if (words.size() != 1) throw AdminUsageException("deliveries list takes no ids");
		auto parked = deliveries.listParked(static_cast<std::size_t>(arguments.integer("limit", 1000, 1, 1000000)));
		environment.out << std::left << std::setw(10) << "ID" << std::setw(12) << "SUBMISSION" << std::setw(24) << "QUEUE" << std::setw(8)
			<< "KIND" << std::setw(10) << "ATTEMPTS" << std::setw(21) << "CREATED (UTC)" << "LAST ERROR\n";
		for (const auto& d: parked)
		{
			environment.out << std::left << std::setw(10) << d.id << std::setw(12) << d.submissionId << std::setw(24) << d.queueName
				<< std::setw(8) << (d.kind == DeliveryKind::GRADE ? "grade" : "notice") << std::setw(10) << d.attempts << std::setw(21)
				<< Poco::DateTimeFormatter::format(Poco::Timestamp(d.createdAt), "%Y-%m-%d %H:%M:%S") << d.lastError << "\n";
		}
		environment.progress << parked.size() << " parked deliveries\n";
		return EXIT_DONE;
	}
	if (verb == "resend")
	{
		std::size_t n = deliveries.resend(parseIds(words, arguments.has("all")), deliveries.currentTime());
		environment.out << "resending " << n << " deliveries (the hosts send them within xqueue.delivery.poll_interval)\n";
		return n > 0 || arguments.has("all") ? EXIT_DONE : EXIT_FAILED;
	}
	if (verb == "drop")
	{
		std::vector<Poco::Int64> ids = parseIds(words, arguments.has("all"));
		if (arguments.has("dry-run"))
		{
			std::size_t n = 0;
			for (const auto& d: deliveries.listParked(1000000)) n += ids.empty() || std::find(ids.begin(), ids.end(), d.id) != ids.end();
			environment.out << "would drop " << n << " deliveries (dry run: nothing changed)\n";
			return EXIT_DONE;
		}
		if (ids.empty()) confirm(arguments, environment, "Drop every parked delivery (the LMS will never get those results)?");
		std::size_t n = deliveries.drop(ids);
		environment.out << "dropped " << n << " deliveries\n";
		return n > 0 || arguments.has("all") ? EXIT_DONE : EXIT_FAILED;
	}
	throw AdminUsageException(verb.empty() ? "deliveries: expected list, resend or drop" : "deliveries: unknown action " + verb);
}


} // namespace XQueue
