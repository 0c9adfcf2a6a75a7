//
// ConnectionServer.cpp
//


#include "http/ConnectionServer.h"
#include <chrono>


namespace XQueue {


namespace
{
	const Poco::Timespan ACCEPT_POLL(0, 250 * 1000); // how soon the acceptor notices stop()

	Micros after(double seconds)
	{
		return Clock::now() + static_cast<Micros>(seconds * MICROS_PER_SECOND);
	}
}


ConnectionServer::ConnectionServer(Poco::Net::ServerSocket& socket, ConnectionGuard& guard, Poco::Net::HTTPServerParams::Ptr pParams,
	Poco::Net::HTTPRequestHandlerFactory::Ptr pFactory, const ConnectionServerOptions& options):
	_socket(socket),
	_guard(guard),
	_pParams(pParams),
	_pFactory(pFactory),
	_options(options),
	_logger(Poco::Logger::get("xqueue.http")),
	_idle([this](std::unique_ptr<ClientConnection> pConnection) { ready(std::move(pConnection)); })
{
}


ConnectionServer::~ConnectionServer()
{
	stop();
}


void ConnectionServer::start()
{
	_stopping = false;
	_idle.start();
	for (int i = 0; i < _options.threads; ++i) _workers.emplace_back([this]() { work(); });
	_acceptor = std::thread([this]() { accept(); });
}


void ConnectionServer::stop()
{
	{
		std::lock_guard<std::mutex> lock(_mutex); // no worker misses the wake-up below
		_stopping = true;
	}
	if (_acceptor.joinable()) _acceptor.join();
	_idle.stop();
	_readyChanged.notify_all();
	for (auto& worker: _workers)
	{
		if (worker.joinable()) worker.join();
	}
	_workers.clear();
	std::lock_guard<std::mutex> lock(_mutex);
	_ready.clear();
}


void ConnectionServer::accept()
{
	while (!_stopping)
	{
		try
		{
			if (!_socket.poll(ACCEPT_POLL, Poco::Net::Socket::SELECT_READ)) continue;
			auto pConnection = std::make_unique<ClientConnection>();
			pConnection->socket = _socket.acceptConnection();
			pConnection->socket.setNoDelay(true);
			pConnection->pAdmission = _guard.admit(pConnection->socket);
			if (!pConnection->pAdmission) continue; // over its address's cap: closed before a byte is read
			park(std::move(pConnection), _guard.limits().headerTimeout);
		}
		catch (Poco::Exception& exc)
		{
			// Out of descriptors, or a connection reset before it was accepted.
			_logger.warning("accepting a connection failed: %s", exc.displayText());
			std::this_thread::sleep_for(std::chrono::milliseconds(10));
		}
	}
}


void ConnectionServer::park(std::unique_ptr<ClientConnection> pConnection, double idleSeconds)
{
	pConnection->idleUntil = after(idleSeconds);
	_idle.add(std::move(pConnection));
}


void ConnectionServer::ready(std::unique_ptr<ClientConnection> pConnection)
{
	{
		std::lock_guard<std::mutex> lock(_mutex);
		if (_stopping) return;
		_ready.push_back(std::move(pConnection));
	}
	_readyChanged.notify_one();
}


std::unique_ptr<ClientConnection> ConnectionServer::nextReady()
{
	std::unique_lock<std::mutex> lock(_mutex);
	_readyChanged.wait(lock, [this]() { return _stopping || !_ready.empty(); });
	if (_ready.empty()) return nullptr;
	auto pConnection = std::move(_ready.front());
	_ready.pop_front();
	return pConnection;
}


void ConnectionServer::work()
{
	auto othersWaiting = [this]() {
		std::lock_guard<std::mutex> lock(_mutex);
		return !_ready.empty();
	};
	while (auto pConnection = nextReady())
	{
		pConnection->pAdmission->bindToThisThread();
		HttpConnection::Outcome outcome = HttpConnection::serve(*pConnection, _pParams, *_pFactory, _options.connection, _stopping, othersWaiting);
		pConnection->pAdmission->unbindFromThisThread();
		if (outcome == HttpConnection::Outcome::IDLE) park(std::move(pConnection), _guard.limits().keepAliveTimeout);
	}
}


} // namespace XQueue
