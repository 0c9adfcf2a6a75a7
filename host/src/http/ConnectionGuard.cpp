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

	// The connection served by this thread: Poco runs a connection's requests on it.
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
	auto pWatch = std::make_unique<Watch>();
	pWatch->address = address;
	std::lock_guard<std::mutex> lock(_mutex);
	int& count = _perAddress[address];
	if (_limits.maxPerAddress > 0 && count >= _limits.maxPerAddress)
	{
		if (count == 0) _perAddress.erase(address);
		Metrics::instance().add("xqueue_connections_closed_total", {{"reason", "per_address_cap"}});
		return nullptr;
	}
	pWatch->id = _deadlines.add(socket.impl()->sockfd(), after(_limits.headerTimeout));
	if (pWatch->id == 0)
	{
		if (count == 0) _perAddress.erase(address);
		return nullptr;
	}
	++count;
	Watch* pRaw = pWatch.get();
	_watches.emplace(pRaw, std::move(pWatch));
	t_current = Current{this, pRaw};
	return std::unique_ptr<Admission>(new Admission(*this, pRaw));
}


void ConnectionGuard::requestStarted()
{
	if (!t_current.pGuard) return;
	ConnectionGuard& guard = *t_current.pGuard;
	guard.setDeadline(*static_cast<Watch*>(t_current.pWatch), after(guard._limits.requestTimeout));
}


void ConnectionGuard::requestFinished()
{
	if (!t_current.pGuard) return;
	ConnectionGuard& guard = *t_current.pGuard;
	guard.setDeadline(*static_cast<Watch*>(t_current.pWatch), after(guard._limits.keepAliveTimeout + guard._limits.headerTimeout));
}


void ConnectionGuard::setDeadline(const Watch& watch, Micros deadline)
{
	_deadlines.set(watch.id, deadline);
}


void ConnectionGuard::release(Watch* pWatch)
{
	std::lock_guard<std::mutex> lock(_mutex);
	auto it = _watches.find(pWatch);
	if (it == _watches.end()) return;
	_deadlines.remove(pWatch->id);
	auto count = _perAddress.find(pWatch->address);
	if (count != _perAddress.end() && --count->second <= 0) _perAddress.erase(count);
	_watches.erase(it);
	if (t_current.pWatch == pWatch) t_current = Current{};
}


ConnectionGuard::Admission::Admission(ConnectionGuard& guard, Watch* pWatch):
	_guard(guard),
	_pWatch(pWatch)
{
}


ConnectionGuard::Admission::~Admission()
{
	_guard.release(_pWatch);
}


} // namespace XQueue
