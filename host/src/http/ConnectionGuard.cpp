// SPDX-License-Identifier: Apache-2.0
//
// ConnectionGuard.cpp
//


#include "http/ConnectionGuard.h"
#include "metrics/Metrics.h"
#include "Poco/Net/SocketImpl.h"


namespace XQueue {


namespace
{
	struct Current
	{
		ConnectionGuard* pGuard = nullptr;
		void* pWatch = nullptr;
	};

	// The connection this thread serves (ConnectionServer binds it for each turn).
	thread_local Current t_current;

	Micros after(double seconds)
	{
		return Clock::now() + static_cast<Micros>(seconds * MICROS_PER_SECOND);
	}
}


ConnectionGuard::ConnectionGuard(const ConnectionLimits& limits):
	_limits(limits),
	_deadlines([]() { Metrics::instance().add("xqueue_connections_closed_total", {{"reason", "deadline"}}); })
{
}


ConnectionGuard::~ConnectionGuard()
{
	stop();
}


const ConnectionLimits& ConnectionGuard::limits() const
{
	return _limits;
}


void ConnectionGuard::start()
{
	_deadlines.start();
}


void ConnectionGuard::stop()
{
	_deadlines.stop();
}


std::unique_ptr<ConnectionGuard::Admission> ConnectionGuard::admit(const Poco::Net::StreamSocket& socket)
{
	std::string address;
	try
	{
		address = socket.peerAddress().host().toString();
	}
	catch (Poco::Exception&)
	{
		return nullptr; // the client is already gone
	}
	std::lock_guard<std::mutex> lock(_mutex);
	int& count = _perAddress[address];
	if (_limits.maxPerAddress > 0 && count >= _limits.maxPerAddress)
	{
		if (count == 0) _perAddress.erase(address);
		Metrics::instance().add("xqueue_connections_closed_total", {{"reason", "per_address_cap"}});
		return nullptr;
	}
	SocketDeadlines::Id id = _deadlines.add(socket.impl()->sockfd(), after(_limits.headerTimeout));
	if (id == 0)
	{
		if (count == 0) _perAddress.erase(address);
		return nullptr;
	}
	++count;
	return std::unique_ptr<Admission>(new Admission(*this, Watch{id, address}));
}


void ConnectionGuard::requestStarted()
{
	if (!t_current.pGuard) return;
	ConnectionGuard& guard = *t_current.pGuard;
	Watch& watch = *static_cast<Watch*>(t_current.pWatch);
	if (watch.requestOpen) return;
	watch.requestOpen = true;
	guard.setDeadline(watch, after(guard._limits.requestTimeout));
}


void ConnectionGuard::requestFinished()
{
	if (!t_current.pGuard) return;
	ConnectionGuard& guard = *t_current.pGuard;
	Watch& watch = *static_cast<Watch*>(t_current.pWatch);
	watch.requestOpen = false;
	guard.setDeadline(watch, after(guard._limits.keepAliveTimeout + guard._limits.headerTimeout));
}


void ConnectionGuard::setDeadline(const Watch& watch, Micros deadline)
{
	_deadlines.set(watch.id, deadline);
}


void ConnectionGuard::release(const Watch& watch)
{
	_deadlines.remove(watch.id);
	{
		std::lock_guard<std::mutex> lock(_mutex);
		auto count = _perAddress.find(watch.address);
		if (count != _perAddress.end() && --count->second <= 0) _perAddress.erase(count);
	}
	if (t_current.pWatch == &watch) t_current = Current{};
}


ConnectionGuard::Admission::Admission(ConnectionGuard& guard, Watch watch):
	_guard(guard),
	_watch(std::move(watch))
{
}


ConnectionGuard::Admission::~Admission()
{
	_guard.release(_watch);
}


void ConnectionGuard::Admission::bindToThisThread()
{
	t_current = Current{&_guard, &_watch};
}


void ConnectionGuard::Admission::unbindFromThisThread()
{
	if (t_current.pWatch == &_watch) t_current = Current{};
}


void ConnectionGuard::Admission::headersArrived()
{
	if (_watch.requestOpen) return;
	_watch.requestOpen = true;
	_guard.setDeadline(_watch, after(_guard._limits.requestTimeout));
}


} // namespace XQueue
