// SPDX-License-Identifier: Apache-2.0
//
// SqliteDatabase.cpp
//


#include "store/SqliteDatabase.h"
#include "store/SqliteStatementCache.h"
#include "Poco/Logger.h"
#include "Poco/Data/SQLite/Connector.h"
#include "Poco/Data/SQLite/SQLiteException.h"
#include "Poco/Data/SQLite/Utility.h"
#include "Poco/File.h"
#include "Poco/Path.h"
#include <sqlite3.h>


using namespace Poco::Data::Keywords;


namespace XQueue {


namespace
{
	constexpr std::size_t MAX_GROUP_COMMIT = 64;

	class SqliteSessionPool: public Poco::Data::SessionPool
		/// Sets the per-connection pragmas every session needs.
	{
	public:
		SqliteSessionPool(const DatabaseOptions& options):
			Poco::Data::SessionPool("SQLite", options.connection, 1, options.poolSize, 60),
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


const SqliteDialect SqliteDatabase::DIALECT;


SqliteDatabase::SqliteDatabase(const DatabaseOptions& options):
	Database(DIALECT)
{
	Poco::Data::SQLite::Connector::registerConnector();
	Poco::Path parent = Poco::Path(options.connection).absolute().parent();
	if (!Poco::File(parent).exists())
		throw Poco::FileNotFoundException("database directory does not exist: " + parent.toString());
	{
		// Probe with a short login timeout: Poco retries opening for the whole timeout.
		Poco::Data::Session probe("SQLite", options.connection, 5);
		std::string mode;
		probe << "PRAGMA journal_mode = WAL", into(mode), now;
		if (mode != "wal")
			throw Poco::IOException("cannot switch " + options.connection + " to WAL journal mode (got '" + mode + "')");
	}
	if (!SqliteStatementCache::active())
		Poco::Logger::get("xqueue.store").warning("SQLite statements are prepared anew each time: this program does not export the statement cache's functions");
	_pPool = std::make_unique<SqliteSessionPool>(options);
	_pWriter = std::make_unique<GroupCommitWriter>([this]() { return session(); }, MAX_GROUP_COMMIT, options.synchronous);
}


SqliteDatabase::~SqliteDatabase()
{
	_pWriter.reset(); // gives its session back before the pool goes
	_pPool->shutdown();
}


Poco::Data::Session SqliteDatabase::session()
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


void SqliteDatabase::read(const std::function<void(Poco::Data::Session&)>& work)
{
	Poco::Data::Session s = session();
	work(s);
}


void SqliteDatabase::transaction(const std::function<void(Poco::Data::Session&)>& work, Commit commit)
{
	try
	{
		_pWriter->run(work, commit == Commit::DURABLE);
	}
	catch (Poco::Data::SQLite::DBLockedException& exc) { rethrowAsUnavailable(exc); }
	catch (Poco::Data::SQLite::TableLockedException& exc) { rethrowAsUnavailable(exc); }
	catch (Poco::Data::SQLite::IOErrorException& exc) { rethrowAsUnavailable(exc); }
	catch (Poco::Data::SQLite::DatabaseFullException& exc) { rethrowAsUnavailable(exc); }
}


Poco::Int64 SqliteDatabase::lastInsertId(Poco::Data::Session& session) const
{
	// The client library has it from the INSERT itself: no statement needed.
	return sqlite3_last_insert_rowid(Poco::Data::SQLite::Utility::dbHandle(session));
}


Micros SqliteDatabase::currentTime()
{
	return Clock::now();
}


} // namespace XQueue
