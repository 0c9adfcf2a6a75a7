// SPDX-License-Identifier: Apache-2.0
//
// InboundLimitsTest.cpp
//
// Clients cannot hold the server with slow or oversized requests (reliability S2 and
// the size rows of S1): slow headers, slow bodies and idle connections are cut off at
// their deadlines while other clients are served; connections per address are capped;
// oversized headers and deeply nested JSON get 4xx or the envelope, never a 5xx. And the
// server speaks HTTPS itself, with a Secure session cookie.
//


#include "ServerFixture.h"
#include "delivery/LmsClient.h"
#include "delivery/OutboundConnector.h"
#include "Poco/Net/Context.h"
#include "Poco/Net/HTTPRequest.h"
#include "Poco/Net/HTTPResponse.h"
#include "Poco/Net/HTTPSClientSession.h"
#include "Poco/Net/StreamSocket.h"
#include "Poco/StreamCopier.h"
#include <algorithm>
#include <cstdlib>
#include <vector>


using namespace XQueueTest;


namespace {


using Clock = std::chrono::steady_clock;


// Sends text one byte at a time, pause apart, until the server closes the connection;
// returns how long the server let it go on.
std::chrono::milliseconds dripUntilClosed(Poco::Net::StreamSocket& socket, const std::string& text, std::chrono::milliseconds pause)
{
	auto started = Clock::now();
	try
	{
		for (std::size_t i = 0; i < 100000; ++i)
		{
			socket.sendBytes(text.data() + (i % text.size()), 1);
			if (socket.poll(Poco::Timespan(0, static_cast<int>(pause.count()) * 1000), Poco::Net::Socket::SELECT_READ))
			{
				char c;
				if (socket.receiveBytes(&c, 1) <= 0) break; // closed by the server
			}
		}
	}
	catch (Poco::Exception&)
	{
		// reset by the server
	}
	return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
}


bool closedByServer(Poco::Net::StreamSocket& socket, std::chrono::seconds within)
{
	try
	{
		socket.setReceiveTimeout(Poco::Timespan(within.count(), 0));
		char buffer[512];
		while (true)
		{
			int n = socket.receiveBytes(buffer, sizeof(buffer));
			if (n <= 0) return true;
		}
	}
	catch (Poco::TimeoutException&)
	{
		return false;
	}
	catch (Poco::Exception&)
	{
		return true; // reset
	}
}


class InboundLimitsTest: public ServerFixture
{
protected:
	TestServer::Properties properties() override
	{
		return {{"xqueue.http.header_timeout", "1"}, {"xqueue.http.request_timeout", "1.5"}, {"xqueue.http.keep_alive_timeout", "1"}};
	}

	Poco::Net::StreamSocket connect()
	{
		return Poco::Net::StreamSocket(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(server().port())));
	}
};


TEST_F(InboundLimitsTest, SlowHeadersAreCutOffWhileOthersAreServed)
{
	std::vector<std::thread> slowlorises;
	std::vector<std::chrono::milliseconds> lasted(8);
	for (std::size_t i = 0; i < lasted.size(); ++i)
	{
		slowlorises.emplace_back([&, i]() {
			Poco::Net::StreamSocket socket = connect();
			lasted[i] = dripUntilClosed(socket, "GET /xqueue/status/ HTTP/1.1\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", std::chrono::milliseconds(200));
		});
	}
	std::this_thread::sleep_for(std::chrono::milliseconds(300));
	TestClient other = anonymous();
	auto started = Clock::now();
	EXPECT_EQ(other.get("/xqueue/status/").status, 200);
	EXPECT_LT(Clock::now() - started, std::chrono::seconds(1)) << "a legitimate client is not kept waiting";
	for (auto& t: slowlorises) t.join();
	for (auto d: lasted)
	{
		EXPECT_GE(d, std::chrono::milliseconds(700));
		EXPECT_LT(d, std::chrono::milliseconds(3000)) << "cut off near header_timeout = 1 s";
	}
	std::string metrics = other.get("/metrics").body;
	EXPECT_NE(metrics.find("xqueue_connections_closed_total{reason=\"deadline\"} "), std::string::npos) << metrics;
}


TEST_F(InboundLimitsTest, SlowBodiesAreCutOffAtTheRequestDeadline)
{
	TestClient lmsClient = loggedIn();
	Poco::Net::StreamSocket socket = connect();
	std::string head = "POST /xqueue/submit/ HTTP/1.1\r\nHost: x\r\nCookie: " + std::string("sessionid=") + lmsClient.sessionCookie() +
		"\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100000\r\n\r\n";
	socket.sendBytes(head.data(), static_cast<int>(head.size()));
	auto lasted = dripUntilClosed(socket, "xqueue_body=aaaa", std::chrono::milliseconds(100));
	EXPECT_GE(lasted, std::chrono::milliseconds(1000));
	EXPECT_LT(lasted, std::chrono::milliseconds(4000)) << "cut off near request_timeout = 1.5 s";
	TestClient grader = loggedIn("grader", "graderpass");
	EXPECT_EQ(grader.get("/xqueue/get_queuelen/?queue_name=tmp").body, "{\"return_code\": 0, \"content\": 0}") << "nothing stored";
}


