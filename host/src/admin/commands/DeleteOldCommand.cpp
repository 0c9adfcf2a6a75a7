// SPDX-License-Identifier: Apache-2.0
//
// DeleteOldCommand.cpp
//


#include "admin/commands/DeleteOldCommand.h"
#include "files/FileContentStore.h"
#include "files/FileRetention.h"
#include "store/SubmissionMaintenance.h"
#include <chrono>
#include <thread>


namespace XQueue {


DeleteOldCommand::DeleteOldCommand():
	AdminCommand({"delete-old", "delete-old [--days N] [--chunk-size N] [--sleep S] [--dry-run] [--yes]",
		"  delete-old [--days N] [--chunk-size N] [--sleep S] [--dry-run] [--yes]\n"
			"      Deletes finished submissions (delivered, superseded, failed) that arrived more than\n"
			"      N days ago (default 7), with their deliveries and files, CHUNK rows (default 1000)\n"
			"      per short transaction, sleeping S seconds (default 0) between chunks so that a live\n"
			"      server is never held up. Unfinished submissions are never deleted (the old command\n"
			"      deleted in-flight ones). Then removes the file contents nothing refers to any more\n"
			"      (after xqueue.files.orphan_grace). Prints progress per chunk. --dry-run only\n"
			"      counts them; --days 0 (every finished submission) asks first, or needs --yes when\n"
			"      not run at a terminal.\n",
		{"dry-run", "yes"}, {"days", "chunk-size", "sleep"}})
{
}


int DeleteOldCommand::run(const CommandArguments& arguments, AdminEnvironment& environment)
{
	if (!arguments.positional().empty()) throw AdminUsageException("delete-old takes no positional arguments");
	long long chunk = arguments.integer("chunk-size", 1000, 1, 100000);
	double sleepSeconds = arguments.number("sleep", 0, 0, 3600);
	long long days = arguments.integer("days", 7, 0, 36500);
	SubmissionMaintenance maintenance(environment.database, environment.settings.leasePolicy());
	Micros cutoff = environment.database.currentTime() - days * 86400 * MICROS_PER_SECOND;
	if (arguments.has("dry-run"))
	{
		environment.out << "would delete " << maintenance.countFinished(cutoff) << " submissions older than " << days << " days (dry run: nothing changed)\n";
		return EXIT_DONE;
	}
	if (days == 0)
		confirm(arguments, environment, "Delete every finished submission (" + std::to_string(maintenance.countFinished(cutoff)) + " now)?");
	std::size_t total = 0;
	for (;;)
	{
		std::size_t deleted = maintenance.deleteFinished(cutoff, static_cast<int>(chunk));
		if (deleted == 0) break;
		total += deleted;
		environment.progress << "deleted " << total << " so far\n";
		if (sleepSeconds > 0) std::this_thread::sleep_for(std::chrono::duration<double>(sleepSeconds));
	}
	auto pContents = FileContentStore::open(environment.settings.files, environment.database);
	FileRetention retention(environment.database, *pContents,
		RetentionPolicy{environment.settings.files.retentionDays, environment.settings.files.orphanGrace});
	SweepReport files = retention.sweep(environment.database.currentTime());
	environment.out << "deleted " << total << " submissions older than " << days << " days; removed "
		<< files.removedContents << " file contents\n";
	return EXIT_DONE;
}


} // namespace XQueue
