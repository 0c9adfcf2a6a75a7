// SPDX-License-Identifier: Apache-2.0
//
// SqliteDatabase.h
//
// The embedded back end: one database file in WAL mode, for one host.
//


#ifndef XQueue_SqliteDatabase_INCLUDED
#define XQueue_SqliteDatabase_INCLUDED


#include "store/Database.h"
#include "store/GroupCommitWriter.h"
#include "store/SqliteDialect.h"
#include "Poco/Data/SessionPool.h"
#include <memory>


namespace XQueue {


class SqliteDatabase: public Database
	/// Reads are concurrent (WAL). Writes go through transaction(), which hands them to a
	/// GroupCommitWriter: this process's writers are serialized, concurrent ones share one
	/// transaction and one fsync, and the transaction is opened with BEGIN IMMEDIATE, so
	/// that a read-then-write transaction can never hit SQLITE_BUSY on lock upgrade; other
	/// processes (xqueue-admin) are waited for by the busy timeout.
{
public:
	explicit SqliteDatabase(const DatabaseOptions& options);
		/// Opens (creating if needed) the file, whose directory must exist, in WAL mode.

	~SqliteDatabase() override;

	Poco::Data::Session session() override;
	void read(const std::function<void(Poco::Data::Session&)>& work) override;
	void transaction(const std::function<void(Poco::Data::Session&)>& work, Commit commit = Commit::DURABLE) override;
	Poco::Int64 lastInsertId(Poco::Data::Session& session) const override;
	Micros currentTime() override;

private:
	static const SqliteDialect DIALECT;

	std::unique_ptr<Poco::Data::SessionPool> _pPool;
	std::unique_ptr<GroupCommitWriter> _pWriter;
};


} // namespace XQueue


#endif // XQueue_SqliteDatabase_INCLUDED
