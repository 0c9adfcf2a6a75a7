// SPDX-License-Identifier: Apache-2.0
//
// ScratchStore.h
//
// The benchmark's database: a new SQLite file or a new MariaDB/MySQL database, migrated
// by the server's own code, with N finished (delivered) submissions preloaded so that the
// hot indexes have history to skip. Dropped again at the end.
//


#ifndef XQueueBench_ScratchStore_INCLUDED
#define XQueueBench_ScratchStore_INCLUDED


#include <string>


namespace XQueueBench {


class ScratchStore
{
public:
	ScratchStore(const std::string& kind, const std::string& directory, const std::string& mysqlServer, const std::string& synchronous);
		/// kind: "sqlite" (a file in directory) or "mysql" (a new database on mysqlServer,
		/// host=...;port=...;user=...;password=...).

	~ScratchStore();

	void preload(long rows);
		/// Inserts rows delivered submissions and the user bench/bench.

	std::string serverProperties() const;
		/// The xqueue.store.* lines for the server's configuration.

	std::string description() const;

private:
	std::string connection() const;

	std::string _kind;
	std::string _path;
	std::string _mysqlServer;
	std::string _databaseName;
	std::string _synchronous;
};


} // namespace XQueueBench


#endif // XQueueBench_ScratchStore_INCLUDED
