// SPDX-License-Identifier: Apache-2.0
//
// HttpFramingTest.cpp
//
// Strict HTTP/1.1 message framing (RFC 9112 section 6, attack finding 7): a request whose
// length a proxy in front of us could read differently is refused with 400 and its
// connection closed, and nothing after it is ever taken for a request of its own.
//


#include "ServerFixture.h"
#include "Poco/Net/StreamSocket.h"


using namespace XQueueTest;


namespace {


class HttpFramingTest: public ServerFixture
{
protected:
	// Everything the server sends until it closes the connection (or 5 s pass).
	std::string exchange(const std::string& bytes)
	{
		Poco::Net::StreamSocket socket(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(server().port())));
		socket.setReceiveTimeout(Poco::Timespan(5, 0));
		socket.sendBytes(bytes.data(), static_cast<int>(bytes.size()));
		std::string answer;
		char buffer[4096];
		try
		{
			for (int n; (n = socket.receiveBytes(buffer, sizeof(buffer))) > 0; ) answer.append(buffer, static_cast<std::size_t>(n));
			answer += "<closed>";
		}
		catch (Poco::TimeoutException&)
		{
			answer += "<still open>";
		}
		return answer;
	}

	static std::size_t responses(const std::string& answer)
	{
		std::size_t n = 0;
		for (std::size_t at = answer.find("HTTP/1.1 "); at != std::string::npos; at = answer.find("HTTP/1.1 ", at + 1)) ++n;
		return n;
	}
};


const std::string SMUGGLED = "GET /xqueue/status/ HTTP/1.1\r\nHost: x\r\n\r\n";


TEST_F(HttpFramingTest, AmbiguousLengthsAreRefusedAndTheConnectionClosed)
{
	const std::string post = "POST /xqueue/login/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n";
	for (const std::string& headers: {
		std::string("Content-Length: -5\r\n"),
		std::string("Content-Length: 5x\r\n"),
		std::string("Content-Length: +5\r\n"),
		std::string("Content-Length: 5\r\nContent-Length: 6\r\n"),
		std::string("Transfer-Encoding: gzip\r\n"),
		std::string("Transfer-Encoding: chunked, gzip\r\n"),
		std::string("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n"),
		std::string("Transfer-Encoding: chunked\r\nContent-Length: 5\r\n"),
		std::string("Transfer-Encoding:\r\n  chunked\r\n") /* folded: not chunked to Poco; found by FramingFuzzer */})
	{
		std::string answer = exchange(post + headers + "\r\n0\r\n\r\n" + SMUGGLED);
		EXPECT_EQ(answer.rfind("HTTP/1.1 400", 0), 0u) << headers << answer;
		EXPECT_EQ(responses(answer), 1u) << headers << "what followed was taken for a request:\n" << answer;
		EXPECT_NE(answer.find("<closed>"), std::string::npos) << headers << answer;
	}
	EXPECT_EQ(exchange("GET /xqueue/status/ HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").rfind("HTTP/1.1 200", 0), 0u)
		<< "equal duplicates are one length";
}


TEST_F(HttpFramingTest, AMalformedChunkSizeNeverLetsTheRestPassAsARequest)
{
	// Poco reads a malformed chunk size as the end of the body; the bytes after it were
	// then parsed as the next request on the connection.
	std::string answer = exchange("POST /xqueue/login/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
		"Transfer-Encoding: chunked\r\n\r\nzz\r\nusername=a\r\n0\r\n\r\n" + SMUGGLED);
	EXPECT_EQ(responses(answer), 1u) << answer;
	EXPECT_NE(answer.find("<closed>"), std::string::npos) << answer;
	// A well-formed chunked request is served, and its connection closed after the reply.
	answer = exchange("POST /xqueue/login/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
		"Transfer-Encoding: chunked\r\n\r\n1f\r\nusername=lms&password=lmspass&x\r\n0\r\n\r\n");
	EXPECT_NE(answer.find("Logged in"), std::string::npos) << answer;
	EXPECT_NE(answer.find("Connection: Close"), std::string::npos) << answer;
	EXPECT_NE(answer.find("<closed>"), std::string::npos) << answer;
}


TEST_F(HttpFramingTest, PipelinedRequestsAfterACompleteBodyAreStillServed)
{
	std::string answer = exchange("POST /xqueue/login/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
		"Content-Length: 29\r\n\r\nusername=lms&password=lmspass" + SMUGGLED +
		"GET /xqueue/status/ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
	EXPECT_EQ(responses(answer), 3u) << answer;
}


TEST_F(HttpFramingTest, RepliesNameOurHttpVersionNotTheClients)
{
	// The request's version used to be echoed in the status line ("HTTP/1.0 200 OK").
	std::string answer = exchange("GET /xqueue/status/ HTTP/1.0\r\nHost: x\r\n\r\n");
	EXPECT_EQ(answer.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << answer;
	EXPECT_NE(answer.find("Connection: Close"), std::string::npos) << "an HTTP/1.0 client still gets its close";
}


} // namespace
