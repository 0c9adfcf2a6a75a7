// SPDX-License-Identifier: Apache-2.0
//
// MySqlDialect.cpp
//


#include "store/MySqlDialect.h"
#include "store/MySqlErrors.h"
#include "Poco/Data/MySQL/MySQLException.h"


namespace XQueue {


namespace
{
	// Poco 1.11 allocates (and zeroes) a result buffer of the column's declared size per
	// statement, 16 MiB for a MEDIUMBLOB: only the head is read in the query itself.
	constexpr int BLOB_HEAD_BYTES = 65535;
}


const char* MySqlDialect::name() const
{
	return "mysql";
}


std::string MySqlDialect::forUpdate() const
{
	return " FOR UPDATE";
}


std::string MySqlDialect::lockingRead() const
{
	return " FOR UPDATE SKIP LOCKED";
}


std::string MySqlDialect::forceIndex(const std::string& index) const
{
	return " FORCE INDEX (" + index + ")";
}


std::string MySqlDialect::blobColumn(const std::string& column) const
{
	return "SUBSTRING(" + column + ", 1, " + std::to_string(BLOB_HEAD_BYTES) + "), LENGTH(" + column + ")";
}


std::string MySqlDialect::insertOrIgnore() const
{
	return "INSERT IGNORE INTO";
}


std::string MySqlDialect::onConflict(const std::string&) const
{
	return " ON DUPLICATE KEY UPDATE ";
}


std::string MySqlDialect::newValue(const std::string& column) const
{
	return "VALUES(" + column + ")";
}


bool MySqlDialect::writersRunConcurrently() const
{
	return true;
}


const std::vector<SchemaMigrations::Migration>& MySqlDialect::migrations() const
{
	return SchemaMigrations::mysql();
}


std::string MySqlDialect::createMigrationsTable() const
{
	return "CREATE TABLE IF NOT EXISTS schema_migrations (version INT PRIMARY KEY, applied_at BIGINT NOT NULL) ENGINE=InnoDB";
}


bool MySqlDialect::alreadyApplied(const Poco::Exception& exc) const
{
	if (!dynamic_cast<const Poco::Data::MySQL::MySQLException*>(&exc)) return false;
	int code = MySqlErrors::code(exc.message());
	return code == 1050 || code == 1060 || code == 1061; // table, column, key exists
}


std::string MySqlDialect::schemaLock() const
{
	// DDL commits implicitly: a transaction cannot keep two processes from applying one
	// version (the second failed on schema_migrations' key). A named lock does.
	return "SELECT GET_LOCK('xqueue_schema_migration', 600)";
}


std::string MySqlDialect::schemaUnlock() const
{
	return "SELECT RELEASE_LOCK('xqueue_schema_migration')";
}


} // namespace XQueue
