// SPDX-License-Identifier: Apache-2.0
//
// IdleConnections.h
//
// Connections waiting for their next request (new ones, and keep-alive ones after a
// reply), watched by one thread with a Poco PollSet (epoll) instead of each holding a
// request thread: the LMS opens a fresh connection per submission and never closes it,
// and pull graders keep theirs open between polls, so idle connections far outnumber
// threads. A connection that becomes readable (a request, or the client closing) is
// handed to onReadable; one idle past its idleUntil is closed.
//


#ifndef XQueue_IdleConnections_INCLUDED
#define XQueue_IdleConnections_INCLUDED


#include "http/ClientConnection.h"
#include "Poco/Net/PollSet.h"
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>


namespace XQueue {


class IdleConnections
{
public:
	using Handler = std::function<void(std::unique_ptr<ClientConnection>)>;

	explicit IdleConnections(Handler onReadable);
	~IdleConnections();

	void start();
	void stop();
		/// Closes every connection still idle.

	void add(std::unique_ptr<ClientConnection> pConnection);
		/// Watches the connection until it is readable (then handed on) or idle too long.

private:
	void run();
	void closeExpired(Micros now);

	Handler _onReadable;
	Poco::Net::PollSet _pollSet;
	std::mutex _mutex;
	std::condition_variable _added;
	std::unordered_map<Poco::Net::SocketImpl*, std::unique_ptr<ClientConnection>> _connections;
	std::thread _thread;
	bool _stopping = false;
};


} // namespace XQueue


#endif // XQueue_IdleConnections_INCLUDED
