//
// Database.h
//
// The embedded SQLite store: a session pool, versioned schema migrations applied at
// start, and write transactions that never fail with "database is locked".
//


#ifndef XQueue_Database_INCLUDED
#define XQueue_Database_INCLUDED


#include "Poco/Data/Session.h"
#include "Poco/Data/SessionPool.h"
#include "Poco/Exception.h"
#include <functional>
#include <memory>
#include <mutex>
#include <string>


namespace XQueue {


POCO_DECLARE_EXCEPTION(, StoreUnavailableException, Poco::RuntimeException)
	/// The store could not serve a request (locked past the busy timeout, I/O error,
	/// pool exhausted). Handlers answer 503 with an envelope; nothing was changed.


struct DatabaseOptions
{
	std::string path;              /// SQLite database file
	int poolSize = 32;
	int busyTimeoutSeconds = 5;
	std::string synchronous = "FULL";
};


class Database
	/// Reads are concurrent (WAL). Writes go through transaction(), which serializes
	/// writers of this process on a mutex and opens the transaction with BEGIN IMMEDIATE,
	/// so that a read-then-write transaction can never hit SQLITE_BUSY on lock upgrade;
	/// other processes (xqueue-admin) are waited for by the busy timeout.
{
public:
	explicit Database(const DatabaseOptions& options);
		/// Opens (creating if needed) the database and applies pending migrations.
		/// Throws Poco::Exception with the path on failure.

	~Database();

	Poco::Data::Session session();
		/// A pooled session for reads. Throws StoreUnavailableException if none is free.

	void transaction(const std::function<void(Poco::Data::Session&)>& work);
		/// Runs work inside one write transaction and commits; rolls back and rethrows on
		/// any exception. Lock and I/O failures are rethrown as StoreUnavailableException.

	static std::size_t changes(Poco::Data::Session& session);
		/// Rows changed by the last INSERT/UPDATE/DELETE on this session.

	static Poco::Int64 lastInsertId(Poco::Data::Session& session);

	int schemaVersion();

	static int latestSchemaVersion();

private:
	void migrate();

	DatabaseOptions _options;
	std::unique_ptr<Poco::Data::SessionPool> _pPool;
	std::mutex _writeMutex;
};


} // namespace XQueue


#endif // XQueue_Database_INCLUDED
