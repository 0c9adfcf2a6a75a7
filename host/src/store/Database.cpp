//
// Database.cpp
//


#include "store/Database.h"
#include "store/SchemaMigrations.h"
#include "Poco/Data/SQLite/Connector.h"
#include "Poco/Data/SQLite/SQLiteException.h"
#include "Poco/Data/SessionPool.h"
#include "Poco/File.h"
#include "Poco/Path.h"
#include <vector>


using namespace Poco::Data::Keywords;


namespace XQueue {


POCO_IMPLEMENT_EXCEPTION(StoreUnavailableException, Poco::RuntimeException, "Store unavailable")


namespace
{
	class SqliteSessionPool: public Poco::Data::SessionPool
		/// Sets the per-connection pragmas every session needs.
	{
	public:
		SqliteSessionPool(const DatabaseOptions& options):
			Poco::Data::SessionPool("SQLite", options.path, 1, options.poolSize, 60),
			_options(options)
		{
		}

	protected:
		void customizeSession(Poco::Data::Session& session) override
		{
			session.setProperty("connectionTimeout", Poco::Any(static_cast<std::size_t>(_options.busyTimeoutSeconds)));
			session << "PRAGMA foreign_keys = ON", now;
			session << "PRAGMA synchronous = " + _options.synchronous, now;
		}

	private:
		DatabaseOptions _options;
	};

	[[noreturn]] void rethrowAsUnavailable(const Poco::Exception& exc)
	{
		throw StoreUnavailableException(exc.displayText());
	}
}


Database::Database(const DatabaseOptions& options):
	_options(options)
{
	Poco::Data::SQLite::Connector::registerConnector();
	Poco::Path parent = Poco::Path(options.path).absolute().parent();
	if (!Poco::File(parent).exists())
		throw Poco::FileNotFoundException("database directory does not exist: " + parent.toString());
	{
		// Probe with a short login timeout: Poco retries opening for the whole timeout.
		Poco::Data::Session probe("SQLite", options.path, 5);
		std::string mode;
		probe << "PRAGMA journal_mode = WAL", into(mode), now;
		if (mode != "wal")
			throw Poco::IOException("cannot switch " + options.path + " to WAL journal mode (got '" + mode + "')");
	}
	_pPool = std::make_unique<SqliteSessionPool>(options);
	migrate();
}


Database::~Database()
{
	if (_pPool) _pPool->shutdown();
}


Poco::Data::Session Database::session()
{
	try
	{
		return _pPool->get();
	}
	catch (Poco::Data::SessionPoolExhaustedException& exc)
	{
		rethrowAsUnavailable(exc);
	}
}


void Database::transaction(const std::function<void(Poco::Data::Session&)>& work)
{
	std::lock_guard<std::mutex> lock(_writeMutex);
	Poco::Data::Session s = session();
	try
	{
		s << "BEGIN IMMEDIATE", now;
	}
	catch (Poco::Data::SQLite::SQLiteException& exc)
	{
		rethrowAsUnavailable(exc);
	}
	try
	{
		work(s);
		s << "COMMIT", now;
	}
	catch (...)
	{
		try
		{
			s << "ROLLBACK", now;
		}
		catch (...)
		{
		}
		try
		{
			throw;
		}
		catch (Poco::Data::SQLite::DBLockedException& exc) { rethrowAsUnavailable(exc); }
		catch (Poco::Data::SQLite::TableLockedException& exc) { rethrowAsUnavailable(exc); }
		catch (Poco::Data::SQLite::IOErrorException& exc) { rethrowAsUnavailable(exc); }
		catch (Poco::Data::SQLite::DatabaseFullException& exc) { rethrowAsUnavailable(exc); }
	}
}


std::size_t Database::changes(Poco::Data::Session& session)
{
	int count = 0;
	session << "SELECT changes()", into(count), now;
	return static_cast<std::size_t>(count);
}


Poco::Int64 Database::lastInsertId(Poco::Data::Session& session)
{
	Poco::Int64 id = 0;
	session << "SELECT last_insert_rowid()", into(id), now;
	return id;
}


int Database::schemaVersion()
{
	Poco::Data::Session s = session();
	int version = 0;
	s << "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", into(version), now;
	return version;
}


int Database::latestSchemaVersion()
{
	return static_cast<int>(SchemaMigrations::sqlite().size());
}


void Database::migrate()
{
	transaction([](Poco::Data::Session& s) {
		s << "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)", now;
	});
	const auto& migrations = SchemaMigrations::sqlite();
	int current = schemaVersion();
	if (current > static_cast<int>(migrations.size()))
		throw Poco::IllegalStateException("database schema version " + std::to_string(current) +
			" is newer than this build understands (" + std::to_string(migrations.size()) + ")");
	for (int version = current + 1; version <= static_cast<int>(migrations.size()); ++version)
	{
		transaction([&](Poco::Data::Session& s) {
			int applied = 0;
			s << "SELECT COUNT(*) FROM schema_migrations WHERE version = ?", use(version), into(applied), now;
			if (applied) return; // another process migrated meanwhile
			for (const auto& statement: migrations[static_cast<std::size_t>(version - 1)])
				s << statement, now;
			s << "INSERT INTO schema_migrations (version, applied_at) VALUES (?, strftime('%s','now'))", use(version), now;
		});
	}
}


} // namespace XQueue
