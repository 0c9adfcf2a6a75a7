// SPDX-License-Identifier: Apache-2.0
//
// ConnectionServer.h
//
// The HTTP front end's connection handling, in place of Poco's TCPServer: an acceptor
// thread admits each connection (ConnectionGuard) and parks it in IdleConnections; what a
// client sends is read ahead there, without waiting, and a connection is queued for the
// request threads only once its request is all there (RequestCompleteness); the thread
// serves it (HttpConnection) and parks the connection again. So a request thread is held
// only while a request is answered, never by an idle keep-alive connection nor by a
// client dripping its headers or body: any number of those cost no thread and delay
// nobody. Bodies larger than the read-ahead are read by a thread as they come, on at most
// streamingThreads threads at once. (TLS connections are read by their thread, as Poco
// does; the TLS layer cannot be read ahead here.)
//


#ifndef XQueue_ConnectionServer_INCLUDED
#define XQueue_ConnectionServer_INCLUDED


#include "http/ClientConnection.h"
#include "http/ConnectionGuard.h"
#include "http/HttpConnection.h"
#include "http/IdleConnections.h"
#include "http/ReadAheadSocketImpl.h"
#include "Poco/Logger.h"
#include "Poco/Net/HTTPRequestHandlerFactory.h"
#include "Poco/Net/HTTPServerParams.h"
#include "Poco/Net/ServerSocket.h"
#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>


namespace XQueue {


struct ConnectionServerOptions
{
	int threads = 16;                /// request threads
	int streamingThreads = 8;        /// of which at most this many (at least 1) read bodies as they come
	HttpConnection::Options connection;
		/// How long a connection may wait for a request is the guard's (header_timeout
		/// for a new one, keep_alive_timeout between requests).
};


class ConnectionServer
{
public:
	ConnectionServer(Poco::Net::ServerSocket& socket, ConnectionGuard& guard, Poco::Net::HTTPServerParams::Ptr pParams,
		Poco::Net::HTTPRequestHandlerFactory::Ptr pFactory, const ConnectionServerOptions& options);
	~ConnectionServer();

	void start();
	void stop();
		/// Stops accepting, closes idle connections, lets requests in progress finish
		/// (their connections then close) and joins every thread.

private:
	struct Turn
	{
		std::unique_ptr<ClientConnection> pConnection;
		bool streamed = false; /// its body is read as it comes
	};

	void accept();
	Poco::Net::StreamSocket acceptOne();
	void work();
	void readable(std::unique_ptr<ClientConnection> pConnection);
	void park(std::unique_ptr<ClientConnection> pConnection, double idleSeconds);
	void readAhead(std::unique_ptr<ClientConnection> pConnection, ReadAheadSocketImpl& socket);
	void linger(std::unique_ptr<ClientConnection> pConnection);
	void dropLingering(std::unique_ptr<ClientConnection> pConnection, ReadAheadSocketImpl& socket);
	void enqueue(std::unique_ptr<ClientConnection> pConnection, bool streamed);
	Turn nextTurn();
	void turnEnded(const Turn& turn);

	Poco::Net::ServerSocket& _socket;
	ConnectionGuard& _guard;
	Poco::Net::HTTPServerParams::Ptr _pParams;
	Poco::Net::HTTPRequestHandlerFactory::Ptr _pFactory;
	ConnectionServerOptions _options;
	Poco::Logger& _logger;
	IdleConnections _idle;
	std::atomic<bool> _stopping{false};
	std::mutex _mutex;
	std::condition_variable _readyChanged;
	std::deque<std::unique_ptr<ClientConnection>> _ready;    /// requests all read ahead
	std::deque<std::unique_ptr<ClientConnection>> _streamed; /// bodies to read as they come
	int _streaming = 0;                                      /// threads reading such a body
	std::thread _acceptor;
	std::vector<std::thread> _workers;
};


} // namespace XQueue


#endif // XQueue_ConnectionServer_INCLUDED
