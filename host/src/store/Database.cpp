// SPDX-License-Identifier: Apache-2.0
//
// Database.cpp
//


#include "store/Database.h"
#include "store/BlobText.h"
#include "store/SchemaMigrations.h"
#include "util/SecureRandom.h"
#include "Poco/Data/MySQL/Connector.h"
#include "Poco/Data/MySQL/MySQLException.h"
#include "Poco/Data/SQLite/Connector.h"
#include "Poco/Data/SQLite/SQLiteException.h"
#include "Poco/Data/SQLite/Utility.h"
#include "Poco/Data/SessionPool.h"
#include "Poco/File.h"
#include "Poco/Path.h"
#include "Poco/String.h"
#include <sqlite3.h>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <thread>
#include <vector>


using namespace Poco::Data::Keywords;


namespace XQueue {



namespace
{
	constexpr int MYSQL_ATTEMPTS = 5;
	constexpr std::size_t MAX_GROUP_COMMIT = 64;
	constexpr Micros CLOCK_RECHECK = 10 * MICROS_PER_SECOND;

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

	// A unit of work on a MySQL session, bounded: past the deadline its socket is shut
	// down, libmariadb reports the connection lost (2013) and the unit fails (503) instead
	// of waiting for a server that stopped answering.
	class StatementDeadline
	{
	public:
		StatementDeadline(SocketDeadlines& deadlines, MySqlConnectionPool::Lease& lease, Micros timeout):
			_deadlines(deadlines),
			_id(deadlines.add(lease.socket(), Clock::now() + timeout))
		{
		}

		~StatementDeadline()
		{
			if (_id) _deadlines.remove(_id);
		}

		StatementDeadline(const StatementDeadline&) = delete;
		StatementDeadline& operator = (const StatementDeadline&) = delete;

	private:
		SocketDeadlines& _deadlines;
		SocketDeadlines::Id _id;
	};

	// Queue sessions: READ COMMITTED (fewer gap locks), UTC, utf8mb4, a short lock wait
	// (claims skip locked rows; anything else should fail fast and be retried).
	void configureMySqlSession(Poco::Data::Session& session, const DatabaseOptions& options)
	{
		session << "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED", now;
		session << "SET time_zone = '+00:00'", now;
		session << "SET NAMES utf8mb4 COLLATE utf8mb4_bin", now;
		session << "SET SESSION innodb_lock_wait_timeout = " + std::to_string(options.busyTimeoutSeconds), now;
	}

	[[noreturn]] void rethrowAsUnavailable(const Poco::Exception& exc)
	{
		throw StoreUnavailableException(exc.displayText());
	}

	// Poco 1.11 puts the server's error number only into the message text.
	int mysqlErrorCode(const std::string& message)
	{
		for (const char* marker: {"[mysql_stmt_errno]: ", "[mysql_errno]: "})
		{
			auto at = message.find(marker);
			if (at != std::string::npos) return std::atoi(message.c_str() + at + std::strlen(marker));
		}
		return 0;
	}

	bool connectionLost(int code)
	{
		return code == 2006 || code == 2013 || code == 2055 || code == 4031;
	}

	constexpr int ER_DEADLOCK = 1213;
	constexpr int ER_LOCK_WAIT_TIMEOUT = 1205;

	bool retryable(int code)
	{
		return code == ER_DEADLOCK || code == ER_LOCK_WAIT_TIMEOUT || connectionLost(code);
	}

	void rollbackQuietly(Poco::Data::Session& s)
	{
		try
		{
			if (s.isTransaction()) s.rollback();
		}
		catch (...)
		{
		}
	}

