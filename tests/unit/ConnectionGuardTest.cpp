// SPDX-License-Identifier: Apache-2.0
//
// ConnectionGuardTest.cpp
//
// Admission and deadlines of client connections, on real loopback sockets: at most
// max_connections_per_address per address, a connection shut down when it overstays its
// phase (headers, then request), the request deadline counted once from the headers.
//


#include "http/ConnectionGuard.h"
#include "Poco/Net/ServerSocket.h"
#include "Poco/Net/StreamSocket.h"
#include <gtest/gtest.h>
#include <chrono>
#include <thread>


using XQueue::ConnectionGuard;
using XQueue::ConnectionLimits;


namespace {


struct Pair
{
	Poco::Net::StreamSocket client;
	Poco::Net::StreamSocket server;
};


Pair connectedPair(Poco::Net::ServerSocket& listener)
{
	Pair pair;
	pair.client.connect(Poco::Net::SocketAddress("127.0.0.1", listener.address().port()));
	pair.server = listener.acceptConnection();
	return pair;
}


// Whether the server side was shut down within `within` (the client reads end of stream).
bool shutDownWithin(Poco::Net::StreamSocket& client, std::chrono::milliseconds within)
{
	client.setReceiveTimeout(Poco::Timespan(static_cast<long>(within.count()) * 1000));
	char c;
	try
	{
		return client.receiveBytes(&c, 1) == 0;
	}
	catch (Poco::TimeoutException&)
	{
		return false;
	}
}


TEST(ConnectionGuardTest, AnAddressGetsAtMostItsShare)
{
	ConnectionLimits limits;
	limits.maxPerAddress = 2;
	ConnectionGuard guard(limits);
	Poco::Net::ServerSocket listener(Poco::Net::SocketAddress("127.0.0.1", 0));
	Pair a = connectedPair(listener), b = connectedPair(listener), c = connectedPair(listener);
	auto admittedA = guard.admit(a.server);
	auto admittedB = guard.admit(b.server);
	EXPECT_TRUE(admittedA && admittedB);
	EXPECT_FALSE(guard.admit(c.server)) << "a third from 127.0.0.1";
	admittedA.reset();
	EXPECT_TRUE(guard.admit(c.server)) << "one left: room again";
}


TEST(ConnectionGuardTest, AConnectionIsShutDownWhenItOverstaysItsPhase)
{
	ConnectionLimits limits;
	limits.headerTimeout = 0.3;
	limits.requestTimeout = 1.2;
	ConnectionGuard guard(limits);
	guard.start();
	Poco::Net::ServerSocket listener(Poco::Net::SocketAddress("127.0.0.1", 0));

	Pair slowHeaders = connectedPair(listener);
	auto admission = guard.admit(slowHeaders.server);
	ASSERT_TRUE(admission);
	EXPECT_TRUE(shutDownWithin(slowHeaders.client, std::chrono::milliseconds(3000))) << "header_timeout 0.3 s";

	// Headers in time: request_timeout from then, counted once however often it is said.
	Pair request = connectedPair(listener);
	auto requestAdmission = guard.admit(request.server);
	ASSERT_TRUE(requestAdmission);
	requestAdmission->headersArrived();
	std::this_thread::sleep_for(std::chrono::milliseconds(600));
	requestAdmission->bindToThisThread();
	ConnectionGuard::requestStarted(); // the handler says so again: no new deadline
	requestAdmission->unbindFromThisThread();
	EXPECT_FALSE(shutDownWithin(request.client, std::chrono::milliseconds(300))) << "past header_timeout, within request_timeout";
	auto started = std::chrono::steady_clock::now();
	EXPECT_TRUE(shutDownWithin(request.client, std::chrono::milliseconds(3000)));
	EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::milliseconds(700))
		<< "request_timeout counts from the headers, not from the handler's start";
	guard.stop();
}


} // namespace
