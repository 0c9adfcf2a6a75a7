// SPDX-License-Identifier: Apache-2.0
//
// SqliteStatementCache.h
//
// Prepared statements kept per SQLite connection, underneath Poco's SQLite connector.
//
// Poco 1.11's connector prepares every statement anew (sqlite3_prepare_v2) and finalizes it
// when the Poco Statement goes; SQLite parses and plans the SQL each time. That was 28 % of
// the server's CPU under durable submits: most of each statement's cost. Poco has no hook
// for it (a connector of our own would rewrite its statement class, whose state is
// private), so this file supplies sqlite3_prepare_v2, sqlite3_finalize, sqlite3_close and
// sqlite3_close_v2 to the process. The dynamic linker resolves the connector's calls to
// these definitions first (an executable's symbols come before libsqlite3's); they keep each
// connection's statements by SQL text, hand a kept one out again (reset, bindings cleared:
// the same state as a new one), and reset instead of finalizing. What SQLite prepares for
// itself (its calls reach these functions too) is never kept, nor PRAGMAs (which act while
// being prepared). A statement re-prepares itself after a schema change
// (sqlite3_prepare_v2 semantics), so a kept one never runs stale SQL.
//


#ifndef XQueue_SqliteStatementCache_INCLUDED
#define XQueue_SqliteStatementCache_INCLUDED


#include <cstddef>
#include <cstdint>


namespace XQueue {


class SqliteStatementCache
	/// What the interposed functions did, for the benchmark and the tests. Referencing it
	/// (SqliteDatabase does) is also what links the functions into a program.
{
public:
	static constexpr std::size_t STATEMENTS_PER_CONNECTION = 48;
		/// Beyond it the least recently used idle statement is finalized: a connection's
		/// hot statements fit many times over; SQL built with values in it cannot grow it.

	struct Counters
	{
		std::uint64_t reused = 0;    /// prepares answered with a kept statement
		std::uint64_t prepared = 0;  /// prepares that parsed the SQL
		std::size_t kept = 0;        /// statements kept now, over all connections
	};

	static Counters counters();

	static bool active();
		/// True when the process resolves sqlite3_prepare_v2 to this cache: the program that
		/// links it exports the functions (every program linked with the store does, as
		/// libPocoDataSQLite refers to them). SqliteDatabase says so at open when not.
};


} // namespace XQueue


#endif // XQueue_SqliteStatementCache_INCLUDED
