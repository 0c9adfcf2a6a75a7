// SPDX-License-Identifier: Apache-2.0
//
// StoreSettings.h
//
// The store's settings (xqueue.store.*).
//


#ifndef XQueue_StoreSettings_INCLUDED
#define XQueue_StoreSettings_INCLUDED


#include "store/Database.h"
#include <string>


namespace XQueue {


struct StoreSettings
{
	std::string connector = "sqlite";
	std::string connection = "xqueue.sqlite";
	std::string passwordFile;
	int poolSize = 32;
	int busyTimeout = 5;
	int readTimeout = 10;
	std::string sqliteSynchronous = "FULL";
	std::string migrate = "auto";

	std::string connectionWithSecrets() const;
		/// The connection string to open the store with: for mysql, the password from
		/// password_file or the XQUEUE_STORE_PASSWORD environment variable is added.
		/// Throws Poco::FileNotFoundException for an unreadable password file.

	DatabaseOptions databaseOptions() const;
		/// How to open the store (secrets included, see connectionWithSecrets).

	std::string description() const;
		/// The connection string without any password, for logs and messages.
};


} // namespace XQueue


#endif // XQueue_StoreSettings_INCLUDED
