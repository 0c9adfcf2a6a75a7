//
// GuardedConnectionFactory.h
//
// Poco's HTTPServer connection factory with ConnectionGuard in front: each accepted
// connection is admitted (or closed at once when its address is over the cap) and
// watched for the time it takes, then served by Poco's own HTTPServerConnection.
//


#ifndef XQueue_GuardedConnectionFactory_INCLUDED
#define XQueue_GuardedConnectionFactory_INCLUDED


#include "http/ConnectionGuard.h"
#include "Poco/Net/HTTPRequestHandlerFactory.h"
#include "Poco/Net/HTTPServerParams.h"
#include "Poco/Net/TCPServerConnectionFactory.h"


namespace XQueue {


class GuardedConnectionFactory: public Poco::Net::TCPServerConnectionFactory
{
public:
	GuardedConnectionFactory(ConnectionGuard& guard, Poco::Net::HTTPServerParams::Ptr pParams,
		Poco::Net::HTTPRequestHandlerFactory::Ptr pFactory);

	Poco::Net::TCPServerConnection* createConnection(const Poco::Net::StreamSocket& socket) override;

private:
	ConnectionGuard& _guard;
	Poco::Net::HTTPServerParams::Ptr _pParams;
	Poco::Net::HTTPRequestHandlerFactory::Ptr _pFactory;
};


} // namespace XQueue


#endif // XQueue_GuardedConnectionFactory_INCLUDED
