// SPDX-License-Identifier: Apache-2.0
//
// MigrateCommand.cpp
//


#include "admin/commands/MigrateCommand.h"
#include "store/Database.h"


namespace XQueue {


MigrateCommand::MigrateCommand():
	AdminCommand({"migrate", "migrate [--check]",
		"  migrate [--check]\n"
			"      Applies the schema migrations this build has and the store lacks, each in its own\n"
			"      transaction (safe while another process migrates too), and prints the versions.\n"
			"      Run it before starting upgraded servers when xqueue.store.migrate = explicit.\n"
			"      --check changes nothing: exits 0 if the schema is current, 1 if it is behind.\n",
		{"check"}, {}})
{
}


bool MigrateCommand::needsCurrentSchema() const
{
	return false;
}


int MigrateCommand::run(const CommandArguments& arguments, AdminEnvironment& environment)
{
	if (!arguments.positional().empty()) throw AdminUsageException("migrate takes no arguments");
	Database& database = environment.database;
	int from = database.schemaVersion();
	int latest = Database::latestSchemaVersion();
	if (arguments.has("check"))
	{
		environment.out << "schema version " << from << " of " << latest << (from == latest ? ": current\n" : ": behind\n");
		return from == latest ? EXIT_DONE : EXIT_FAILED;
	}
	database.migrate();
	int to = database.schemaVersion();
	if (to == from) environment.out << "schema version " << to << ": current, nothing to do\n";
	else environment.out << "schema migrated from version " << from << " to " << to << "\n";
	return EXIT_DONE;
}


} // namespace XQueue
