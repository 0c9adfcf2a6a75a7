// SPDX-License-Identifier: Apache-2.0
//
// SqliteStatementCache.cpp
//


#include "store/SqliteStatementCache.h"
#include <dlfcn.h>
#include <link.h>
#include <algorithm>
#include <cstdint>
#include <mutex>
#include <sqlite3.h>
#include <string>
#include <unordered_map>
#include <vector>


namespace XQueue {


namespace
{
	template <class Function>
	Function* libraryFunction(const char* name)
		/// The definition these functions stand in front of: the next one in lookup order.
	{
		void* symbol = ::dlsym(RTLD_NEXT, name);
		if (!symbol) std::abort(); // not linked against libsqlite3: nothing could work
		return reinterpret_cast<Function*>(symbol);
	}

	class LibraryRange
		/// The addresses of libsqlite3: SQLite calls sqlite3_prepare_v2 itself (to read the
		/// schema, in sqlite3_exec) and frees some of those statements without
		/// sqlite3_finalize, so a prepare called from inside it is never kept.
	{
	public:
		explicit LibraryRange(const void* function):
			_function(reinterpret_cast<std::uintptr_t>(function))
		{
			::dl_iterate_phdr(&LibraryRange::measure, this);
		}

		bool contains(const void* address) const
		{
			auto value = reinterpret_cast<std::uintptr_t>(address);
			return _end == 0 || (value >= _begin && value < _end); // not found: keep nothing
		}

	private:
		static int measure(dl_phdr_info* info, std::size_t, void* self)
			/// For each loaded object: its extent; the one holding the function is SQLite.
		{
			auto* range = static_cast<LibraryRange*>(self);
			std::uintptr_t begin = UINTPTR_MAX;
			std::uintptr_t end = 0;
			bool holdsFunction = false;
			for (int i = 0; i < info->dlpi_phnum; ++i)
			{
				const ElfW(Phdr)& segment = info->dlpi_phdr[i];
				if (segment.p_type != PT_LOAD) continue;
				std::uintptr_t start = info->dlpi_addr + segment.p_vaddr;
				begin = std::min(begin, start);
				end = std::max(end, start + segment.p_memsz);
				if (range->_function >= start && range->_function < start + segment.p_memsz) holdsFunction = true;
			}
			if (!holdsFunction) return 0;
			range->_begin = begin;
			range->_end = end;
			return 1;
		}

		std::uintptr_t _function;
		std::uintptr_t _begin = 0;
		std::uintptr_t _end = 0;
	};

	bool actsWhenPrepared(const char* sql)
		/// A PRAGMA takes effect while it is prepared (SQLite re-prepares one run again, so
		/// kept ones would work; not relying on that costs nothing: they are rare).
	{
		while (*sql == ' ' || *sql == '\t' || *sql == '\n' || *sql == '\r') ++sql;
		return ::sqlite3_strnicmp(sql, "PRAGMA", 6) == 0;
	}

	struct KeptStatement
	{
		sqlite3_stmt* statement = nullptr;
		std::size_t tailOffset = 0;  /// where the SQL's first statement ended
		bool inUse = false;
		std::uint64_t lastUse = 0;
	};

	using Statements = std::unordered_map<std::string, KeptStatement>; /// one connection's, by SQL

