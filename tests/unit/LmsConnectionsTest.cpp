// SPDX-License-Identifier: Apache-2.0
//
// LmsConnectionsTest.cpp
//
// Deliveries to one LMS reuse a kept connection; one the LMS closed meanwhile costs a
// retry on a new connection, never a lost or doubled grade; idle ones are closed.
//


#include "delivery/LmsClient.h"
#include "delivery/OutboundConnector.h"
#include "Poco/Net/ServerSocket.h"
#include "Poco/Net/StreamSocket.h"
#include <gtest/gtest.h>
#include <atomic>
#include <chrono>
#include <string>
#include <thread>


using XQueue::LmsClient;
using XQueue::LmsClientOptions;
using XQueue::Micros;
using XQueue::OutboundConnector;


namespace {


class CountingLms
	/// An LMS on loopback that serves one connection at a time and counts connections and
	/// requests. closeAfterReply: it closes each connection after its reply without saying
	/// so (no "Connection: close"), as a front end does whose keep-alive ran out.
{
public:
	explicit CountingLms(bool closeAfterReply = false):
		_socket(Poco::Net::SocketAddress("127.0.0.1", 0)),
		_closeAfterReply(closeAfterReply),
		_thread([this]() { serve(); })
	{
	}

	~CountingLms()
	{
		_stopping = true;
		Poco::Net::StreamSocket wake;
		try { wake.connect(_socket.address()); } catch (...) {}
		_thread.join();
	}

	std::string url() const { return "http://127.0.0.1:" + std::to_string(_socket.address().port()) + "/courses/c/xqueue/1/score_update"; }
	int connections() const { return _connections; }
	int requests() const { return _requests; }
	int closedByClient() const { return _closedByClient; }
	std::string lastConnectionHeader() const { return _lastConnectionHeader; }

private:
	void serve()
	{
		while (!_stopping)
		{
			Poco::Net::StreamSocket connection = _socket.acceptConnection();
			if (_stopping) break;
			++_connections;
			connection.setReceiveTimeout(Poco::Timespan(5, 0));
			try
			{
				while (answerOne(connection) && !_closeAfterReply) {}
			}
			catch (...)
			{
			}
		}
	}

	bool answerOne(Poco::Net::StreamSocket& connection)
		/// False when the client closed the connection.
	{
		std::string received;
		char buffer[4096];
		std::size_t headerEnd;
		while ((headerEnd = received.find("\r\n\r\n")) == std::string::npos)
		{
			int n = connection.receiveBytes(buffer, sizeof(buffer));
			if (n <= 0)
			{
				++_closedByClient;
				return false;
			}
			received.append(buffer, static_cast<std::size_t>(n));
		}
		std::string head = received.substr(0, headerEnd);
		auto length = head.find("Content-Length: ");
		std::size_t bodyLength = length == std::string::npos ? 0 : std::stoul(head.substr(length + 16));
		while (received.size() < headerEnd + 4 + bodyLength)
		{
			int n = connection.receiveBytes(buffer, sizeof(buffer));
			if (n <= 0) return false;
			received.append(buffer, static_cast<std::size_t>(n));
		}
		auto connectionHeader = head.find("Connection: ");
		_lastConnectionHeader = connectionHeader == std::string::npos ? "" : head.substr(connectionHeader + 12, head.find("\r\n", connectionHeader) - connectionHeader - 12);
		++_requests;
		const std::string reply = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok";
		connection.sendBytes(reply.data(), static_cast<int>(reply.size()));
		return true;
	}

	Poco::Net::ServerSocket _socket;
	bool _closeAfterReply;
	std::atomic<bool> _stopping{false};
	std::atomic<int> _connections{0};
	std::atomic<int> _requests{0};
	std::atomic<int> _closedByClient{0};
	std::string _lastConnectionHeader;
	std::thread _thread;
};


const OutboundConnector LOOPBACK_ALLOWED("127.0.0.0/8", "", 2);


LmsClientOptions keepingFor(Micros keepAlive)
{
	LmsClientOptions options;
	options.keepAlive = keepAlive;
	options.keptPerOrigin = 2;
	return options;
}


TEST(LmsConnectionsTest, DeliveriesToOneLmsShareOneConnection)
{
	CountingLms lms;
	LmsClient client(LOOPBACK_ALLOWED, 2, keepingFor(1000 * 1000));
	for (int i = 0; i < 5; ++i) EXPECT_TRUE(client.post(lms.url(), "h", "grade " + std::to_string(i), "m").delivered) << i;
	EXPECT_EQ(lms.requests(), 5);
	EXPECT_EQ(lms.connections(), 1);
	EXPECT_EQ(lms.lastConnectionHeader(), "Keep-Alive");
}


TEST(LmsConnectionsTest, AConnectionTheLmsClosedIsRetriedOnANewOneAndEachGradeArrivesOnce)
{
	CountingLms lms(true);
	LmsClient client(LOOPBACK_ALLOWED, 2, keepingFor(1000 * 1000));
	for (int i = 0; i < 4; ++i)
	{
		EXPECT_TRUE(client.post(lms.url(), "h", "grade " + std::to_string(i), "m").delivered) << i;
		std::this_thread::sleep_for(std::chrono::milliseconds(20)); // the LMS's close arrives
	}
	EXPECT_EQ(lms.requests(), 4) << "no grade posted twice, none lost";
	EXPECT_EQ(lms.connections(), 4);
}


TEST(LmsConnectionsTest, WithoutKeepAliveEveryDeliveryHasItsOwnConnection)
{
	CountingLms lms;
	LmsClient client(LOOPBACK_ALLOWED, 2, keepingFor(0));
	for (int i = 0; i < 3; ++i) EXPECT_TRUE(client.post(lms.url(), "h", "b", "m").delivered);
	EXPECT_EQ(lms.connections(), 3);
	EXPECT_EQ(lms.lastConnectionHeader(), "Close");
}


TEST(LmsConnectionsTest, AConnectionIdlePastKeepAliveIsClosedAndNotUsedAgain)
{
	CountingLms lms;
	LmsClient client(LOOPBACK_ALLOWED, 2, keepingFor(100 * 1000));
	EXPECT_TRUE(client.post(lms.url(), "h", "b", "m").delivered);
	std::this_thread::sleep_for(std::chrono::milliseconds(150));
	client.closeIdleConnections();
	for (int i = 0; i < 100 && lms.closedByClient() == 0; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
	EXPECT_EQ(lms.closedByClient(), 1) << "closed by the delivery side once idle past keep_alive";
	EXPECT_TRUE(client.post(lms.url(), "h", "b", "m").delivered);
	EXPECT_EQ(lms.connections(), 2);
}


} // namespace