	std::string withCharset(const std::string& connection)
	{
		return Poco::toLower(connection).find("character-set=") == std::string::npos ? connection + ";character-set=utf8mb4" : connection;
	}
}


Database::Database(const DatabaseOptions& options):
	_options(options),
	_dialect(options.connector == "mysql" ? Dialect::MYSQL : Dialect::SQLITE)
{
	if (_dialect == Dialect::MYSQL)
	{
		Poco::Data::MySQL::Connector::registerConnector();
		std::string connection = withCharset(options.connection);
		try
		{
			// Probe with a short login timeout before building the pool: Poco's pool
			// would otherwise block every caller for the default 60 s.
			Poco::Data::Session probe("MySQL", connection, 5);
			probe << "SELECT 1", now;
		}
		catch (Poco::Exception& exc)
		{
			throw Poco::IOException("cannot connect to MySQL/MariaDB: " + exc.displayText());
		}
		_mysqlConnection = connection;
		_readTimeout = static_cast<Micros>(options.readTimeoutSeconds) * MICROS_PER_SECOND;
		_pMySqlPool = std::make_unique<MySqlConnectionPool>(connection, static_cast<std::size_t>(options.poolSize),
			std::max(1, options.busyTimeoutSeconds), 5 + options.readTimeoutSeconds,
			[options](Poco::Data::Session& s) { configureMySqlSession(s, options); });
		_statementDeadlines.start();
		migrate();
		return;
	}
	if (options.connector != "sqlite") throw Poco::InvalidArgumentException("unknown store connector: " + options.connector);
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
	_pPool = std::make_unique<SqliteSessionPool>(options);
	_pWriter = std::make_unique<GroupCommitWriter>([this]() { return session(); }, MAX_GROUP_COMMIT);
	migrate();
}


Database::~Database()
{
	_pWriter.reset(); // gives its session back before the pool goes
	if (_pPool) _pPool->shutdown();
	_pMySqlPool.reset();
}


Dialect Database::dialect() const
{
	return _dialect;
}


const char* Database::forUpdate() const
{
	return _dialect == Dialect::MYSQL ? " FOR UPDATE" : "";
}


const char* Database::lockingRead() const
{
	return _dialect == Dialect::MYSQL ? " FOR UPDATE SKIP LOCKED" : "";
}


Poco::Data::Session Database::session()
{
	if (_dialect == Dialect::MYSQL)
	{
		// Not from the pool (whose sessions are lent to read() and transaction() only):
		// for tests, tools and start-up.
		try
		{
			Poco::Data::Session s("MySQL", _mysqlConnection, 5);
			configureMySqlSession(s, _options);
			return s;
		}
		catch (Poco::Data::MySQL::MySQLException& exc)
		{
			rethrowAsUnavailable(exc);
		}
	}
	try
	{
		return _pPool->get();
	}
	catch (Poco::Data::SessionPoolExhaustedException& exc)
	{
		rethrowAsUnavailable(exc);
	}
	catch (Poco::Data::MySQL::MySQLException& exc)
	{
		rethrowAsUnavailable(exc);
	}
}


void Database::read(const std::function<void(Poco::Data::Session&)>& work)
{
	if (_dialect != Dialect::MYSQL)
	{
		Poco::Data::Session s = session();
		work(s);
		return;
	}
	for (int attempt = 1; ; ++attempt)
	{
		MySqlConnectionPool::Lease lease = _pMySqlPool->acquire();
		StatementDeadline deadline(_statementDeadlines, lease, _readTimeout);
		try
		{
			work(lease.session());
			return;
		}
		catch (Poco::Data::MySQL::MySQLException& exc)
		{
			int code = mysqlErrorCode(exc.message());
			if (!connectionLost(code)) throw;
			lease.markBroken();
			if (attempt == MYSQL_ATTEMPTS) rethrowAsUnavailable(exc);
		}
	}
}


void Database::transaction(const std::function<void(Poco::Data::Session&)>& work)
{
	if (_dialect == Dialect::MYSQL) mysqlTransaction(work);
	else sqliteTransaction(work);
}


void Database::sqliteTransaction(const std::function<void(Poco::Data::Session&)>& work)
{
	try
	{
		_pWriter->run(work);
	}
	catch (Poco::Data::SQLite::DBLockedException& exc) { rethrowAsUnavailable(exc); }
	catch (Poco::Data::SQLite::TableLockedException& exc) { rethrowAsUnavailable(exc); }
	catch (Poco::Data::SQLite::IOErrorException& exc) { rethrowAsUnavailable(exc); }
	catch (Poco::Data::SQLite::DatabaseFullException& exc) { rethrowAsUnavailable(exc); }
}


void Database::mysqlTransaction(const std::function<void(Poco::Data::Session&)>& work)
{
	// begin()/commit()/rollback() are plain queries (one round trip each), where a
	// "START TRANSACTION" statement would be prepared, executed and closed.
	for (int attempt = 1; ; ++attempt)
	{
		MySqlConnectionPool::Lease lease = _pMySqlPool->acquire();
		StatementDeadline deadline(_statementDeadlines, lease, _readTimeout);
		Poco::Data::Session& s = lease.session();
		bool commitSent = false;
		try
		{
			s.begin();
			work(s);
			commitSent = true;
			s.commit();
			return;
		}
		catch (Poco::Data::MySQL::MySQLException& exc)
		{
			int code = mysqlErrorCode(exc.message());
			// Poco 1.11 reports an error met while fetching rows (a deadlock victim's
			// FOR UPDATE read, seen under concurrent resubmissions) as "mysql_stmt_fetch
			// error" with errno 0. Nothing was committed: roll back and retry it as the
			// deadlock it is, instead of failing the request with a 500.
			if (code == 0 && exc.message().find("mysql_stmt_fetch error") != std::string::npos) code = ER_DEADLOCK;
			rollbackQuietly(s);
			if (connectionLost(code)) lease.markBroken();
			// A lost connection during COMMIT leaves the outcome unknown: never retry that.
			bool again = retryable(code) && !(commitSent && (code == 2006 || code == 2013 || code == 4031));
			if (!again || attempt == MYSQL_ATTEMPTS)
			{
				if (retryable(code) || code >= 2000) rethrowAsUnavailable(exc);
				throw;
			}
			// The failed session is broken or rolled back; the pool drops sessions that
			// are no longer good. Back off with jitter so that two deadlocked
			// transactions do not meet again.
			std::this_thread::sleep_for(std::chrono::microseconds(static_cast<long>((1 << attempt) * 1000 * (0.5 + SecureRandom::uniform()))));
		}
		catch (...)
		{
			rollbackQuietly(s);
			throw;
		}
	}
}


Poco::Int64 Database::lastInsertId(Poco::Data::Session& session) const
{
	// Both client libraries have it from the INSERT itself: no statement needed.
	if (_dialect == Dialect::MYSQL) return static_cast<Poco::Int64>(Poco::AnyCast<Poco::UInt64>(session.getProperty("insertId")));
	return sqlite3_last_insert_rowid(Poco::Data::SQLite::Utility::dbHandle(session));
}


namespace
{
	constexpr int BLOB_HEAD_BYTES = 65535;
}


std::string Database::forceIndex(const std::string& index) const
{
	return _dialect == Dialect::MYSQL ? " FORCE INDEX (" + index + ")" : "";
}


std::string Database::blobColumn(const std::string& column) const
{
	if (_dialect == Dialect::MYSQL)
		return "SUBSTRING(" + column + ", 1, " + std::to_string(BLOB_HEAD_BYTES) + "), LENGTH(" + column + ")";
	return column + ", 0";
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
		s << "SELECT 1", into(one), Poco::Data::Keywords::now;
	});
}


