// SPDX-License-Identifier: Apache-2.0
//
// SlowClientsTest.cpp
//
// Clients that send their requests slowly hold no request thread (attack finding 4's
// forms: 16 slow POST bodies held all 16 threads, and everyone else waited until
// request_timeout): a request reaches a thread once it is all there; a body larger than
// the read-ahead is read by a thread as it comes, on at most half the threads. The
// deadlines are long here, so that only this, not a cut-off, can let others through.
//


#include "ServerFixture.h"
#include "Poco/Net/NetException.h"
#include "Poco/Net/StreamSocket.h"
#include "Poco/NumberFormatter.h"
#include <atomic>
#include <chrono>
#include <thread>
#include <vector>


using namespace XQueueTest;


namespace {


using Clock = std::chrono::steady_clock;


class SlowClientsTest: public ServerFixture
{
protected:
	static constexpr int THREADS = 4;

	TestServer::Properties properties() override
	{
		return {{"xqueue.http.threads", std::to_string(THREADS)}, {"xqueue.http.header_timeout", "60"},
			{"xqueue.http.request_timeout", "60"}, {"xqueue.http.read_ahead_bytes", "65536"}};
	}

	Poco::Net::StreamSocket connect()
	{
		Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(server().port())));
		socket.setReceiveTimeout(Poco::Timespan(5, 0));
		return socket;
	}

	static void send(Poco::Net::StreamSocket& socket, const std::string& bytes)
	{
		socket.sendBytes(bytes.data(), static_cast<int>(bytes.size()));
	}

	// What the server sent until it had sent `replies` status lines and their bodies (it
	// answers with Content-Length), or 5 s passed without a byte.
	static std::string receive(Poco::Net::StreamSocket& socket, std::size_t replies)
	{
		std::string answer;
		char buffer[4096];
		try
		{
			while (true)
			{
				std::size_t complete = 0;
				for (std::size_t at = answer.find("HTTP/1.1 "); at != std::string::npos; at = answer.find("HTTP/1.1 ", at + 1))
				{
					std::size_t headEnd = answer.find("\r\n\r\n", at);
					if (headEnd == std::string::npos) break;
					std::size_t length = answer.find("Content-Length: ", at);
					std::size_t bodyBytes = length < headEnd ? std::stoul(answer.substr(length + 16)) : 0;
					if (answer.size() >= headEnd + 4 + bodyBytes) ++complete;
				}
				if (complete >= replies) break;
				int n = socket.receiveBytes(buffer, sizeof(buffer));
				if (n <= 0) break;
				answer.append(buffer, static_cast<std::size_t>(n));
			}
		}
		catch (Poco::TimeoutException&)
		{
		}
		return answer;
	}

	// Every one of `count` status requests from a fresh client is answered within a second.
	void expectOthersServedPromptly(int count)
	{
		for (int i = 0; i < count; ++i)
		{
			auto started = Clock::now();
			TestClient other = anonymous();
			EXPECT_EQ(other.get("/xqueue/status/").status, 200);
			EXPECT_LT(Clock::now() - started, std::chrono::seconds(1)) << "request " << i << " waited for a thread";
		}
	}

	std::string loginHead(std::size_t bodyBytes) const
	{
		return "POST /xqueue/login/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: " +
			std::to_string(bodyBytes) + "\r\n\r\n";
	}
};


const std::string LOGIN_BODY = "username=lms&password=lmspass";


TEST_F(SlowClientsTest, DrippedHeadersAndBodiesHoldNoThread)
{
	std::vector<Poco::Net::StreamSocket> slowHeads, slowBodies, slowChunks;
	for (int i = 0; i < 4 * THREADS; ++i)
	{
		slowHeads.push_back(connect());
		send(slowHeads.back(), "GET /xqueue/status/ HTTP/1.1\r\nHost: x\r\nX-Slow: a");
		slowBodies.push_back(connect());
		send(slowBodies.back(), loginHead(LOGIN_BODY.size()) + LOGIN_BODY.substr(0, 5));
		slowChunks.push_back(connect());
		send(slowChunks.back(), "POST /xqueue/login/ HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
			"Content-Type: application/x-www-form-urlencoded\r\n\r\n" + Poco::NumberFormatter::formatHex(LOGIN_BODY.size()) + "\r\nuser");
	}
	std::this_thread::sleep_for(std::chrono::milliseconds(300));
	expectOthersServedPromptly(10);
	TestClient lms = loggedIn();
	EXPECT_EQ(parseEnvelope(submit(lms, this->lms().callbackUrl("/c")).body).returnCode, 0);

	// The slow ones are served as they complete, each with its own answer.
	for (auto& socket: slowHeads) send(socket, "aa\r\nConnection: close\r\n\r\n");
	for (auto& socket: slowBodies) send(socket, LOGIN_BODY.substr(5));
	for (auto& socket: slowChunks) send(socket, LOGIN_BODY.substr(4) + "\r\n0\r\n\r\n");
	for (auto& socket: slowHeads) EXPECT_EQ(receive(socket, 1).rfind("HTTP/1.1 200", 0), 0u);
	for (auto& socket: slowBodies)
	{
		std::string answer = receive(socket, 1);
		EXPECT_EQ(answer.rfind("HTTP/1.1 200", 0), 0u) << answer;
		EXPECT_NE(answer.find("\"return_code\": 0"), std::string::npos) << answer;
	}
	for (auto& socket: slowChunks) EXPECT_NE(receive(socket, 1).find("\"return_code\": 0"), std::string::npos);
}


