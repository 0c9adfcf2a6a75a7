// SPDX-License-Identifier: Apache-2.0
//
// HttpConnection.cpp
//


#include "http/HttpConnection.h"
#include "http/MessageFraming.h"
#include "http/ReadAheadSocketImpl.h"
#include "http/RequestCompleteness.h"
#include "Poco/Net/HTTPRequestHandler.h"
#include "Poco/Net/HTTPServerRequestImpl.h"
#include "Poco/Net/HTTPServerResponseImpl.h"
#include "Poco/Net/HTTPServerSession.h"
#include "Poco/Net/NetException.h"
#include "Poco/Timestamp.h"
#include <algorithm>
#include <memory>
#include <string>


namespace XQueue {


namespace
{
	// Poco's server session, with what it has buffered (read from the socket, not yet
	// parsed) visible: a connection with buffered bytes has its next request already.
	class BufferedServerSession: public Poco::Net::HTTPServerSession
	{
	public:
		using HTTPServerSession::HTTPServerSession;

		bool hasBufferedInput() const
		{
			return buffered() > 0;
		}

		// What Poco read ahead of the request it parsed goes back to the socket, where the
		// next request is assessed (RequestCompleteness) before it is served.
		void returnBufferedInput(ReadAheadSocketImpl& socket)
		{
			std::string leftover;
			char chunk[4096];
			while (int n = std::min(buffered(), static_cast<int>(sizeof(chunk))))
			{
				leftover.append(chunk, static_cast<std::size_t>(read(chunk, n)));
			}
			socket.unread(leftover);
		}
	};

	// Whether the connection's next request is all there, read ahead for up to wait.
	bool nextRequestComplete(ReadAheadSocketImpl& socket, std::size_t readAheadBytes, Poco::Timespan wait)
	{
		Poco::Timestamp started;
		// Nothing read ahead yet: wait for the first bytes before reading.
		if (socket.buffered().empty() && !socket.Poco::Net::StreamSocketImpl::poll(wait, Poco::Net::SocketImpl::SELECT_READ)) return false;
		while (true)
		{
			if (socket.readAvailable(RequestCompleteness::MAX_HEAD_BYTES + readAheadBytes) == ReadAheadSocketImpl::ReadResult::PEER_CLOSED) return false;
			RequestCompleteness::Verdict verdict = RequestCompleteness::assess(socket.buffered(), readAheadBytes).verdict;
			if (verdict != RequestCompleteness::Verdict::INCOMPLETE) return verdict == RequestCompleteness::Verdict::COMPLETE;
			Poco::Timespan left = wait - Poco::Timespan(started.elapsed());
			// The socket's own poll: its override answers "readable" while bytes are held.
			if (left <= 0 || !socket.Poco::Net::StreamSocketImpl::poll(left, Poco::Net::SocketImpl::SELECT_READ)) return false;
		}
	}

	void sendError(Poco::Net::HTTPServerSession& session, Poco::Net::HTTPResponse::HTTPStatus status)
	{
		Poco::Net::HTTPServerResponseImpl response(session);
		response.setVersion(Poco::Net::HTTPMessage::HTTP_1_1);
		response.setStatusAndReason(status);
		response.setKeepAlive(false);
		response.send();
		session.setKeepAlive(false);
	}

