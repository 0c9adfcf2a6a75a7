// SPDX-License-Identifier: Apache-2.0
//
// Database.h
//
// The store's database, SQLite (embedded, one host) or MySQL/MariaDB (shared by several
// hosts): sessions, versioned schema migrations applied at start, and write transactions
// that never fail with "database is locked" (SQLite) or on a deadlock (MySQL: retried).
//


#ifndef XQueue_Database_INCLUDED
#define XQueue_Database_INCLUDED


#include "Poco/Data/LOB.h"
#include "Poco/Data/Session.h"
#include "Poco/Data/SessionPool.h"
#include "store/GroupCommitWriter.h"
#include "store/MySqlConnectionPool.h"
#include "store/StoreUnavailableException.h"
#include "util/Clock.h"
#include "util/SocketDeadlines.h"
#include <atomic>
#include <functional>
#include <memory>
#include <string>


namespace XQueue {


enum class Dialect
{
	SQLITE,
	MYSQL
};


struct DatabaseOptions
{
	std::string connector = "sqlite"; /// sqlite or mysql
	std::string connection;           /// SQLite: the database file; MySQL: host=...;port=...;user=...;password=...;db=...
	int poolSize = 32;
	int busyTimeoutSeconds = 5;       /// SQLite busy timeout; MySQL lock-wait timeout of queue sessions
	int readTimeoutSeconds = 10;      /// MySQL: longest wait for the server's answer (or to send) before the connection is dropped
	std::string synchronous = "FULL"; /// SQLite only
};


class Database
	/// SQLite: reads are concurrent (WAL). Writes go through transaction(), which hands
	/// them to a GroupCommitWriter: this process's writers are serialized, concurrent ones
	/// share one transaction and one fsync, and the transaction is opened with BEGIN
	/// IMMEDIATE, so that a read-then-write transaction can never hit SQLITE_BUSY on lock
	/// upgrade; other processes (xqueue-admin) are waited for by the busy timeout.
	///
	/// MySQL/MariaDB: InnoDB, utf8mb4, READ COMMITTED sessions; transaction() runs the
	/// work again (on a fresh session) after a deadlock (1213), a lock-wait timeout (1205)
	/// or a connection lost before COMMIT (2006, 2013, 4031); a session that failed is
	/// never handed out again. Auto-reconnect is never used.
{
public:
	explicit Database(const DatabaseOptions& options);
		/// Opens (creating if needed) the database and applies pending migrations.
		/// Throws Poco::Exception with the path on failure.

	~Database();

	Poco::Data::Session session();
		/// SQLite: a pooled session; MySQL: a new connection. Throws
		/// StoreUnavailableException if none can be had. The stores use read() and
		/// transaction(), which reuse MySQL sessions and recover from closed connections.

	void read(const std::function<void(Poco::Data::Session&)>& work);
		/// Runs reads outside a write transaction. MySQL: a connection found closed by the
		/// server (restart, wait_timeout, a killed connection) is reopened and the work run
		/// again.

	void transaction(const std::function<void(Poco::Data::Session&)>& work);
		/// Runs work inside one write transaction and commits; rolls back and rethrows on
		/// any exception. Lock and I/O failures are rethrown as StoreUnavailableException.

	Poco::Int64 lastInsertId(Poco::Data::Session& session) const;
		/// The id of the row the last INSERT on this session created. (Rows changed by an
		/// UPDATE or DELETE: Poco::Data::Statement::execute() returns them.)

	Dialect dialect() const;

	const char* forUpdate() const;
		/// " FOR UPDATE" for MySQL (the rows read are locked until the transaction ends),
		/// "" for SQLite (its writers are serialized anyway).

	const char* lockingRead() const;
		/// " FOR UPDATE SKIP LOCKED" for MySQL (a claim never waits for, nor takes, a row
		/// another transaction holds), "" for SQLite (its writers are serialized anyway).

	std::string forceIndex(const std::string& index) const;
		/// " FORCE INDEX (index)" for MySQL, "" for SQLite. For the claims' ORDER BY id
		/// LIMIT 1: MariaDB may estimate that walking the primary key in id order finds a
		/// match at once — true for evenly spread rows, but the pending rows are the newest
		/// of a million, which made each claim a scan (pull cycles fell to 17/s).

	std::string blobColumn(const std::string& column) const;
		/// Select-list expression for an opaque-string column: the value, then its length
		/// (extract them into a CLOB and an Int64, and pass both to blobValue()). MySQL
		/// reads only the first 64 KiB in the query itself: Poco 1.11 allocates (and zeroes)
		/// a result buffer of the column's declared size per statement, 16 MiB for a
		/// MEDIUMBLOB, which cost milliseconds and megabytes per read.

	std::string blobValue(Poco::Data::Session& session, const Poco::Data::CLOB& head, Poco::Int64 length,
		const std::string& table, const std::string& column, Poco::Int64 id) const;
		/// The whole value read with blobColumn(): head, plus (rarely, for MySQL values over
		/// 64 KiB) the rest, read from the row of table whose id is id.

	void probe();
		/// Runs a trivial query on a pooled session: throws (StoreUnavailableException,
		/// Poco::Data exceptions) when the database cannot answer. For /readyz.

	Micros currentTime();
		/// The store's clock: the database server's for MySQL (so that every host agrees on
		/// lease expiry), the host's for SQLite. Micros since the epoch, UTC.

	int schemaVersion();

	static int latestSchemaVersion();

private:
	void migrate();
	void sqliteTransaction(const std::function<void(Poco::Data::Session&)>& work);
	void mysqlTransaction(const std::function<void(Poco::Data::Session&)>& work);

	DatabaseOptions _options;
	Dialect _dialect;
	std::atomic<Micros> _clockOffset{0};   /// database clock - host clock (MySQL)
	std::atomic<Micros> _clockCheckedAt{0};
	std::unique_ptr<Poco::Data::SessionPool> _pPool;
	std::unique_ptr<GroupCommitWriter> _pWriter; /// SQLite only
	std::unique_ptr<MySqlConnectionPool> _pMySqlPool;
	SocketDeadlines _statementDeadlines; /// bounds every MySQL unit of work (readTimeout)
	Micros _readTimeout = 0;
	std::string _mysqlConnection;
};


} // namespace XQueue


#endif // XQueue_Database_INCLUDED
