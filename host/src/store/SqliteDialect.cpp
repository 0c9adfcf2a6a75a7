// SPDX-License-Identifier: Apache-2.0
//
// SqliteDialect.cpp
//


#include "store/SqliteDialect.h"


namespace XQueue {


const char* SqliteDialect::name() const
{
	return "sqlite";
}


std::string SqliteDialect::forUpdate() const
{
	return "";
}


std::string SqliteDialect::lockingRead() const
{
	return "";
}


std::string SqliteDialect::forceIndex(const std::string&) const
{
	return "";
}


std::string SqliteDialect::blobColumn(const std::string& column) const
{
	return column + ", 0";
}


std::string SqliteDialect::insertOrIgnore() const
{
	return "INSERT OR IGNORE INTO";
}


std::string SqliteDialect::onConflict(const std::string& keyColumns) const
{
	return " ON CONFLICT(" + keyColumns + ") DO UPDATE SET ";
}


std::string SqliteDialect::newValue(const std::string& column) const
{
	return "excluded." + column;
}


bool SqliteDialect::writersRunConcurrently() const
{
	return false;
}


const std::vector<SchemaMigrations::Migration>& SqliteDialect::migrations() const
{
	return SchemaMigrations::sqlite();
}


std::string SqliteDialect::createMigrationsTable() const
{
	return "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at INTEGER NOT NULL)";
}


bool SqliteDialect::alreadyApplied(const Poco::Exception&) const
{
	return false; // DDL is transactional: a migration is all there or not at all
}


std::string SqliteDialect::schemaLock() const
{
	// Each migration runs under the write lock (BEGIN IMMEDIATE), which every other process
	// waits for; its version is re-read under it.
	return std::string();
}


std::string SqliteDialect::schemaUnlock() const
{
	return std::string();
}


} // namespace XQueue
