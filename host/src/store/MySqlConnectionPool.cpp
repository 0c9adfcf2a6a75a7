// SPDX-License-Identifier: Apache-2.0
//
// MySqlConnectionPool.cpp
//


#include "store/MySqlConnectionPool.h"
#include "store/StoreUnavailableException.h"
#include "Poco/Data/MySQL/SessionImpl.h"
#include <chrono>
#include <thread>


namespace XQueue {


MySqlConnectionPool::Lease::Lease(MySqlConnectionPool& pool, std::unique_ptr<Poco::Data::Session> pSession):
	_pPool(&pool),
	_pSession(std::move(pSession))
{
}


MySqlConnectionPool::Lease::Lease(Lease&& other) noexcept:
	_pPool(other._pPool),
	_pSession(std::move(other._pSession)),
	_broken(other._broken)
{
	other._pPool = nullptr;
}


MySqlConnectionPool::Lease::~Lease()
{
	if (_pPool && _pSession) _pPool->giveBack(std::move(_pSession), _broken);
}


Poco::Data::Session& MySqlConnectionPool::Lease::session()
{
	return *_pSession;
}


void MySqlConnectionPool::Lease::markBroken()
{
	_broken = true;
}


int MySqlConnectionPool::Lease::socket()
{
	return _pSession ? socketOf(*_pSession) : -1;
}


int MySqlConnectionPool::socketOf(Poco::Data::Session& session)
{
	auto* pImpl = dynamic_cast<Poco::Data::MySQL::SessionImpl*>(session.impl());
	if (!pImpl) return -1;
	return static_cast<int>(mysql_get_socket(static_cast<MYSQL*>(pImpl->handle())));
}


MySqlConnectionPool::MySqlConnectionPool(const std::string& connection, std::size_t capacity, int waitSeconds,
	int openTimeoutSeconds, Configure configure):
	_connection(connection),
	_capacity(capacity == 0 ? 1 : capacity),
	_waitSeconds(waitSeconds),
	_openTimeoutSeconds(openTimeoutSeconds),
	_configure(std::move(configure)),
	_pAbandonedOpens(std::make_shared<std::atomic<int>>(0))
{
}


std::unique_ptr<Poco::Data::Session> MySqlConnectionPool::open()
{
	// Shared with the opening thread, which may outlive this call (and this pool).
	struct Attempt
	{
		std::mutex mutex;
		std::condition_variable done;
		bool finished = false;
		bool abandoned = false;
		std::unique_ptr<Poco::Data::Session> pSession;
		std::string error;
	};
	// Opens given up on are still running; while several are, the server is not
	// answering: fail at once rather than start (and strand) more threads.
	if (_pAbandonedOpens->load() >= MAX_ABANDONED_OPENS)
		throw StoreUnavailableException("the database server is not answering (earlier connection attempts still pending)");
	auto pAttempt = std::make_shared<Attempt>();
	std::thread([pAttempt, abandonedOpens = _pAbandonedOpens, connection = _connection, configure = _configure]() {
		std::unique_ptr<Poco::Data::Session> pSession;
		std::string error;
		try
		{
			pSession = std::make_unique<Poco::Data::Session>("MySQL", connection, 5);
			configure(*pSession);
		}
		catch (Poco::Exception& exc)
		{
			error = exc.displayText();
			pSession.reset();
		}
		catch (std::exception& exc)
		{
			error = exc.what();
			pSession.reset();
		}
		bool abandoned;
		{
			std::lock_guard<std::mutex> lock(pAttempt->mutex);
			pAttempt->finished = true;
			abandoned = pAttempt->abandoned;
			if (!abandoned)
			{
				pAttempt->pSession = std::move(pSession);
				pAttempt->error = error;
			}
		}
		pAttempt->done.notify_one();
		if (abandoned) --*abandonedOpens;
	}).detach();

	std::unique_lock<std::mutex> lock(pAttempt->mutex);
	if (!pAttempt->done.wait_for(lock, std::chrono::seconds(_openTimeoutSeconds), [&]() { return pAttempt->finished; }))
	{
		pAttempt->abandoned = true; // the thread closes what it opens, whenever it does
		++*_pAbandonedOpens;
		throw StoreUnavailableException("the database server accepts connections but does not answer");
	}
	if (!pAttempt->pSession) throw StoreUnavailableException("cannot connect to the database: " + pAttempt->error);
	return std::move(pAttempt->pSession);
}


MySqlConnectionPool::~MySqlConnectionPool()
{
	std::lock_guard<std::mutex> lock(_mutex);
	_idle.clear();
}


MySqlConnectionPool::Lease MySqlConnectionPool::acquire()
{
	{
		std::unique_lock<std::mutex> lock(_mutex);
		bool available = _returned.wait_for(lock, std::chrono::seconds(_waitSeconds),
			[&]() { return !_idle.empty() || _open < _capacity; });
		if (!available)
			throw StoreUnavailableException("all " + std::to_string(_capacity) + " database sessions are busy");
		if (!_idle.empty())
		{
			auto pSession = std::move(_idle.back()); // the most recently used: warmest, least likely timed out
			_idle.pop_back();
			return Lease(*this, std::move(pSession));
		}
		++_open;
	}
	// Opened outside the lock: connecting takes a round trip or three. The server down
	// or unreachable: the request gets a 503, not a 500.
	try
	{
		return Lease(*this, open());
	}
	catch (StoreUnavailableException&)
	{
		releaseSlot();
		throw;
	}
	catch (...)
	{
		releaseSlot();
		throw;
	}
}


void MySqlConnectionPool::releaseSlot()
{
	{
		std::lock_guard<std::mutex> lock(_mutex);
		--_open;
	}
	_returned.notify_one();
}


void MySqlConnectionPool::giveBack(std::unique_ptr<Poco::Data::Session> pSession, bool broken)
{
	std::vector<std::unique_ptr<Poco::Data::Session>> dropped;
	{
		std::lock_guard<std::mutex> lock(_mutex);
		if (broken)
		{
			dropped.swap(_idle); // a lost connection means the idle ones are gone too
		}
		// A session left inside a transaction (its rollback failed) is not lent again either.
		if (broken || pSession->isTransaction()) dropped.push_back(std::move(pSession));
		else _idle.push_back(std::move(pSession));
		_open -= dropped.size();
	}
	_returned.notify_all();
	for (auto& p: dropped)
	{
		try
		{
			p->close();
		}
		catch (...)
		{
		}
	}
}


} // namespace XQueue