TEST_F(InboundLimitsTest, IdleConnectionsAreClosed)
{
	Poco::Net::StreamSocket silent = connect();
	EXPECT_TRUE(closedByServer(silent, std::chrono::seconds(5)));

	// After a reply, an idle keep-alive connection lasts keep_alive_timeout (+ header_timeout at most).
	Poco::Net::StreamSocket kept = connect();
	std::string request = "GET /xqueue/status/ HTTP/1.1\r\nHost: x\r\n\r\n";
	kept.sendBytes(request.data(), static_cast<int>(request.size()));
	auto started = Clock::now();
	EXPECT_TRUE(closedByServer(kept, std::chrono::seconds(6)));
	EXPECT_LT(Clock::now() - started, std::chrono::seconds(4));
}


TEST_F(InboundLimitsTest, OversizedHeadersAndDeepJsonAreRefusedCleanly)
{
	TestClient client = anonymous();
	// Poco's limits: a header value up to 8192 bytes, 100 fields.
	auto raw = [&](const std::string& request) {
		Poco::Net::StreamSocket socket = connect();
		socket.sendBytes(request.data(), static_cast<int>(request.size()));
		socket.setReceiveTimeout(Poco::Timespan(5, 0));
		std::string reply;
		char buffer[4096];
		try
		{
			int n;
			while ((n = socket.receiveBytes(buffer, sizeof(buffer))) > 0) reply.append(buffer, static_cast<std::size_t>(n));
		}
		catch (Poco::Exception&)
		{
		}
		return reply.substr(0, reply.find("\r\n"));
	};
	EXPECT_EQ(raw("GET /xqueue/status/ HTTP/1.1\r\nX-Big: " + std::string(9000, 'a') + "\r\n\r\n"), "HTTP/1.1 400 Bad Request");
	std::string many = "GET /xqueue/status/ HTTP/1.1\r\n";
	for (int i = 0; i < 150; ++i) many += "X-" + std::to_string(i) + ": v\r\n";
	EXPECT_EQ(raw(many + "\r\n"), "HTTP/1.1 400 Bad Request");
	EXPECT_EQ(raw("GET /" + std::string(20000, 'a') + " HTTP/1.1\r\n\r\n"), "HTTP/1.1 400 Bad Request");
	EXPECT_EQ(raw(std::string(5000, '\x01') + "\r\n\r\n").substr(0, 12), "HTTP/1.1 400");

	TestClient lmsClient = loggedIn();
	for (int depth: {64, 1000, 100000})
	{
		std::string nested = std::string(static_cast<std::size_t>(depth), '[') + std::string(static_cast<std::size_t>(depth), ']');
		Reply reply = lmsClient.post("/xqueue/submit/", {{"xqueue_header", nested}, {"xqueue_body", nested}});
		EXPECT_EQ(reply.status, 200) << depth;
		EXPECT_EQ(reply.body, envelope(1, "Queue request has invalid format")) << depth;
		std::string objects;
		for (int i = 0; i < depth; ++i) objects += "{\"a\":";
		objects += "1" + std::string(static_cast<std::size_t>(depth), '}');
		reply = lmsClient.post("/xqueue/submit/", {{"xqueue_header", objects}, {"xqueue_body", "{}"}});
		EXPECT_EQ(reply.body, envelope(1, "Queue request has invalid format")) << depth;
	}
	EXPECT_EQ(client.get("/xqueue/status/").status, 200) << "still serving";
}


class ConnectionCapTest: public ServerFixture
{
protected:
	TestServer::Properties properties() override { return {{"xqueue.http.max_connections_per_address", "2"}}; }
};


TEST_F(ConnectionCapTest, AnAddressGetsAtMostItsShare)
{
	// Which of three connections is refused depends on timing: the harness's readiness
	// probe may still hold a place for a moment after start(). What must hold is that at
	// most two are open at any time, so exactly one of the three is closed at once and the
	// other two are served.
	Poco::Net::SocketAddress address("127.0.0.1", static_cast<Poco::UInt16>(server().port()));
	std::vector<Poco::Net::StreamSocket> sockets;
	sockets.emplace_back(address);
	sockets.emplace_back(address);
	std::this_thread::sleep_for(std::chrono::milliseconds(300));
	sockets.emplace_back(address);
	auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
	auto readable = [&]() {
		int n = 0;
		for (auto& socket: sockets) n += socket.poll(Poco::Timespan(0), Poco::Net::Socket::SELECT_READ) ? 1 : 0;
		return n;
	};
	while (readable() == 0 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(20));
	std::this_thread::sleep_for(std::chrono::milliseconds(200)); // a second refusal would show by now
	int refused = 0;
	for (auto& socket: sockets)
	{
		if (!socket.poll(Poco::Timespan(0), Poco::Net::Socket::SELECT_READ)) continue;
		EXPECT_TRUE(closedByServer(socket, std::chrono::seconds(1)));
		++refused;
	}
	EXPECT_EQ(refused, 1) << "one of the three connections is closed at once";
	for (auto& socket: sockets)
	{
		if (socket.poll(Poco::Timespan(0), Poco::Net::Socket::SELECT_READ)) continue;
		std::string request = "GET /xqueue/status/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
		socket.sendBytes(request.data(), static_cast<int>(request.size()));
		socket.setReceiveTimeout(Poco::Timespan(5, 0));
		char buffer[64] = {};
		int n = socket.receiveBytes(buffer, sizeof(buffer) - 1);
		EXPECT_EQ(std::string(buffer, static_cast<std::size_t>(std::max(n, 0))).substr(0, 15), "HTTP/1.1 200 OK") << "an admitted connection is served";
	}
	for (auto& socket: sockets) socket.close();
	std::this_thread::sleep_for(std::chrono::milliseconds(300));
	TestClient client = anonymous();
	EXPECT_EQ(client.get("/xqueue/status/").status, 200) << "served again once the others closed";
	EXPECT_NE(client.get("/metrics").body.find("xqueue_connections_closed_total{reason=\"per_address_cap\"} 1"), std::string::npos);
}


