// SPDX-License-Identifier: Apache-2.0
//
// MySqlDatabase.cpp
//


#include "store/MySqlDatabase.h"
#include "store/MySqlErrors.h"
#include "util/CloseOnExec.h"
#include "util/SecureRandom.h"
#include "Poco/Data/MySQL/Connector.h"
#include "Poco/Data/MySQL/MySQLException.h"
#include "Poco/String.h"
#include <chrono>
#include <thread>


using namespace Poco::Data::Keywords;


namespace XQueue {


namespace
{
	constexpr int ATTEMPTS = 5;
	constexpr Micros CLOCK_RECHECK = 10 * MICROS_PER_SECOND;

	// A unit of work on a session, bounded: past the deadline its socket is shut down,
	// libmariadb reports the connection lost (2013) and the unit fails (503) instead of
	// waiting for a server that stopped answering.
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
	void configureSession(Poco::Data::Session& session, const DatabaseOptions& options)
	{
		session << "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED", now;
		session << "SET time_zone = '+00:00'", now;
		session << "SET NAMES utf8mb4 COLLATE utf8mb4_bin", now;
		session << "SET SESSION innodb_lock_wait_timeout = " + std::to_string(options.busyTimeoutSeconds), now;
		CloseOnExec::set(MySqlConnectionPool::socketOf(session)); // not for programs plugins start
	}

	[[noreturn]] void rethrowAsUnavailable(const Poco::Exception& exc)
	{
		throw StoreUnavailableException(exc.displayText());
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


const MySqlDialect MySqlDatabase::DIALECT;


MySqlDatabase::MySqlDatabase(const DatabaseOptions& options):
	Database(DIALECT),
	_options(options),
	_connection(withCharset(options.connection)),
	_readTimeout(static_cast<Micros>(options.readTimeoutSeconds) * MICROS_PER_SECOND)
{
	Poco::Data::MySQL::Connector::registerConnector();
	try
	{
		Poco::Data::Session probe("MySQL", _connection, 5);
		probe << "SELECT 1", now;
		// A Galera node (wsrep_on): see transaction() for what that changes.
		std::vector<std::string> names, values;
		probe << "SHOW VARIABLES LIKE 'wsrep_on'", into(names), into(values), now;
		_galera = !values.empty() && values[0] == "ON";
	}
	catch (Poco::Exception& exc)
	{
		throw Poco::IOException("cannot connect to MySQL/MariaDB: " + exc.displayText());
	}
	_pPool = std::make_unique<MySqlConnectionPool>(_connection, static_cast<std::size_t>(options.poolSize),
		std::max(1, options.busyTimeoutSeconds), 5 + options.readTimeoutSeconds,
		[options](Poco::Data::Session& s) { configureSession(s, options); });
	_statementDeadlines.start();
}


MySqlDatabase::~MySqlDatabase()
{
	_pPool.reset();
}


Poco::Data::Session MySqlDatabase::session()
{
	// Not from the pool (whose sessions are lent to read() and transaction() only).
	try
	{
		Poco::Data::Session s("MySQL", _connection, 5);
		configureSession(s, _options);
		return s;
	}
	catch (Poco::Data::MySQL::MySQLException& exc)
	{
		rethrowAsUnavailable(exc);
	}
}


void MySqlDatabase::read(const std::function<void(Poco::Data::Session&)>& work)
{
	// A connection found closed by the server (restart, wait_timeout, a killed
	// connection) is dropped and the work run again on a fresh one.
	for (int attempt = 1; ; ++attempt)
	{
		MySqlConnectionPool::Lease lease = _pPool->acquire();
		StatementDeadline deadline(_statementDeadlines, lease, _readTimeout);
		try
		{
			work(lease.session());
			return;
		}
		catch (Poco::Data::MySQL::MySQLException& exc)
		{
			int code = MySqlErrors::code(exc.message());
			if (!MySqlErrors::connectionLost(code)) throw;
			lease.markBroken();
			if (attempt == ATTEMPTS) rethrowAsUnavailable(exc);
		}
	}
}


void MySqlDatabase::transaction(const std::function<void(Poco::Data::Session&)>& work, Commit)
{
	// begin()/commit()/rollback() are plain queries (one round trip each), where a
	// "START TRANSACTION" statement would be prepared, executed and closed.
	for (int attempt = 1; ; ++attempt)
	{
		MySqlConnectionPool::Lease lease = _pPool->acquire();
		StatementDeadline deadline(_statementDeadlines, lease, _readTimeout);
		Poco::Data::Session& s = lease.session();
		bool commitSent = false;
		try
		{
			s.begin();
			work(s);
			if (_galera) checkStillInTransaction(s);
			commitSent = true;
			s.commit();
			return;
		}
		catch (Poco::Data::MySQL::MySQLException& exc)
		{
			int code = MySqlErrors::code(exc.message());
			// Poco 1.11 reports an error met while fetching rows (a deadlock victim's
			// FOR UPDATE read, seen under concurrent resubmissions) as "mysql_stmt_fetch
			// error" with errno 0. Nothing was committed: roll back and retry it as the
			// deadlock it is, instead of failing the request with a 500.
			if (code == 0 && exc.message().find("mysql_stmt_fetch error") != std::string::npos) code = MySqlErrors::DEADLOCK;
			rollbackQuietly(s);
			if (MySqlErrors::connectionLost(code)) lease.markBroken();
			// A lost connection during COMMIT leaves the outcome unknown: never retry that.
			bool again = MySqlErrors::retryable(code) && !(commitSent && MySqlErrors::lostDuringCommit(code));
			if (!again || attempt == ATTEMPTS)
			{
				if (MySqlErrors::retryable(code) || code >= 2000) rethrowAsUnavailable(exc);
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


void MySqlDatabase::checkStillInTransaction(Poco::Data::Session& s)
{
	// On a Galera node a replicated writeset may abort ("brute force") a local transaction
	// whose rows it conflicts with, at any moment. The next statement should fail with a
	// deadlock; measured (scripts/galera-check), an acknowledged submission was sometimes
	// missing all the same: the statements after the abort had run in autocommit and the
	// COMMIT had nothing to commit. So before COMMIT: still in the transaction, or a deadlock.
	int inTransaction = 0;
	s << "SELECT @@in_transaction", into(inTransaction), now;
	if (inTransaction != 1)
		throw Poco::Data::MySQL::StatementException("[mysql_errno]: " + std::to_string(MySqlErrors::DEADLOCK) + " the transaction was aborted (Galera)");
}


bool MySqlDatabase::commitsMayVanish() const
{
	return _galera;
}


Poco::Int64 MySqlDatabase::lastInsertId(Poco::Data::Session& session) const
{
	// The client library has it from the INSERT itself: no statement needed.
	return static_cast<Poco::Int64>(Poco::AnyCast<Poco::UInt64>(session.getProperty("insertId")));
}


Micros MySqlDatabase::currentTime()
{
	Micros host = Clock::now();
	if (host - _clockCheckedAt.load() > CLOCK_RECHECK)
	{
		Poco::Int64 database = 0;
		Micros before = 0;
		read([&](Poco::Data::Session& s) {
			before = Clock::now();
			s << "SELECT CAST(UNIX_TIMESTAMP(NOW(6)) * 1000000 AS SIGNED)", into(database), now;
		});
		Micros after = Clock::now();
		_clockOffset = database - (before + after) / 2;
		_clockCheckedAt = after;
		host = after;
	}
	return host + _clockOffset.load();
}


} // namespace XQueue
