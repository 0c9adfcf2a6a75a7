// SPDX-License-Identifier: Apache-2.0
//
// LmsConnections.h
//
// Connections to LMS hosts kept open between deliveries: every grade goes to the same few
// origins, and a new connection each time cost a TCP handshake (7 % of the server's CPU
// under pull load) and, over https, a TLS handshake on both sides.
//


#ifndef XQueue_LmsConnections_INCLUDED
#define XQueue_LmsConnections_INCLUDED


#include "delivery/OutboundConnector.h"
#include "util/Clock.h"
#include "Poco/Net/HTTPClientSession.h"
#include "Poco/URI.h"
#include <cstddef>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>


namespace XQueue {


class LmsConnections
	/// Idle connections by origin (scheme://host:port), each made by the OutboundConnector
	/// (so to an address vetted when it was opened). A connection is kept only after an
	/// exchange that ended cleanly with a keep-alive answer, for at most `maxIdle` (short:
	/// below the keep-alive of common LMS front ends, gunicorn's 2 s, so that the LMS rarely
	/// closes one first) and at most `maxPerOrigin` per origin; closeIdle() closes the ones
	/// past it. One the LMS closed anyway is noticed by the exchange, which then retries on
	/// a new connection (LmsClient). maxIdle 0 keeps nothing. Thread-safe.
{
public:
	struct Connection
	{
		std::unique_ptr<Poco::Net::HTTPClientSession> session;
		bool reused = false; /// taken from the idle ones: it may have been closed by the LMS
	};

	LmsConnections(const OutboundConnector& connector, Micros maxIdle, std::size_t maxPerOrigin);

	Connection take(const Poco::URI& uri);
		/// An idle connection to the URL's origin, else a new one (OutboundConnector::connect,
		/// whose exceptions pass through).

	void keep(const Poco::URI& uri, std::unique_ptr<Poco::Net::HTTPClientSession> session);
		/// After a clean exchange: kept for the next delivery to the same origin (or closed,
		/// when keeping is off or the origin has its share).

	void closeIdle();
		/// Closes the connections idle for longer than maxIdle.

	std::size_t idle() const;

	bool keeping() const;

private:
	struct Idle
	{
		std::unique_ptr<Poco::Net::HTTPClientSession> session;
		Micros since = 0;
	};

	const OutboundConnector& _connector;
	Micros _maxIdle;
	std::size_t _maxPerOrigin;
	mutable std::mutex _mutex;
	std::map<std::string, std::deque<Idle>> _idle; /// most recently used at the back
};


} // namespace XQueue


#endif // XQueue_LmsConnections_INCLUDED
