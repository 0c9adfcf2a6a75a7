// SPDX-License-Identifier: Apache-2.0
//
// Database.h
//
// The store's database as the stores see it: sessions, reads, write transactions that
// never fail with "database is locked" or on a deadlock, the store's clock, the schema's
// version, and the dialect for the SQL that differs. Two back ends implement it:
// SqliteDatabase (embedded, one host) and MySqlDatabase (MariaDB/MySQL, several hosts).
//


#ifndef XQueue_Database_INCLUDED
#define XQueue_Database_INCLUDED


#include "store/DatabaseOptions.h"
#include "store/SqlDialect.h"
#include "store/StoreUnavailableException.h"
#include "util/Clock.h"
#include "Poco/Data/LOB.h"
#include "Poco/Data/Session.h"
#include <functional>
#include <memory>
#include <string>


namespace XQueue {


enum class Commit
{
	DURABLE, /// on disk when transaction() returns (fsync): every acknowledgement to a client
	RELAXED  /// survives a crash of the process, not of the machine: only for changes whose
	         /// loss the protocol already tolerates (a lease: handed out again; a delivered
	         /// mark: delivered again). SQLite: synchronous=NORMAL for its batch (no fsync at
	         /// its commit; the next durable commit syncs it too). MySQL: as DURABLE.
};


class Database
{
public:
	static std::unique_ptr<Database> open(const DatabaseOptions& options);
		/// Opens the back end options.connector names. A new (empty) database gets the
		/// whole schema; an existing one is left at its version (see migrate()). Throws
		/// Poco::Exception naming the database on failure, and for a schema newer than
		/// this build understands.

	virtual ~Database();

	virtual Poco::Data::Session session() = 0;
		/// A session of its own (SQLite: pooled; MySQL: a new connection), for tools and
		/// tests. Throws StoreUnavailableException if none can be had. The stores use
		/// read() and transaction(), which reuse sessions and recover from lost ones.

	virtual void read(const std::function<void(Poco::Data::Session&)>& work) = 0;
		/// Runs reads outside a write transaction.

	virtual void transaction(const std::function<void(Poco::Data::Session&)>& work, Commit commit = Commit::DURABLE) = 0;
		/// Runs work inside one write transaction and commits; rolls back and rethrows on
		/// any exception. Lock and I/O failures are rethrown as StoreUnavailableException.

	virtual Poco::Int64 lastInsertId(Poco::Data::Session& session) const = 0;

	virtual bool commitsMayVanish() const { return false; }
		/// True on a Galera node, where a committed-looking transaction was seen missing
		/// (MySqlDatabase::checkStillInTransaction): acknowledgements read their rows back.
		/// The id of the row the last INSERT on this session created.

	virtual Micros currentTime() = 0;
		/// The store's clock, on which every lease and timestamp is: the database server's
		/// for MySQL (so that every host agrees on lease expiry), the host's for SQLite.
		/// Micros since the epoch, UTC.

	const SqlDialect& sql() const;

	std::string blobValue(Poco::Data::Session& session, const Poco::Data::CLOB& head, Poco::Int64 length,
		const std::string& table, const std::string& column, Poco::Int64 id) const;
		/// The whole value read with sql().blobColumn(): head, plus (rarely, for values
		/// over its first 64 KiB) the rest, read from the row of table whose id is id.

	void probe();
		/// Runs a trivial query: throws (StoreUnavailableException, Poco::Data
		/// exceptions) when the database cannot answer. For /readyz.

	int schemaVersion();

	static int latestSchemaVersion();

	bool schemaIsCurrent();

	std::string schemaLag();
		/// "the store's schema is at version N; this build needs M", or "" when current.

	void migrate();
		/// Applies every migration this build has and the database lacks, each in its own
		/// transaction; safe against another process migrating at the same time.

protected:
	explicit Database(const SqlDialect& sql);

	void prepareSchema();
		/// For open(): the version table, the newer-schema check, a new database's schema.

private:
	const SqlDialect& _sql;
};


} // namespace XQueue


#endif // XQueue_Database_INCLUDED