Micros Database::currentTime()
{
	Micros host = Clock::now();
	if (_dialect != Dialect::MYSQL) return host;
	// The offset between the database's clock and ours is measured every few seconds,
	// so that leases are on the database's clock without a round trip per request.
	if (host - _clockCheckedAt.load() > CLOCK_RECHECK)
	{
		Poco::Int64 database = 0;
		Micros before = 0;
		read([&](Poco::Data::Session& s) {
			before = Clock::now();
			s << "SELECT CAST(UNIX_TIMESTAMP(NOW(6)) * 1000000 AS SIGNED)", into(database), Poco::Data::Keywords::now;
		});
		Micros after = Clock::now();
		_clockOffset = database - (before + after) / 2;
		_clockCheckedAt = after;
		host = after;
	}
	return host + _clockOffset.load();
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


void Database::migrate()
{
	const auto& migrations = _dialect == Dialect::MYSQL ? SchemaMigrations::mysql() : SchemaMigrations::sqlite();
	{
		Poco::Data::Session s = session();
		s << (_dialect == Dialect::MYSQL
			? "CREATE TABLE IF NOT EXISTS schema_migrations (version INT PRIMARY KEY, applied_at BIGINT NOT NULL) ENGINE=InnoDB"
			: "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)"), now;
	}
	int current = schemaVersion();
	if (current > static_cast<int>(migrations.size()))
		throw Poco::IllegalStateException("database schema version " + std::to_string(current) +
			" is newer than this build understands (" + std::to_string(migrations.size()) + ")");
	for (int version = current + 1; version <= static_cast<int>(migrations.size()); ++version)
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
				catch (Poco::Data::MySQL::MySQLException& exc)
				{
					// A re-run after a crash between a DDL statement (committed at once in
					// MySQL) and the version record: what is already there is skipped.
					int code = mysqlErrorCode(exc.message());
					if (code != 1050 && code != 1060 && code != 1061) throw; // table, column, key exists
				}
			}
			Micros appliedAt = Clock::now() / MICROS_PER_SECOND;
			s << "INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)", use(version), use(appliedAt), now;
		});
	}
}


} // namespace XQueue
