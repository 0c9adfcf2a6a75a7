// SPDX-License-Identifier: Apache-2.0
//
// DatabaseOptions.h
//
// How to open the store (xqueue.store.*, secrets resolved).
//


#ifndef XQueue_DatabaseOptions_INCLUDED
#define XQueue_DatabaseOptions_INCLUDED


#include <string>


namespace XQueue {


struct DatabaseOptions
{
	std::string connector = "sqlite"; /// sqlite or mysql
	std::string connection;           /// SQLite: the database file; MySQL: host=...;port=...;user=...;password=...;db=...
	int poolSize = 32;
	int busyTimeoutSeconds = 5;       /// SQLite busy timeout; MySQL lock-wait timeout of queue sessions
	int readTimeoutSeconds = 10;      /// MySQL: longest wait for the server's answer (or to send) before the connection is dropped
	std::string synchronous = "FULL"; /// SQLite only
};


} // namespace XQueue


#endif // XQueue_DatabaseOptions_INCLUDED
