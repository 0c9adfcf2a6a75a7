// SPDX-License-Identifier: Apache-2.0
//
// LoopbackPeers.cpp
//


#include "LoopbackPeers.h"
#include "Poco/Net/HTTPRequestHandler.h"
#include "Poco/Net/HTTPRequestHandlerFactory.h"
#include "Poco/Net/HTTPServerParams.h"
#include "Poco/Net/HTTPServerRequest.h"
#include "Poco/Net/HTTPServerResponse.h"
#include "Poco/Net/ServerSocket.h"
#include "Poco/NullStream.h"
#include "Poco/StreamCopier.h"
#include <thread>


namespace XQueueBench {


namespace
{
	const std::string GRADE = "{\"correct\": true, \"score\": 1.0, \"msg\": \"<p>ok</p>\"}";

	class PeerHandler: public Poco::Net::HTTPRequestHandler
	{
	public:
		explicit PeerHandler(LoopbackPeers& peers): _peers(peers) {}

		void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override
		{
			Poco::NullOutputStream discard;
			Poco::StreamCopier::copyStream(request.stream(), discard);
			const std::string& uri = request.getURI();
			if (uri.rfind("/lms/", 0) == 0) _peers.arrived(std::stoul(uri.substr(5)));
			response.setContentType("application/json");
			if (uri == "/grade") response.sendBuffer(GRADE.data(), GRADE.size());
			else response.sendBuffer("", 0);
		}

	private:
		LoopbackPeers& _peers;
	};

	class Factory: public Poco::Net::HTTPRequestHandlerFactory
	{
	public:
		explicit Factory(LoopbackPeers& peers): _peers(peers) {}
		Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override { return new PeerHandler(_peers); }

	private:
		LoopbackPeers& _peers;
	};
}


LoopbackPeers::LoopbackPeers(std::size_t capacity):
	_arrivals(capacity)
{
	Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
	_port = socket.address().port();
	auto* pParams = new Poco::Net::HTTPServerParams;
	pParams->setMaxThreads(32);
	Poco::ThreadPool::defaultPool().addCapacity(32);
	_pServer = std::make_unique<Poco::Net::HTTPServer>(new Factory(*this), socket, pParams);
	_pServer->start();
}


LoopbackPeers::~LoopbackPeers()
{
	_pServer->stopAll(true);
}


int LoopbackPeers::port() const
{
	return _port;
}


std::string LoopbackPeers::callbackUrl(std::size_t n) const
{
	return "http://127.0.0.1:" + std::to_string(_port) + "/lms/" + std::to_string(n);
}


std::string LoopbackPeers::graderUrl() const
{
	return "http://127.0.0.1:" + std::to_string(_port) + "/grade";
}


void LoopbackPeers::arrived(std::size_t n)
{
	if (n < _arrivals.size()) _arrivals[n] = Clock::now().time_since_epoch().count();
	++_count;
}


std::size_t LoopbackPeers::callbacks() const
{
	return _count.load();
}


Clock::time_point LoopbackPeers::arrivalOf(std::size_t n) const
{
	return Clock::time_point(Clock::duration(_arrivals[n].load()));
}


bool LoopbackPeers::waitFor(std::size_t n, std::chrono::seconds timeout) const
{
	auto deadline = Clock::now() + timeout;
	while (_count.load() < n)
	{
		if (Clock::now() > deadline) return false;
		std::this_thread::sleep_for(std::chrono::milliseconds(1));
	}
	return true;
}


} // namespace XQueueBench
