// SPDX-License-Identifier: Apache-2.0
//
// MySqlConnectionPool.h
//
// Sessions to MariaDB/MySQL, reused between requests, and dropped when the server closed
// their connection.
//


#ifndef XQueue_MySqlConnectionPool_INCLUDED
#define XQueue_MySqlConnectionPool_INCLUDED


#include "Poco/Data/Session.h"
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>


namespace XQueue {


class MySqlConnectionPool
	/// Poco 1.11's SessionPool cannot tell that the server closed an idle connection (the
	/// client library has not tried it yet), and cannot drop or reopen a pooled session
	/// (reconnect() throws, close() puts it back): after a MariaDB restart every pooled
	/// session would stay dead. This pool hands out plain sessions; one found broken is
	/// closed instead of returned, and the idle ones are dropped with it (a restart or a
	/// failover closes them all), so the next acquire() opens a fresh connection.
	///
	/// Poco 1.11 sets no read timeout on its MySQL connections, so libmariadb would wait
	/// for ever for a server that accepts but does not answer (hung, or behind a
	/// partition). Statements are bounded by Database (SocketDeadlines on socket());
	/// opening a connection, which that cannot reach, runs on a thread of its own here
	/// and is given up after the timeout.
{
public:
	using Configure = std::function<void(Poco::Data::Session&)>;

	class Lease
		/// One session, returned to the pool when the lease ends (or closed if broken).
	{
	public:
		Lease(MySqlConnectionPool& pool, std::unique_ptr<Poco::Data::Session> pSession);
		Lease(Lease&& other) noexcept;
		Lease(const Lease&) = delete;
		Lease& operator = (const Lease&) = delete;
		Lease& operator = (Lease&&) = delete;
		~Lease();

		Poco::Data::Session& session();

		void markBroken();
			/// The connection was lost: close the session and drop the idle ones.

		int socket();
			/// The connection's socket descriptor (-1 if unknown).

	private:
		MySqlConnectionPool* _pPool;
		std::unique_ptr<Poco::Data::Session> _pSession;
		bool _broken = false;
	};

	static int socketOf(Poco::Data::Session& session);
		/// A MySQL session's socket descriptor (-1 if unknown).

	MySqlConnectionPool(const std::string& connection, std::size_t capacity, int waitSeconds, int openTimeoutSeconds,
		Configure configure);
		/// At most capacity sessions exist at once; acquire() waits up to waitSeconds for
		/// one to be returned, and opening one (connect + configure) up to openTimeoutSeconds.

	~MySqlConnectionPool();

	Lease acquire();
		/// Throws StoreUnavailableException if no session became free in time, or the
		/// exception of opening a new one.

private:
	void giveBack(std::unique_ptr<Poco::Data::Session> pSession, bool broken);
	void releaseSlot();
		/// A session that could not be opened gives its place back.
	std::unique_ptr<Poco::Data::Session> open();

	static constexpr int MAX_ABANDONED_OPENS = 4;

	std::string _connection;
	std::size_t _capacity;
	int _waitSeconds;
	int _openTimeoutSeconds;
	Configure _configure;
	std::shared_ptr<std::atomic<int>> _pAbandonedOpens; /// opens given up on and still running
	std::mutex _mutex;
	std::condition_variable _returned;
	std::vector<std::unique_ptr<Poco::Data::Session>> _idle;
	std::size_t _open = 0; /// sessions in existence (idle + leased)
};


} // namespace XQueue


#endif // XQueue_MySqlConnectionPool_INCLUDED
