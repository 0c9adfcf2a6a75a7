// SPDX-License-Identifier: Apache-2.0
//
// IdleConnections.cpp
//


#include "http/IdleConnections.h"
#include "metrics/Metrics.h"
#include "Poco/Net/SocketImpl.h"
#include <vector>


namespace XQueue {


namespace
{
	const Poco::Timespan POLL_TIMEOUT(0, 200 * 1000); // also how often expiry is checked
}


IdleConnections::IdleConnections(Handler onReadable):
	_onReadable(std::move(onReadable))
{
}


IdleConnections::~IdleConnections()
{
	stop();
}


void IdleConnections::start()
{
	std::lock_guard<std::mutex> lock(_mutex);
	_stopping = false;
	_thread = std::thread([this]() { run(); });
}


void IdleConnections::stop()
{
	{
		std::lock_guard<std::mutex> lock(_mutex);
		_stopping = true;
	}
	_added.notify_all();
	if (_thread.joinable()) _thread.join();
	std::lock_guard<std::mutex> lock(_mutex);
	_pollSet.clear();
	_connections.clear();
}


void IdleConnections::add(std::unique_ptr<ClientConnection> pConnection)
{
	Poco::Net::StreamSocket socket = pConnection->socket;
	{
		std::lock_guard<std::mutex> lock(_mutex);
		if (_stopping) return; // closed by the destructor
		// Registered before it is polled, so that the poller finds it when it is ready.
		_connections.emplace(socket.impl(), std::move(pConnection));
		try
		{
			_pollSet.add(socket, Poco::Net::PollSet::POLL_READ | Poco::Net::PollSet::POLL_ERROR);
		}
		catch (Poco::Exception&)
		{
			_connections.erase(socket.impl()); // already closed by the client
			return;
		}
	}
	_added.notify_one();
}


void IdleConnections::run()
{
	Micros nextExpiryCheck = 0;
	while (true)
	{
		{
			std::unique_lock<std::mutex> lock(_mutex);
			// Poco's PollSet returns at once when empty: sleep here instead.
			_added.wait(lock, [this]() { return _stopping || !_connections.empty(); });
			if (_stopping) return;
		}
		Poco::Net::PollSet::SocketModeMap ready;
		try
		{
			ready = _pollSet.poll(POLL_TIMEOUT);
		}
		catch (Poco::Exception&)
		{
			continue;
		}
		std::vector<std::unique_ptr<ClientConnection>> readable;
		{
			std::lock_guard<std::mutex> lock(_mutex);
			for (const auto& entry: ready)
			{
				auto it = _connections.find(entry.first.impl());
				if (it == _connections.end()) continue;
				try
				{
					_pollSet.remove(entry.first);
				}
				catch (Poco::Exception&)
				{
				}
				readable.push_back(std::move(it->second));
				_connections.erase(it);
			}
		}
		for (auto& pConnection: readable) _onReadable(std::move(pConnection));
		Micros now = Clock::now();
		if (now >= nextExpiryCheck)
		{
			closeExpired(now);
			nextExpiryCheck = now + POLL_TIMEOUT.totalMicroseconds();
		}
	}
}


void IdleConnections::closeExpired(Micros now)
{
	std::vector<std::unique_ptr<ClientConnection>> expired;
	{
		std::lock_guard<std::mutex> lock(_mutex);
		for (auto it = _connections.begin(); it != _connections.end(); )
		{
			if (it->second->idleUntil > now)
			{
				++it;
				continue;
			}
			try
			{
				_pollSet.remove(it->second->socket);
			}
			catch (Poco::Exception&)
			{
			}
			expired.push_back(std::move(it->second));
			it = _connections.erase(it);
		}
	}
	// One that had begun a request was too slow sending it; the others were idle (or
	// done lingering after their last reply: not counted, the server chose to close).
	std::size_t slow = 0;
	std::size_t idle = 0;
	for (const auto& pConnection: expired)
	{
		if (pConnection->lingerUntil != 0) continue;
		++(pConnection->requestBegun ? slow : idle);
	}
	if (slow > 0) Metrics::instance().add("xqueue_connections_closed_total", {{"reason", "deadline"}}, static_cast<double>(slow));
	if (idle > 0) Metrics::instance().add("xqueue_connections_closed_total", {{"reason", "idle"}}, static_cast<double>(idle));
	// Destroying them closes them, outside the lock.
}


} // namespace XQueue
