//
// GuardedConnectionFactory.cpp
//


#include "http/GuardedConnectionFactory.h"
#include "http/GuardedConnection.h"


namespace XQueue {


GuardedConnectionFactory::GuardedConnectionFactory(ConnectionGuard& guard, Poco::Net::HTTPServerParams::Ptr pParams,
	Poco::Net::HTTPRequestHandlerFactory::Ptr pFactory):
	_guard(guard),
	_pParams(pParams),
	_pFactory(pFactory)
{
}


Poco::Net::TCPServerConnection* GuardedConnectionFactory::createConnection(const Poco::Net::StreamSocket& socket)
{
	return new GuardedConnection(socket, _guard, _pParams, _pFactory);
}


} // namespace XQueue
