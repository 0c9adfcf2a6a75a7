//
// MySqlConnectionPool.cpp
//


#include "store/MySqlConnectionPool.h"
#include "store/StoreUnavailableException.h"
#include <chrono>


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


MySqlConnectionPool::MySqlConnectionPool(const std::string& connection, std::size_t capacity, int waitSeconds, Configure configure):
	_connection(connection),
	_capacity(capacity == 0 ? 1 : capacity),
	_waitSeconds(waitSeconds),
	_configure(std::move(configure))
{
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
	// Opened outside the lock: connecting takes a round trip or three.
	try
	{
		auto pSession = std::make_unique<Poco::Data::Session>("MySQL", _connection, 5);
		_configure(*pSession);
		return Lease(*this, std::move(pSession));
	}
	catch (Poco::Exception& exc)
	{
		releaseSlot();
		// The server is down or unreachable: the request gets a 503, not a 500.
		throw StoreUnavailableException("cannot connect to the database: " + exc.displayText());
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
