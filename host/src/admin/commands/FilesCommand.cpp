// SPDX-License-Identifier: Apache-2.0
//
// FilesCommand.cpp
//


#include "admin/commands/FilesCommand.h"
#include "files/FileContentStore.h"
#include "files/FileRetention.h"


namespace XQueue {


FilesCommand::FilesCommand():
	AdminCommand({"files", "files sweep",
		"  files sweep\n"
			"      Runs file retention now, as every host does each xqueue.files.sweep_interval: files\n"
			"      of finished submissions past xqueue.files.retention_days, then contents nothing\n"
			"      refers to and stray bytes older than xqueue.files.orphan_grace.\n",
		{}, {}})
{
}


int FilesCommand::run(const CommandArguments& arguments, AdminEnvironment& environment)
{
	if (arguments.positional() != std::vector<std::string>{"sweep"}) throw AdminUsageException("files: expected sweep");
	auto pContents = FileContentStore::open(environment.settings.files, environment.database);
	FileRetention retention(environment.database, *pContents,
		RetentionPolicy{environment.settings.files.retentionDays, environment.settings.files.orphanGrace});
	SweepReport report = retention.sweep(environment.database.currentTime());
	environment.out << "expired " << report.expiredFiles << " files; removed " << report.removedContents << " contents and "
		<< report.removedStrays << " stray files\n";
	return EXIT_DONE;
}


} // namespace XQueue
