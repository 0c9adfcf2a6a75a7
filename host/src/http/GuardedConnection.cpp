//
// GuardedConnection.cpp
//


#include "http/GuardedConnection.h"
#include "Poco/Net/HTTPServerConnection.h"


namespace XQueue {


GuardedConnection::GuardedConnection(const Poco::Net::StreamSocket& socket, ConnectionGuard& guard,
	Poco::Net::HTTPServerParams::Ptr pParams, Poco::Net::HTTPRequestHandlerFactory::Ptr pFactory):
	Poco::Net::TCPServerConnection(socket),
	_guard(guard),
	_pParams(pParams),
	_pFactory(pFactory)
{
}


void GuardedConnection::run()
{
	auto pAdmission = _guard.admit(socket());
	if (!pAdmission)
	{
		// Over the per-address cap: closed before a byte is read.
		socket().close();
		return;
	}
	Poco::Net::HTTPServerConnection connection(socket(), _pParams, _pFactory);
	connection.run();
}


} // namespace XQueue