	// One request: true if the connection may serve another.
	bool serveOne(BufferedServerSession& session, Poco::Net::HTTPServerParams::Ptr pParams, Poco::Net::HTTPRequestHandlerFactory& factory)
	{
		try
		{
			Poco::Net::HTTPServerResponseImpl response(session);
			Poco::Net::HTTPServerRequestImpl request(response, session, pParams);
			response.setDate(Poco::Timestamp());
			response.setVersion(Poco::Net::HTTPMessage::HTTP_1_1); // ours, never the client's text echoed
			response.setKeepAlive(pParams->getKeepAlive() && request.getKeepAlive() && session.canKeepAlive());
			if (!pParams->getSoftwareVersion().empty()) response.set("Server", pParams->getSoftwareVersion());
			if (MessageFraming::problem(request))
			{
				// Nothing after such a request can be trusted to be a request: closed.
				response.setKeepAlive(false);
				response.setStatusAndReason(Poco::Net::HTTPResponse::HTTP_BAD_REQUEST);
				response.setContentLength(0);
				response.send();
				session.setKeepAlive(false);
				return false;
			}
			// Poco takes a malformed chunk size for the end of the body and would parse what
			// follows as the next request: after a chunked body the connection closes.
			if (request.getChunkedTransferEncoding()) response.setKeepAlive(false);
			try
			{
				std::unique_ptr<Poco::Net::HTTPRequestHandler> pHandler(factory.createRequestHandler(request));
				if (request.getExpectContinue() && response.getStatus() == Poco::Net::HTTPResponse::HTTP_OK) response.sendContinue();
				pHandler->handleRequest(request, response);
				session.setKeepAlive(pParams->getKeepAlive() && response.getKeepAlive() && session.canKeepAlive());
			}
			catch (Poco::Exception&)
			{
				if (!response.sent()) sendError(session, Poco::Net::HTTPResponse::HTTP_INTERNAL_SERVER_ERROR);
				return false;
			}
			// The response (and its buffered bytes) is flushed here, as it goes out of scope.
		}
		catch (Poco::Net::NoMessageException&)
		{
			return false; // the client closed, or sent nothing
		}
		catch (Poco::Net::MessageException&)
		{
			sendError(session, Poco::Net::HTTPResponse::HTTP_BAD_REQUEST);
			return false;
		}
		catch (Poco::SyntaxException&)
		{
			// A header Poco parses while reading the request (Content-Length: 5x).
			sendError(session, Poco::Net::HTTPResponse::HTTP_BAD_REQUEST);
			return false;
		}
		return session.getKeepAlive();
	}
}


HttpConnection::Outcome HttpConnection::serve(ClientConnection& connection, Poco::Net::HTTPServerParams::Ptr pParams,
	Poco::Net::HTTPRequestHandlerFactory& factory, const Options& options, const std::atomic<bool>& stopping,
	const std::function<bool()>& othersWaiting)
{
	Poco::Net::StreamSocket& socket = connection.socket;
	auto* pReadAhead = dynamic_cast<ReadAheadSocketImpl*>(socket.impl());
	bool keep = false;
	bool served = false;
	{
		BufferedServerSession session(socket, pParams);
		try
		{
			while (!stopping && session.hasMoreRequests())
			{
				keep = serveOne(session, pParams, factory);
				served = true;
				if (!keep || stopping) break;
				Poco::Timespan wait = othersWaiting() ? Poco::Timespan(0) : options.readyWait;
				if (pReadAhead)
				{
					// Served here only if it is all there; else parked and read ahead.
					session.returnBufferedInput(*pReadAhead);
					if (!nextRequestComplete(*pReadAhead, options.readAheadBytes, wait)) break;
				}
				else if (!session.hasBufferedInput() && socket.available() == 0 && !socket.poll(wait, Poco::Net::Socket::SELECT_READ))
				{
					break;
				}
			}
		}
		catch (Poco::Exception&)
		{
			keep = false; // a network error: the connection is unusable
		}
		// Without this the session's destructor would close the socket.
		session.detachSocket();
	}
	if (keep && !stopping) return Outcome::IDLE;
	if (served && pReadAhead && !stopping)
	{
		// The lingering is the idle set's: no thread waits on a client that keeps its
		// end open after a Connection: close (one second each, for the asking).
		try
		{
			socket.shutdownSend();
			pReadAhead->discardBuffered();
			return Outcome::LINGER;
		}
		catch (Poco::Exception&)
		{
			return Outcome::CLOSED;
		}
	}
	if (served) closeLingering(socket, options.lingerBytes);
	return Outcome::CLOSED;
}


void HttpConnection::closeLingering(Poco::Net::StreamSocket& socket, std::size_t maxBytes)
{
	// Apache's lingering close: our side ends first, then what the client still sends (a
	// body we answered without reading, which may still be on its way) is dropped until it
	// closes too or pauses. Closing with unread data would reset the connection, and the
	// client might never see the reply.
	try
	{
		socket.shutdownSend();
		char buffer[65536];
		std::size_t dropped = 0;
		Poco::Timestamp started;
		constexpr Poco::Timestamp::TimeDiff MAX_LINGER = 10 * 1000 * 1000;
		while (dropped < maxBytes && started.elapsed() < MAX_LINGER && socket.poll(Poco::Timespan(1, 0), Poco::Net::Socket::SELECT_READ))
		{
			int n = socket.receiveBytes(buffer, sizeof(buffer));
			if (n <= 0) break;
			dropped += static_cast<std::size_t>(n);
		}
	}
	catch (Poco::Exception&)
	{
	}
}


} // namespace XQueue