TEST_F(SlowClientsTest, BodiesLargerThanTheReadAheadTakeAtMostHalfTheThreads)
{
	// Declared larger than the read-ahead and never sent: each is read on a thread.
	std::vector<Poco::Net::StreamSocket> large;
	for (int i = 0; i < 2 * THREADS; ++i)
	{
		large.push_back(connect());
		send(large.back(), loginHead(1024 * 1024) + "username=");
	}
	std::this_thread::sleep_for(std::chrono::milliseconds(300));
	expectOthersServedPromptly(10);
	// Sent after all, each is answered (a wrong password here: the body is the padding).
	std::string rest(1024 * 1024 - 9, 'x');
	for (auto& socket: large)
	{
		send(socket, rest);
		EXPECT_EQ(receive(socket, 1).rfind("HTTP/1.1 200", 0), 0u);
	}
}


TEST_F(SlowClientsTest, PipelinedAndSplitRequestsAreServedInOrder)
{
	const std::string status = "GET /xqueue/status/ HTTP/1.1\r\nHost: x\r\n\r\n";
	Poco::Net::StreamSocket socket = connect();
	send(socket, status + loginHead(LOGIN_BODY.size()) + LOGIN_BODY + status.substr(0, 10));
	std::this_thread::sleep_for(std::chrono::milliseconds(200));
	send(socket, status.substr(10));
	std::string answer = receive(socket, 3);
	std::size_t first = answer.find("HTTP/1.1 200");
	std::size_t login = answer.find("\"return_code\": 0");
	std::size_t third = answer.find("HTTP/1.1 200", login);
	EXPECT_TRUE(first < login && login != std::string::npos && third != std::string::npos) << answer;

	// One byte at a time, a request and its body still make one request.
	Poco::Net::StreamSocket dripped = connect();
	std::string request = loginHead(LOGIN_BODY.size()) + LOGIN_BODY;
	for (char c: request)
	{
		send(dripped, std::string(1, c));
		std::this_thread::sleep_for(std::chrono::milliseconds(1));
	}
	EXPECT_NE(receive(dripped, 1).find("\"return_code\": 0"), std::string::npos);
}


TEST_F(SlowClientsTest, ClientsKeepingTheirEndOpenAfterTheLastReplyHoldNoThread)
{
	// After a reply with Connection: close the server drops what the client still sends
	// until it closes or pauses for a second (lingering close): done in the idle set.
	std::vector<Poco::Net::StreamSocket> lingering;
	for (int i = 0; i < 3 * THREADS; ++i)
	{
		lingering.push_back(connect());
		send(lingering.back(), "GET /xqueue/status/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
		EXPECT_EQ(receive(lingering.back(), 1).rfind("HTTP/1.1 200", 0), 0u);
	}
	std::atomic<bool> dripping{true};
	std::atomic<int> refused{0};
	std::thread dripper([&]() {
		while (dripping)
		{
			for (auto& socket: lingering)
			{
				try
				{
					send(socket, "x");
				}
				catch (Poco::Exception&)
				{
					++refused;
				}
			}
			std::this_thread::sleep_for(std::chrono::milliseconds(200));
		}
	});
	std::this_thread::sleep_for(std::chrono::milliseconds(300));
	expectOthersServedPromptly(10);
	dripping = false;
	dripper.join();
	EXPECT_EQ(refused, 0) << "dropped, not closed, while the client kept sending";
	// Paused for over a second: closed (what the client sends then is refused).
	std::this_thread::sleep_for(std::chrono::milliseconds(1500));
	for (auto& socket: lingering)
	{
		bool closed = false;
		try
		{
			send(socket, "x");
			std::this_thread::sleep_for(std::chrono::milliseconds(20));
			send(socket, "x");
		}
		catch (Poco::Exception&)
		{
			closed = true;
		}
		EXPECT_TRUE(closed);
	}
}


TEST_F(SlowClientsTest, AClientWaitingForContinueGetsIt)
{
	Poco::Net::StreamSocket socket = connect();
	std::string head = loginHead(LOGIN_BODY.size());
	send(socket, head.substr(0, head.size() - 2) + "Expect: 100-continue\r\n\r\n");
	char buffer[256];
	int n = socket.receiveBytes(buffer, sizeof(buffer));
	ASSERT_GT(n, 0);
	EXPECT_EQ(std::string(buffer, static_cast<std::size_t>(n)).rfind("HTTP/1.1 100", 0), 0u) << "within the 5 s receive timeout";
	send(socket, LOGIN_BODY);
	EXPECT_NE(receive(socket, 1).find("\"return_code\": 0"), std::string::npos);
}


class SlowClientsUnderAnAddressCapTest: public SlowClientsTest
{
protected:
	TestServer::Properties properties() override
	{
		TestServer::Properties p = SlowClientsTest::properties();
		p["xqueue.http.max_connections_per_address"] = "8";
		return p;
	}
};


TEST_F(SlowClientsUnderAnAddressCapTest, EveryAddressAtItsCapDelaysNobodyElse)
{
	// The attack form: 10 addresses, each holding its 8 connections, half of them idle,
	// half dripping a request; 4 request threads.
	std::vector<Poco::Net::StreamSocket> held;
	for (int a = 2; a < 12; ++a)
	{
		for (int i = 0; i < 8; ++i)
		{
			Poco::Net::StreamSocket socket(Poco::Net::SocketAddress::IPv4);
			socket.impl()->bind(Poco::Net::SocketAddress("127.0.0." + std::to_string(a), 0), true);
			socket.connect(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(server().port())), Poco::Timespan(5, 0));
			if (i % 2) send(socket, loginHead(LOGIN_BODY.size()) + "user");
			held.push_back(socket);
		}
	}
	std::this_thread::sleep_for(std::chrono::milliseconds(300));
	expectOthersServedPromptly(10);
}


} // namespace
