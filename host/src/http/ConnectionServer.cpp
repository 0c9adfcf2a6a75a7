// SPDX-License-Identifier: Apache-2.0
//
// ConnectionServer.cpp
//


#include "http/ConnectionServer.h"
#include "http/RequestCompleteness.h"
#include "Poco/Net/NetException.h"
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <sys/socket.h>


namespace XQueue {


namespace
{
	const Poco::Timespan ACCEPT_POLL(0, 250 * 1000); // how soon the acceptor notices stop()

	// Lingering close (Apache's): what a client still sends after our last reply is dropped
	// until it pauses this long, or for at most LINGER_MAX.
	constexpr double LINGER_PAUSE = 1.0;
	constexpr double LINGER_MAX = 10.0;

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
	_idle([this](std::unique_ptr<ClientConnection> pConnection) { readable(std::move(pConnection)); })
{
}


ConnectionServer::~ConnectionServer()
{
	stop();
}


void ConnectionServer::start()
{
	_stopping = false;
	// Accepted without waiting (acceptOne): a connection gone between poll and accept
	// must not block the acceptor until the next one comes.
	if (!_socket.secure()) _socket.setBlocking(false);
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
	_streamed.clear();
}


void ConnectionServer::accept()
{
	while (!_stopping)
	{
		try
		{
			if (!_socket.poll(ACCEPT_POLL, Poco::Net::Socket::SELECT_READ)) continue;
			Poco::Net::StreamSocket socket = acceptOne();
			if (!socket.impl()->initialized()) continue;
			auto pConnection = std::make_unique<ClientConnection>();
			pConnection->socket = socket;
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


Poco::Net::StreamSocket ConnectionServer::acceptOne()
{
	if (_socket.secure()) return _socket.acceptConnection();
	poco_socket_t fd = ::accept4(_socket.impl()->sockfd(), nullptr, nullptr, SOCK_CLOEXEC);
	if (fd < 0)
	{
		if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR || errno == ECONNABORTED) return Poco::Net::StreamSocket();
		throw Poco::Net::NetException("accept", std::strerror(errno));
	}
	return Poco::Net::StreamSocket(new ReadAheadSocketImpl(fd));
}


void ConnectionServer::readable(std::unique_ptr<ClientConnection> pConnection)
{
	auto* pReadAhead = dynamic_cast<ReadAheadSocketImpl*>(pConnection->socket.impl());
	if (!pReadAhead) enqueue(std::move(pConnection), false);
	else if (pConnection->lingerUntil != 0) dropLingering(std::move(pConnection), *pReadAhead);
	else readAhead(std::move(pConnection), *pReadAhead);
}


void ConnectionServer::linger(std::unique_ptr<ClientConnection> pConnection)
{
	pConnection->lingerUntil = after(LINGER_MAX);
	pConnection->lingerLeft = _options.connection.lingerBytes;
	pConnection->idleUntil = after(LINGER_PAUSE);
	_idle.add(std::move(pConnection));
}


void ConnectionServer::dropLingering(std::unique_ptr<ClientConnection> pConnection, ReadAheadSocketImpl& socket)
{
	if (socket.discardAvailable(pConnection->lingerLeft) == ReadAheadSocketImpl::ReadResult::PEER_CLOSED) return; // closed
	if (Clock::now() >= pConnection->lingerUntil) return;
	pConnection->idleUntil = std::min(after(LINGER_PAUSE), pConnection->lingerUntil);
	_idle.add(std::move(pConnection));
}


void ConnectionServer::park(std::unique_ptr<ClientConnection> pConnection, double idleSeconds)
{
	pConnection->idleUntil = after(idleSeconds);
	pConnection->requestBegun = false;
	pConnection->headersRead = false;
	// What a client pipelined behind its last request may be read ahead already: it
	// would never make the socket readable again. (Anything unread does: epoll says so.)
	auto* pReadAhead = dynamic_cast<ReadAheadSocketImpl*>(pConnection->socket.impl());
	if (pReadAhead && !pReadAhead->buffered().empty()) readAhead(std::move(pConnection), *pReadAhead);
	else _idle.add(std::move(pConnection));
}


void ConnectionServer::readAhead(std::unique_ptr<ClientConnection> pConnection, ReadAheadSocketImpl& socket)
{
	const std::size_t bodyBytes = _options.connection.readAheadBytes;
	ReadAheadSocketImpl::ReadResult read = socket.readAvailable(RequestCompleteness::MAX_HEAD_BYTES + bodyBytes);
	RequestCompleteness::Assessment assessment = RequestCompleteness::assess(socket.buffered(), bodyBytes);
	if (read == ReadAheadSocketImpl::ReadResult::PEER_CLOSED && assessment.verdict == RequestCompleteness::Verdict::INCOMPLETE)
	{
		if (socket.buffered().empty()) return; // the client closed between requests: closed here too
		assessment.verdict = RequestCompleteness::Verdict::COMPLETE; // what came is answered (400)
	}
	// The request's deadlines count from its first byte and from its headers, however
	// often the client wakes us with another byte.
	if (!socket.buffered().empty() && !pConnection->requestBegun)
	{
		pConnection->requestBegun = true;
		pConnection->idleUntil = after(_guard.limits().headerTimeout);
	}
	if (assessment.headComplete && !pConnection->headersRead)
	{
		pConnection->headersRead = true;
		pConnection->idleUntil = after(_guard.limits().requestTimeout);
		pConnection->pAdmission->headersArrived();
	}
	switch (assessment.verdict)
	{
	case RequestCompleteness::Verdict::INCOMPLETE:
		_idle.add(std::move(pConnection));
		break;
	case RequestCompleteness::Verdict::COMPLETE:
		enqueue(std::move(pConnection), false);
		break;
	case RequestCompleteness::Verdict::STREAMED:
		enqueue(std::move(pConnection), true);
		break;
	}
}


void ConnectionServer::enqueue(std::unique_ptr<ClientConnection> pConnection, bool streamed)
{
	{
		std::lock_guard<std::mutex> lock(_mutex);
		if (_stopping) return;
		(streamed ? _streamed : _ready).push_back(std::move(pConnection));
	}
	// One: any waiting thread takes a request; a streamed body that none may take yet
	// (all streaming places in use) waits for turnEnded's wake-up.
	_readyChanged.notify_one();
}


ConnectionServer::Turn ConnectionServer::nextTurn()
{
	std::unique_lock<std::mutex> lock(_mutex);
	auto mayStream = [this]() { return !_streamed.empty() && _streaming < std::max(1, _options.streamingThreads); };
	_readyChanged.wait(lock, [&]() { return _stopping || !_ready.empty() || mayStream(); });
	Turn turn;
	if (!_ready.empty())
	{
		turn.pConnection = std::move(_ready.front());
		_ready.pop_front();
	}
	else if (mayStream())
	{
		turn.pConnection = std::move(_streamed.front());
		_streamed.pop_front();
		turn.streamed = true;
		++_streaming;
	}
	return turn;
}


void ConnectionServer::turnEnded(const Turn& turn)
{
	if (!turn.streamed) return;
	{
		std::lock_guard<std::mutex> lock(_mutex);
		--_streaming;
	}
	_readyChanged.notify_all();
}


void ConnectionServer::work()
{
	auto othersWaiting = [this]() {
		std::lock_guard<std::mutex> lock(_mutex);
		return !_ready.empty() || !_streamed.empty();
	};
	while (true)
	{
		Turn turn = nextTurn();
		if (!turn.pConnection) break;
		turn.pConnection->pAdmission->bindToThisThread();
		HttpConnection::Outcome outcome = HttpConnection::serve(*turn.pConnection, _pParams, *_pFactory, _options.connection, _stopping, othersWaiting);
		turn.pConnection->pAdmission->unbindFromThisThread();
		turnEnded(turn);
		if (outcome == HttpConnection::Outcome::IDLE) park(std::move(turn.pConnection), _guard.limits().keepAliveTimeout);
		else if (outcome == HttpConnection::Outcome::LINGER) linger(std::move(turn.pConnection));
	}
}


} // namespace XQueue
