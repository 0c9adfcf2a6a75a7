// SPDX-License-Identifier: Apache-2.0
//
// SecretStore.h
//
// Secrets that every host sharing the database must agree on, created on first use.
//


#ifndef XQueue_SecretStore_INCLUDED
#define XQueue_SecretStore_INCLUDED


#include "store/Database.h"
#include <string>


namespace XQueue {


class SecretStore
{
public:
	explicit SecretStore(Database& database);

	std::string obtain(const std::string& name);
		/// The secret called name; the first host to ask creates it (256 random bits,
		/// hex). Concurrent first calls on several hosts all get the same value.

private:
	Database& _database;
};


} // namespace XQueue


#endif // XQueue_SecretStore_INCLUDED