	class Registry
		/// Every connection's kept statements. One mutex for all: it is held for a map lookup,
		/// never while SQLite works.
	{
	public:
		sqlite3_stmt* take(sqlite3* db, const std::string& sql, const char** pTail, const char* text)
		{
			std::lock_guard<std::mutex> lock(_mutex);
			auto connection = _connections.find(db);
			if (connection == _connections.end()) return nullptr;
			auto kept = connection->second.find(sql);
			if (kept == connection->second.end() || kept->second.inUse) return nullptr;
			kept->second.inUse = true;
			kept->second.lastUse = ++_clock;
			++_reused;
			if (pTail) *pTail = text + kept->second.tailOffset;
			return kept->second.statement;
		}

		void keep(sqlite3* db, const std::string& sql, sqlite3_stmt* statement, std::size_t tailOffset, std::vector<sqlite3_stmt*>& evicted)
			/// Keeps a statement just prepared (and in use) unless one for the same SQL is kept
			/// already (in use too, or take() would have returned it): that one stays.
		{
			std::lock_guard<std::mutex> lock(_mutex);
			++_prepared;
			Statements& connection = _connections[db];
			auto [kept, inserted] = connection.try_emplace(sql);
			if (!inserted) return;
			kept->second = KeptStatement{statement, tailOffset, true, ++_clock};
			_owners.emplace(statement, &kept->second);
			while (connection.size() > SqliteStatementCache::STATEMENTS_PER_CONNECTION)
			{
				auto oldest = connection.end();
				for (auto it = connection.begin(); it != connection.end(); ++it)
				{
					if (!it->second.inUse && (oldest == connection.end() || it->second.lastUse < oldest->second.lastUse)) oldest = it;
				}
				if (oldest == connection.end()) break;
				evicted.push_back(oldest->second.statement);
				_owners.erase(oldest->second.statement);
				connection.erase(oldest);
			}
		}

		bool isKept(sqlite3_stmt* statement)
		{
			std::lock_guard<std::mutex> lock(_mutex);
			return _owners.count(statement) != 0;
		}

		void giveBack(sqlite3_stmt* statement)
		{
			std::lock_guard<std::mutex> lock(_mutex);
			auto owner = _owners.find(statement);
			if (owner != _owners.end()) owner->second->inUse = false;
		}

		std::vector<sqlite3_stmt*> forget(sqlite3* db)
			/// Drops a closing connection's statements; returns the idle ones to finalize
			/// (one in use is finalized by its holder later, which then passes straight through).
		{
			std::vector<sqlite3_stmt*> idle;
			std::lock_guard<std::mutex> lock(_mutex);
			auto connection = _connections.find(db);
			if (connection == _connections.end()) return idle;
			for (auto& [sql, kept]: connection->second)
			{
				if (!kept.inUse) idle.push_back(kept.statement);
				_owners.erase(kept.statement);
			}
			_connections.erase(connection);
			return idle;
		}

		SqliteStatementCache::Counters counters()
		{
			std::lock_guard<std::mutex> lock(_mutex);
			return {_reused, _prepared, _owners.size()};
		}

	private:
		std::mutex _mutex;
		std::unordered_map<sqlite3*, Statements> _connections;
		std::unordered_map<sqlite3_stmt*, KeptStatement*> _owners; /// map values stay put until erased
		std::uint64_t _clock = 0;
		std::uint64_t _reused = 0;
		std::uint64_t _prepared = 0;
	};

	Registry& registry()
	{
		// Never destroyed: connections may close during static destruction.
		static Registry* pRegistry = new Registry;
		return *pRegistry;
	}

	using Prepare = int(sqlite3*, const char*, int, sqlite3_stmt**, const char**);
	using Finalize = int(sqlite3_stmt*);
	using Close = int(sqlite3*);

	Finalize* libraryFinalize()
	{
		static Finalize* pFinalize = libraryFunction<Finalize>("sqlite3_finalize");
		return pFinalize;
	}

	int closeConnection(sqlite3* db, const char* name)
	{
		for (sqlite3_stmt* statement: registry().forget(db)) libraryFinalize()(statement);
		return libraryFunction<Close>(name)(db);
	}
}


SqliteStatementCache::Counters SqliteStatementCache::counters()
{
	return registry().counters();
}


bool SqliteStatementCache::active()
{
	return ::dlsym(RTLD_DEFAULT, "sqlite3_prepare_v2") == reinterpret_cast<void*>(&::sqlite3_prepare_v2);
}


} // namespace XQueue


using XQueue::registry;


extern "C" int sqlite3_prepare_v2(sqlite3* db, const char* zSql, int nByte, sqlite3_stmt** ppStmt, const char** pzTail)
{
	static XQueue::Prepare* pPrepare = XQueue::libraryFunction<XQueue::Prepare>("sqlite3_prepare_v2");
	static const XQueue::LibraryRange sqlite(reinterpret_cast<const void*>(pPrepare));
	if (!db || !zSql || nByte >= 0 || !ppStmt || sqlite.contains(__builtin_return_address(0)) || XQueue::actsWhenPrepared(zSql))
		return pPrepare(db, zSql, nByte, ppStmt, pzTail);
	const std::string sql(zSql);
	if (sqlite3_stmt* kept = registry().take(db, sql, pzTail, zSql))
	{
		*ppStmt = kept;
		return SQLITE_OK;
	}
	const char* tail = nullptr;
	int rc = pPrepare(db, zSql, nByte, ppStmt, &tail);
	if (pzTail) *pzTail = tail;
	if (rc != SQLITE_OK || !*ppStmt) return rc;
	std::vector<sqlite3_stmt*> evicted;
	registry().keep(db, sql, *ppStmt, static_cast<std::size_t>(tail - zSql), evicted);
	for (sqlite3_stmt* statement: evicted) XQueue::libraryFinalize()(statement);
	return rc;
}


extern "C" int sqlite3_finalize(sqlite3_stmt* pStmt)
{
	if (!pStmt || !registry().isKept(pStmt)) return XQueue::libraryFinalize()(pStmt);
	// Back to the state of a new statement before anyone can take it again: no read
	// transaction held by a half-read result, no copy of a large bound value.
	int rc = sqlite3_reset(pStmt);
	sqlite3_clear_bindings(pStmt);
	registry().giveBack(pStmt);
	return rc;
}


extern "C" int sqlite3_close(sqlite3* db)
{
	return XQueue::closeConnection(db, "sqlite3_close");
}


extern "C" int sqlite3_close_v2(sqlite3* db)
{
	return XQueue::closeConnection(db, "sqlite3_close_v2");
}
