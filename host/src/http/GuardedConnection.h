//
// GuardedConnection.h
//
// One client connection: admitted by the ConnectionGuard, then served by Poco's
// HTTPServerConnection on this thread while the guard watches its deadlines.
//


#ifndef XQueue_GuardedConnection_INCLUDED
#define XQueue_GuardedConnection_INCLUDED


#include "http/ConnectionGuard.h"
#include "Poco/Net/HTTPRequestHandlerFactory.h"
#include "Poco/Net/HTTPServerParams.h"
#include "Poco/Net/TCPServerConnection.h"


namespace XQueue {


class GuardedConnection: public Poco::Net::TCPServerConnection
{
public:
	GuardedConnection(const Poco::Net::StreamSocket& socket, ConnectionGuard& guard,
		Poco::Net::HTTPServerParams::Ptr pParams, Poco::Net::HTTPRequestHandlerFactory::Ptr pFactory);

	void run() override;

private:
	ConnectionGuard& _guard;
	Poco::Net::HTTPServerParams::Ptr _pParams;
	Poco::Net::HTTPRequestHandlerFactory::Ptr _pFactory;
};


} // namespace XQueue


#endif // XQueue_GuardedConnection_INCLUDED