class TlsTest: public ::testing::Test
{
protected:
	void SetUp() override
	{
		if (testingMySql()) GTEST_SKIP() << "TLS does not depend on the store";
		std::string command = "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost"
			" -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout " + _dir.file("key.pem") + " -out " + _dir.file("cert.pem") + " 2>/dev/null";
		ASSERT_EQ(std::system(command.c_str()), 0);
	}

	TempDir _dir;
};


TEST_F(TlsTest, ServesHttpsWithASecureSessionCookie)
{
	TestServer server({{"xqueue.http.tls.certificate_file", _dir.file("cert.pem")}, {"xqueue.http.tls.key_file", _dir.file("key.pem")}});
	server.createUser("lms", "lmspass");
	server.start();
	Poco::Net::Context::Ptr pContext = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", _dir.file("cert.pem"),
		Poco::Net::Context::VERIFY_STRICT, 9, false);
	Poco::Net::HTTPSClientSession session("localhost", static_cast<Poco::UInt16>(server.port()), pContext);
	Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, "/xqueue/login/", Poco::Net::HTTPMessage::HTTP_1_1);
	std::string form = "username=lms&password=lmspass";
	request.setContentType("application/x-www-form-urlencoded");
	request.setContentLength(static_cast<std::streamsize>(form.size()));
	session.sendRequest(request) << form;
	Poco::Net::HTTPResponse response;
	std::string body;
	Poco::StreamCopier::copyToString(session.receiveResponse(response), body);
	EXPECT_EQ(response.getStatus(), Poco::Net::HTTPResponse::HTTP_OK);
	EXPECT_EQ(body, envelope(0, "Logged in"));
	std::string cookie = response.get("Set-Cookie", "");
	EXPECT_NE(cookie.find("; HttpOnly;"), std::string::npos) << cookie;
	EXPECT_EQ(cookie.substr(cookie.size() - 8), "; Secure") << cookie;

	// Plain HTTP on the HTTPS port gets no reply and does not hurt the server.
	TestClient plain(server.port());
	EXPECT_THROW(plain.get("/xqueue/status/"), Poco::Exception);
	Poco::Net::HTTPSClientSession again("localhost", static_cast<Poco::UInt16>(server.port()), pContext);
	Poco::Net::HTTPRequest status(Poco::Net::HTTPRequest::HTTP_GET, "/xqueue/status/", Poco::Net::HTTPMessage::HTTP_1_1);
	again.sendRequest(status);
	Poco::Net::HTTPResponse statusResponse;
	again.receiveResponse(statusResponse);
	EXPECT_EQ(statusResponse.getStatus(), Poco::Net::HTTPResponse::HTTP_OK);
}


TEST_F(TlsTest, CallbacksVerifyCertificatesUnlessTheHostIsListedAsInsecure)
{
	// The HTTPS server above stands in for an LMS with a self-signed certificate.
	TestServer server({{"xqueue.http.tls.certificate_file", _dir.file("cert.pem")}, {"xqueue.http.tls.key_file", _dir.file("key.pem")}});
	server.start();
	const std::string url = "https://localhost:" + std::to_string(server.port()) + "/xqueue/status/";

	XQueue::OutboundConnector verifying("127.0.0.0/8", "", 2);
	auto refused = XQueue::LmsClient(verifying, 2, {}).post(url, "h", "b", "m");
	EXPECT_FALSE(refused.delivered);
	EXPECT_NE(refused.error.find("certificate"), std::string::npos) << refused.error;

	XQueue::OutboundConnector insecure("127.0.0.0/8", "localhost", 2);
	auto reached = XQueue::LmsClient(insecure, 2, {}).post(url, "h", "b", "m");
	// The handshake succeeded: the server answered (403: the status page refuses POST).
	EXPECT_EQ(reached.error, "LMS answered HTTP 403");
}


} // namespace
