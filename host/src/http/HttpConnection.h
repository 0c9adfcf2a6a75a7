// SPDX-License-Identifier: Apache-2.0
//
// HttpConnection.h
//
// Serves the requests a client connection has ready, on the calling request thread, the
// way Poco's HTTPServerConnection does (same request/response objects, handler factory,
// 400 for a malformed request, 500 if a handler throws before replying) — but returns as
// soon as the connection goes idle instead of blocking in a keep-alive wait, so that the
// caller can park it (IdleConnections) and take other work.
//


#ifndef XQueue_HttpConnection_INCLUDED
#define XQueue_HttpConnection_INCLUDED


#include "http/ClientConnection.h"
#include "Poco/Net/HTTPRequestHandlerFactory.h"
#include "Poco/Net/HTTPServerParams.h"
#include <atomic>
#include <functional>


namespace XQueue {


class HttpConnection
{
public:
	enum class Outcome
	{
		IDLE,   /// keep-alive, no request pending: park it
		LINGER, /// our side is shut down: drop what the client still sends, then close
		CLOSED  /// closed (client gone, Connection: close, error, server stopping)
	};

	struct Options
	{
		Poco::Timespan readyWait{0, 5000};
			/// How long a thread waits for the next request on a connection before parking
			/// it, when no other connection needs the thread: a client on loopback sends
			/// its next request within this, and is then served without a hand-over.
		std::size_t readAheadBytes = 1024 * 1024;
			/// How much of a request's body is read ahead before a thread takes it (a
			/// larger one is read by the thread as it comes).
		std::size_t lingerBytes = 0;
			/// At most this much of what a client still sends after the final reply is
			/// dropped before closing (so that it reads our reply instead of a reset).
	};

	static Outcome serve(ClientConnection& connection, Poco::Net::HTTPServerParams::Ptr pParams,
		Poco::Net::HTTPRequestHandlerFactory& factory, const Options& options, const std::atomic<bool>& stopping,
		const std::function<bool()>& othersWaiting);
		/// Serves requests while one is ready. A connection that served a request and is
		/// to close lingers (what the client still sends is dropped, up to lingerBytes,
		/// until it closes or pauses for a second): LINGER leaves that to the caller (a
		/// read-ahead socket, its send side shut down), else it is done here and CLOSED.

private:
	static void closeLingering(Poco::Net::StreamSocket& socket, std::size_t maxBytes);
};


} // namespace XQueue


#endif // XQueue_HttpConnection_INCLUDED
