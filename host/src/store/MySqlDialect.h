// SPDX-License-Identifier: Apache-2.0
//
// MySqlDialect.h
//
// MySQL/MariaDB (InnoDB): concurrent writers, row locks, a planner that needs telling.
//


#ifndef XQueue_MySqlDialect_INCLUDED
#define XQueue_MySqlDialect_INCLUDED


#include "store/SqlDialect.h"


namespace XQueue {


class MySqlDialect: public SqlDialect
{
public:
	const char* name() const override;
	std::string forUpdate() const override;
	std::string lockingRead() const override;
	std::string forceIndex(const std::string& index) const override;
	std::string blobColumn(const std::string& column) const override;
	std::string insertOrIgnore() const override;
	std::string onConflict(const std::string& keyColumns) const override;
	std::string newValue(const std::string& column) const override;
	bool writersRunConcurrently() const override;
	const std::vector<SchemaMigrations::Migration>& migrations() const override;
	std::string createMigrationsTable() const override;
	bool alreadyApplied(const Poco::Exception& exc) const override;
	std::string schemaLock() const override;
	std::string schemaUnlock() const override;
};


} // namespace XQueue


#endif // XQueue_MySqlDialect_INCLUDED
