// SPDX-License-Identifier: Apache-2.0
//
// Database.cpp
//


#include "store/Database.h"
#include "store/BlobText.h"
#include "store/MySqlDatabase.h"
#include "store/SqliteDatabase.h"
#include <optional>


using namespace Poco::Data::Keywords;


namespace XQueue {


std::unique_ptr<Database> Database::open(const DatabaseOptions& options)
{
	std::unique_ptr<Database> pDatabase;
	if (options.connector == "mysql") pDatabase = std::make_unique<MySqlDatabase>(options);
	else if (options.connector == "sqlite") pDatabase = std::make_unique<SqliteDatabase>(options);
	else throw Poco::InvalidArgumentException("unknown store connector: " + options.connector);
	pDatabase->prepareSchema();
	return pDatabase;
}


Database::Database(const SqlDialect& sql):
	_sql(sql)
{
}


Database::~Database() = default;


const SqlDialect& Database::sql() const
{
	return _sql;
}


std::string Database::blobValue(Poco::Data::Session& session, const Poco::Data::CLOB& head, Poco::Int64 length,
	const std::string& table, const std::string& column, Poco::Int64 id) const
{
	std::string value = fromClob(head);
	if (length > static_cast<Poco::Int64>(value.size()))
	{
		Poco::Data::CLOB rest;
		session << "SELECT SUBSTRING(" + column + ", " + std::to_string(value.size() + 1) + ") FROM " + table + " WHERE id = ?",
			use(id), into(rest), now;
		value += fromClob(rest);
	}
	return value;
}


void Database::probe()
{
	read([](Poco::Data::Session& s) {
		int one = 0;
		s << "SELECT 1", into(one), now;
	});
}


int Database::schemaVersion()
{
	int version = 0;
	read([&](Poco::Data::Session& s) {
		s << "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", into(version), now;
	});
	return version;
}


int Database::latestSchemaVersion()
{
	return static_cast<int>(SchemaMigrations::sqlite().size());
}


bool Database::schemaIsCurrent()
{
	return schemaVersion() == static_cast<int>(_sql.migrations().size());
}


std::string Database::schemaLag()
{
	int current = schemaVersion();
	int latest = static_cast<int>(_sql.migrations().size());
	if (current == latest) return std::string();
	return "the store's schema is at version " + std::to_string(current) + "; this build needs " + std::to_string(latest);
}


void Database::prepareSchema()
{
	{
		Poco::Data::Session s = session();
		s << _sql.createMigrationsTable(), now;
	}
	int current = schemaVersion();
	int latest = static_cast<int>(_sql.migrations().size());
	if (current > latest)
		throw Poco::IllegalStateException("database schema version " + std::to_string(current) +
			" is newer than this build understands (" + std::to_string(latest) + ")");
	if (current == 0) migrate();
}


void Database::migrate()
{
	// One process at a time, whatever number of hosts and admin commands start at once.
	std::optional<Poco::Data::Session> lockSession;
	if (!_sql.schemaLock().empty())
	{
		lockSession.emplace(session());
		int held = 0;
		*lockSession << _sql.schemaLock(), into(held), now;
		if (held != 1) throw Poco::TimeoutException("another process has been migrating the schema for 10 minutes; try again when it is done");
	}
	struct Release
	{
		std::optional<Poco::Data::Session>& session;
		const SqlDialect& sql;
		~Release()
		{
			try
			{
				if (session) *session << sql.schemaUnlock(), now;
			}
			catch (...)
			{
				// The lock goes with the connection anyway.
			}
		}
	} release{lockSession, _sql};
	const auto& migrations = _sql.migrations();
	for (int version = schemaVersion() + 1; version <= static_cast<int>(migrations.size()); ++version)
	{
		// MySQL commits DDL implicitly, so a migration is recorded after its statements;
		// the statements are written to be re-runnable (IF NOT EXISTS) for a crash between.
		transaction([&](Poco::Data::Session& s) {
			int applied = 0;
			s << "SELECT COUNT(*) FROM schema_migrations WHERE version = ?", use(version), into(applied), now;
			if (applied) return; // another process migrated meanwhile
			for (const auto& statement: migrations[static_cast<std::size_t>(version - 1)])
			{
				try
				{
					s << statement, now;
				}
				catch (Poco::Exception& exc)
				{
					if (!_sql.alreadyApplied(exc)) throw;
				}
			}
			Micros appliedAt = Clock::now() / MICROS_PER_SECOND;
			s << "INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)", use(version), use(appliedAt), now;
		});
	}
}


} // namespace XQueue
