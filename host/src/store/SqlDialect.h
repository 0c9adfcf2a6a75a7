// SPDX-License-Identifier: Apache-2.0
//
// SqlDialect.h
//
// The SQL that differs between the store's two back ends, and only that: the stores
// write one statement and ask the dialect for the parts that differ.
//


#ifndef XQueue_SqlDialect_INCLUDED
#define XQueue_SqlDialect_INCLUDED


#include "store/SchemaMigrations.h"
#include "Poco/Exception.h"
#include <string>
#include <vector>


namespace XQueue {


class SqlDialect
{
public:
	virtual ~SqlDialect() = default;

	virtual const char* name() const = 0;
		/// "sqlite" or "mysql", as xqueue.store.connector names it.

	virtual std::string forUpdate() const = 0;
		/// " FOR UPDATE" where rows read must stay locked until the transaction ends; ""
		/// where writers are serialized anyway.

	virtual std::string lockingRead() const = 0;
		/// " FOR UPDATE SKIP LOCKED" where a claim must neither wait for nor take a row
		/// another transaction holds; "" where writers are serialized anyway.

	virtual std::string forceIndex(const std::string& index) const = 0;
		/// " FORCE INDEX (index)" where the planner must be told (MariaDB may walk the
		/// primary key in id order for the claims' ORDER BY id LIMIT 1, a scan when the
		/// pending rows are the newest of a million); "".

	virtual std::string blobColumn(const std::string& column) const = 0;
		/// Select-list expression for an opaque-string column: its value (or the value's
		/// first 64 KiB where reading a large column costs its declared size), then its
		/// length. Database::blobValue() reads the rest when needed.

	virtual std::string insertOrIgnore() const = 0;
		/// "INSERT IGNORE INTO" / "INSERT OR IGNORE INTO": a duplicate key is skipped.

	virtual std::string onConflict(const std::string& keyColumns) const = 0;
		/// What follows an INSERT's VALUES (...) to update the row with that key instead:
		/// the assignments come next, with newValue() for the values being inserted.

	virtual std::string newValue(const std::string& column) const = 0;
		/// The value the INSERT tried to put in column, inside onConflict()'s assignments.

	virtual bool writersRunConcurrently() const = 0;
		/// Several transactions may write at once (and should then spread hot rows).

	virtual const std::vector<SchemaMigrations::Migration>& migrations() const = 0;

	virtual std::string createMigrationsTable() const = 0;

	virtual bool alreadyApplied(const Poco::Exception& exc) const = 0;
		/// The statement failed because what it creates exists (a migration re-run after
		/// a crash between a DDL statement, committed at once, and its version record).

	virtual std::string schemaLock() const = 0;
	virtual std::string schemaUnlock() const = 0;
		/// Statements that hold every other process out of migrating on this session (the
		/// first answers 1 once the lock is held); empty where transactions suffice.
};


} // namespace XQueue


#endif // XQueue_SqlDialect_INCLUDED
