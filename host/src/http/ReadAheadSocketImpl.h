// SPDX-License-Identifier: Apache-2.0
//
// ReadAheadSocketImpl.h
//
// A client connection's TCP socket that keeps what was read from it ahead of the HTTP
// parser: the idle-connection thread reads a request's bytes without blocking as they
// arrive (readAvailable), and the request thread's Poco session then reads them from here
// first, as if they came from the socket. So a request reaches a thread only once it is
// all there (RequestCompleteness), and a slow client never holds one.
//


#ifndef XQueue_ReadAheadSocketImpl_INCLUDED
#define XQueue_ReadAheadSocketImpl_INCLUDED


#include "Poco/Net/StreamSocketImpl.h"
#include <string>
#include <string_view>


namespace XQueue {


class ReadAheadSocketImpl: public Poco::Net::StreamSocketImpl
{
public:
	enum class ReadResult
	{
		MORE_LATER, /// everything available was read (or the buffer is full)
		PEER_CLOSED /// the client closed its side, or the connection failed
	};

	explicit ReadAheadSocketImpl(poco_socket_t sockfd);

	ReadResult readAvailable(std::size_t maxBuffered);
		/// Reads what has arrived, without waiting, until maxBuffered bytes are held.

	std::string_view buffered() const;
		/// Read ahead and not yet consumed.

	void unread(std::string_view bytes);
		/// Puts bytes back in front (what a parser took ahead and did not use).

	void discardBuffered();

	ReadResult discardAvailable(std::size_t& budget);
		/// Reads and drops what has arrived, without waiting, at most budget bytes (which
		/// it decreases); PEER_CLOSED also when the budget is spent.

	int receiveBytes(void* buffer, int length, int flags = 0) override;
	int available() override;
	bool poll(const Poco::Timespan& timeout, int mode) override;

protected:
	~ReadAheadSocketImpl() override;

private:
	std::string _buffer;
	std::size_t _consumed = 0;
};


} // namespace XQueue


#endif // XQueue_ReadAheadSocketImpl_INCLUDED
