// SPDX-License-Identifier: Apache-2.0
//
// MySqlDatabase.h
//
// The shared back end: MariaDB/MySQL (InnoDB), for several hosts.
//


#ifndef XQueue_MySqlDatabase_INCLUDED
#define XQueue_MySqlDatabase_INCLUDED


#include "store/Database.h"
#include "store/MySqlConnectionPool.h"
#include "store/MySqlDialect.h"
#include "util/SocketDeadlines.h"
#include <atomic>
#include <memory>


namespace XQueue {


class MySqlDatabase: public Database
	/// utf8mb4, READ COMMITTED sessions in UTC; transaction() runs the work again (on a
	/// fresh session) after a deadlock (1213), a lock-wait timeout (1205) or a connection
	/// lost before COMMIT (2006, 2013, 4031); a session that failed is never handed out
	/// again, auto-reconnect is never used, and every unit of work is bounded by the read
	/// timeout (a frozen server fails requests instead of holding their threads).
{
public:
	explicit MySqlDatabase(const DatabaseOptions& options);
		/// Connects once with a short timeout (Poco's pool would block every caller for
		/// 60 s). Throws Poco::IOException when the server cannot be reached.

	~MySqlDatabase() override;

	Poco::Data::Session session() override;
	void read(const std::function<void(Poco::Data::Session&)>& work) override;
	void transaction(const std::function<void(Poco::Data::Session&)>& work, Commit commit = Commit::DURABLE) override;
	Poco::Int64 lastInsertId(Poco::Data::Session& session) const override;
	bool commitsMayVanish() const override;
	Micros currentTime() override;
		/// The database server's clock: its offset to ours is measured every 10 s, so that
		/// leases are on the server's clock without a round trip per request.

private:
	void checkStillInTransaction(Poco::Data::Session& s);

	static const MySqlDialect DIALECT;

	DatabaseOptions _options;
	std::string _connection;
	Micros _readTimeout = 0;
	bool _galera = false; /// a Galera node: transactions are checked before COMMIT
	std::atomic<Micros> _clockOffset{0};   /// database clock - host clock
	std::atomic<Micros> _clockCheckedAt{0};
	std::unique_ptr<MySqlConnectionPool> _pPool;
	SocketDeadlines _statementDeadlines; /// bounds every unit of work (readTimeout)
};


} // namespace XQueue


#endif // XQueue_MySqlDatabase_INCLUDED
