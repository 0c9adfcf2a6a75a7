//
// ConnectionServer.h
//
// The HTTP front end's connection handling, in place of Poco's TCPServer: an acceptor
// thread admits each connection (ConnectionGuard) and parks it in IdleConnections; a
// connection with a request ready is queued for the request threads, which serve what it
// has (HttpConnection) and park it again. So a request thread is held only while a
// request is being read or answered, never by an idle keep-alive connection: any number
// of idle connections (up to the descriptor limit) cost no thread and delay nobody.
//


#ifndef XQueue_ConnectionServer_INCLUDED
#define XQueue_ConnectionServer_INCLUDED


#include "http/ClientConnection.h"
#include "http/ConnectionGuard.h"
#include "http/HttpConnection.h"
#include "http/IdleConnections.h"
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
	void accept();
	void work();
	void ready(std::unique_ptr<ClientConnection> pConnection);
	void park(std::unique_ptr<ClientConnection> pConnection, double idleSeconds);
	std::unique_ptr<ClientConnection> nextReady();

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
	std::deque<std::unique_ptr<ClientConnection>> _ready;
	std::thread _acceptor;
	std::vector<std::thread> _workers;
};


} // namespace XQueue


#endif // XQueue_ConnectionServer_INCLUDED
