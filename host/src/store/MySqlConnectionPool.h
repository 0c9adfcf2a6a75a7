//
// MySqlConnectionPool.h
//
// Sessions to MariaDB/MySQL, reused between requests, and dropped when the server closed
// their connection.
//


#ifndef XQueue_MySqlConnectionPool_INCLUDED
#define XQueue_MySqlConnectionPool_INCLUDED


#include "Poco/Data/Session.h"
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

	private:
		MySqlConnectionPool* _pPool;
		std::unique_ptr<Poco::Data::Session> _pSession;
		bool _broken = false;
	};

	MySqlConnectionPool(const std::string& connection, std::size_t capacity, int waitSeconds, Configure configure);
		/// At most capacity sessions exist at once; acquire() waits up to waitSeconds for
		/// one to be returned.

	~MySqlConnectionPool();

	Lease acquire();
		/// Throws StoreUnavailableException if no session became free in time, or the
		/// exception of opening a new one.

private:
	void giveBack(std::unique_ptr<Poco::Data::Session> pSession, bool broken);
	void releaseSlot();
		/// A session that could not be opened gives its place back.

	std::string _connection;
	std::size_t _capacity;
	int _waitSeconds;
	Configure _configure;
	std::mutex _mutex;
	std::condition_variable _returned;
	std::vector<std::unique_ptr<Poco::Data::Session>> _idle;
	std::size_t _open = 0; /// sessions in existence (idle + leased)
};


} // namespace XQueue


#endif // XQueue_MySqlConnectionPool_INCLUDED
