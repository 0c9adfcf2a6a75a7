// SPDX-License-Identifier: Apache-2.0
//
// ConnectionGuard.h
//
// Deadlines and caps for client connections, which Poco's HTTP server does not have:
// its timeouts bound each socket read, so a client sending a byte every few seconds
// (slowloris, slow POST, slow read) holds a request thread for ever. Every connection
// is admitted here (or refused when its address has too many open), and a watchdog
// thread shuts down the socket of one that overstays its current phase:
//   waiting for a request line and headers  header_timeout (+ keep_alive_timeout after a reply)
//   from the end of the headers to the reply request_timeout
// The phase is changed from the connection's own thread (requestStarted/Finished); the
// watching itself is SocketDeadlines'.
//


#ifndef XQueue_ConnectionGuard_INCLUDED
#define XQueue_ConnectionGuard_INCLUDED


#include "util/Clock.h"
#include "util/SocketDeadlines.h"
#include "Poco/Net/StreamSocket.h"
#include <map>
#include <memory>
#include <mutex>
#include <string>


namespace XQueue {


struct ConnectionLimits
{
	double headerTimeout = 10.0;    /// seconds for a request line and headers
	double requestTimeout = 120.0;  /// seconds from the headers to the end of the reply
	double keepAliveTimeout = 15.0; /// idle seconds between two requests
	int maxPerAddress = 0;          /// simultaneous connections per client address; 0 = no cap
};


class ConnectionGuard
{
public:
	class Admission;

	explicit ConnectionGuard(const ConnectionLimits& limits);
	~ConnectionGuard();

	std::unique_ptr<Admission> admit(const Poco::Net::StreamSocket& socket);
		/// The connection's admission (its deadline set for the first request's headers),
		/// or null when its address already has maxPerAddress connections. Destroying
		/// the admission ends the watch.

	static void requestStarted();
		/// The headers of a request arrived on the connection bound to this thread (unless
		/// its admission was told so already: request_timeout counts from the headers).

	static void requestFinished();
		/// Its reply was written; the next request's headers may take the keep-alive
		/// time plus header_timeout.

	const ConnectionLimits& limits() const;

	void start();
	void stop();

private:
	struct Watch
	{
		SocketDeadlines::Id id = 0;
		std::string address;
		bool requestOpen = false; /// its headers arrived, its reply is not written yet
	};

	void setDeadline(const Watch& watch, Micros deadline);
	void release(const Watch& watch);

	ConnectionLimits _limits;
	SocketDeadlines _deadlines;
	std::mutex _mutex; /// guards _perAddress
	std::map<std::string, int> _perAddress;

	friend class Admission;
};


class ConnectionGuard::Admission
{
public:
	~Admission();

	void bindToThisThread();
		/// This thread serves the connection now: requestStarted/Finished apply to it.

	void unbindFromThisThread();

	void headersArrived();
		/// As requestStarted, for a connection whose request is read ahead off any thread.

private:
	Admission(ConnectionGuard& guard, Watch watch);

	ConnectionGuard& _guard;
	Watch _watch;

	friend class ConnectionGuard;
};


} // namespace XQueue


#endif // XQueue_ConnectionGuard_INCLUDED
