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


namespace
{
	class SchemaLock
		/// Holds every other process out of migrating while it lives (MySQL: a named lock
		/// on a session of its own); nothing where the dialect needs no lock (SQLite).
	{
	public:
		SchemaLock(Database& database, const SqlDialect& sql):
			_sql(sql)
		{
			if (_sql.schemaLock().empty()) return;
			_session.emplace(database.session());
			int held = 0;
			*_session << _sql.schemaLock(), into(held), now;
			if (held != 1) throw Poco::TimeoutException("another process has been migrating the schema for 10 minutes; try again when it is done");
		}

		~SchemaLock()
		{
			try
			{
				if (_session) *_session << _sql.schemaUnlock(), now;
			}
			catch (...)
			{
				// The lock goes with the connection anyway.
			}
		}

		SchemaLock(const SchemaLock&) = delete;
		SchemaLock& operator=(const SchemaLock&) = delete;

	private:
		const SqlDialect& _sql;
		std::optional<Poco::Data::Session> _session;
	};
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
	if (current == 0)
	{
		migrate(); // a new database always gets its schema
		return;
	}
	// Behind: perhaps only because another process is migrating it now, a DDL statement
	// at a time (MySQL). Its lock is waited for before the caller judges the version.
	if (current < latest) SchemaLock wait(*this, _sql);
}


void Database::migrate()
{
	// One process at a time, whatever number of hosts and admin commands start at once.
	SchemaLock lock(*this, _sql);
	const auto& migrations = _sql.migrations();
	// Every pending version in one transaction: on SQLite (transactional DDL) another
	// process sees all of them or none. MySQL commits each DDL statement implicitly, so a
	// version is recorded after its statements, which are re-runnable (IF NOT EXISTS) for
	// a crash between; the lock keeps other processes out meanwhile.
	transaction([&](Poco::Data::Session& s) {
		for (int version = 1; version <= static_cast<int>(migrations.size()); ++version)
		{
			int applied = 0;
			s << "SELECT COUNT(*) FROM schema_migrations WHERE version = ?", use(version), into(applied), now;
			if (applied) continue;
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
		}
	});
}


} // namespace XQueue
