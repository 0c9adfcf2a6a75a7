// SPDX-License-Identifier: Apache-2.0
//
// SchemaRewind.h
//
// A store as an older release left it: every table dropped, then the migrations up to a
// version applied, as that release would have. For upgrade tests on either back end.
//


#ifndef XQueueTest_SchemaRewind_INCLUDED
#define XQueueTest_SchemaRewind_INCLUDED


#include "store/Database.h"
#include "Poco/Data/Session.h"
#include <string>
#include <vector>


namespace XQueueTest {


inline void rewindSchemaTo(XQueue::Database& database, int version)
{
	using namespace Poco::Data::Keywords;
	Poco::Data::Session s = database.session();
	const bool mysql = std::string(database.sql().name()) == "mysql";
	std::vector<std::string> tables;
	if (mysql)
	{
		s << "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE()", into(tables), now;
		s << "SET FOREIGN_KEY_CHECKS = 0", now;
	}
	else
	{
		s << "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'", into(tables), now;
		s << "PRAGMA foreign_keys = OFF", now;
	}
	for (const auto& table: tables) s << "DROP TABLE " + table, now;
	if (mysql) s << "SET FOREIGN_KEY_CHECKS = 1", now;
	else s << "PRAGMA foreign_keys = ON", now;
	s << database.sql().createMigrationsTable(), now;
	const auto& migrations = database.sql().migrations();
	for (int v = 1; v <= version; ++v)
	{
		for (const auto& statement: migrations[static_cast<std::size_t>(v - 1)]) s << statement, now;
		s << "INSERT INTO schema_migrations (version, applied_at) VALUES (?, 0)", use(v), now;
	}
}


} // namespace XQueueTest


#endif // XQueueTest_SchemaRewind_INCLUDED
