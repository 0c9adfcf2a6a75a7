// SPDX-License-Identifier: Apache-2.0
//
// LmsConnections.cpp
//


#include "delivery/LmsConnections.h"
#include "util/Origin.h"
#include <vector>


namespace XQueue {


LmsConnections::LmsConnections(const OutboundConnector& connector, Micros maxIdle, std::size_t maxPerOrigin):
	_connector(connector),
	_maxIdle(maxIdle),
	_maxPerOrigin(maxPerOrigin)
{
}


LmsConnections::Connection LmsConnections::take(const Poco::URI& uri)
{
	if (keeping())
	{
		const std::string origin = Origin::of(uri);
		const Micros now = Clock::now();
		std::vector<std::unique_ptr<Poco::Net::HTTPClientSession>> expired; // closed after the lock
		std::lock_guard<std::mutex> lock(_mutex);
		auto found = _idle.find(origin);
		while (found != _idle.end() && !found->second.empty())
		{
			Idle idle = std::move(found->second.back());
			found->second.pop_back();
			if (now - idle.since <= _maxIdle) return Connection{std::move(idle.session), true};
			expired.push_back(std::move(idle.session));
		}
	}
	Connection fresh{_connector.connect(uri), false};
	// Poco would reconnect a session idle past its own keep-alive timeout on its own,
	// bypassing the connector; this pool retires connections long before.
	fresh.session->setKeepAliveTimeout(Poco::Timespan(3600, 0));
	fresh.session->setKeepAlive(keeping());
	return fresh;
}


void LmsConnections::keep(const Poco::URI& uri, std::unique_ptr<Poco::Net::HTTPClientSession> session)
{
	if (!keeping() || !session) return;
	std::unique_ptr<Poco::Net::HTTPClientSession> surplus;
	std::lock_guard<std::mutex> lock(_mutex);
	std::deque<Idle>& idle = _idle[Origin::of(uri)];
	idle.push_back(Idle{std::move(session), Clock::now()});
	if (idle.size() > _maxPerOrigin)
	{
		surplus = std::move(idle.front().session); // the least recently used goes
		idle.pop_front();
	}
}


void LmsConnections::closeIdle()
{
	if (!keeping()) return;
	std::vector<std::unique_ptr<Poco::Net::HTTPClientSession>> expired;
	const Micros now = Clock::now();
	std::lock_guard<std::mutex> lock(_mutex);
	for (auto it = _idle.begin(); it != _idle.end(); )
	{
		std::deque<Idle>& idle = it->second;
		while (!idle.empty() && now - idle.front().since > _maxIdle)
		{
			expired.push_back(std::move(idle.front().session));
			idle.pop_front();
		}
		it = idle.empty() ? _idle.erase(it) : std::next(it);
	}
}


std::size_t LmsConnections::idle() const
{
	std::lock_guard<std::mutex> lock(_mutex);
	std::size_t count = 0;
	for (const auto& [origin, idle]: _idle) count += idle.size();
	return count;
}


bool LmsConnections::keeping() const
{
	return _maxIdle > 0 && _maxPerOrigin > 0;
}


} // namespace XQueue
