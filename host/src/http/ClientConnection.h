// SPDX-License-Identifier: Apache-2.0
//
// ClientConnection.h
//
// One accepted client connection between requests: its socket and its admission by the
// ConnectionGuard (per-address count, deadlines). It moves between the idle set and the
// request threads; it holds no thread while it waits for its next request.
//


#ifndef XQueue_ClientConnection_INCLUDED
#define XQueue_ClientConnection_INCLUDED


#include "http/ConnectionGuard.h"
#include "util/Clock.h"
#include "Poco/Net/StreamSocket.h"
#include <memory>


namespace XQueue {


struct ClientConnection
{
	Poco::Net::StreamSocket socket;
	std::unique_ptr<ConnectionGuard::Admission> pAdmission;
	Micros idleUntil = 0;     /// closed if no request has become ready by then
	bool requestBegun = false; /// the request being read ahead has its first byte
	bool headersRead = false; /// that request's headers are all read ahead
	Micros lingerUntil = 0;   /// closing: what the client still sends is dropped until then
	std::size_t lingerLeft = 0; /// and at most this much more of it

	~ClientConnection()
	{
		// The deadline watch goes first: once closed, the descriptor number may be reused.
		pAdmission.reset();
		try
		{
			socket.close();
		}
		catch (...)
		{
		}
	}
};


} // namespace XQueue


#endif // XQueue_ClientConnection_INCLUDED
