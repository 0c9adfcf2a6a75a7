// SPDX-License-Identifier: Apache-2.0
//
// SchemaMigrations.h
//
// Versioned DDL. Migration N is applied once, in its own transaction, recorded in
// schema_migrations. Never edit a released migration: append a new one.
//


#ifndef XQueue_SchemaMigrations_INCLUDED
#define XQueue_SchemaMigrations_INCLUDED


#include <string>
#include <vector>


namespace XQueue {


class SchemaMigrations
{
public:
	using Migration = std::vector<std::string>;

	static const std::vector<Migration>& sqlite();
	static const std::vector<Migration>& mysql();
		/// The same versions for MySQL/MariaDB: InnoDB, utf8mb4, binary collation.
};


} // namespace XQueue


#endif // XQueue_SchemaMigrations_INCLUDED
