// SPDX-License-Identifier: Apache-2.0
//
// RequestCompletenessTest.cpp
//
// When a request read ahead is ready for a request thread: all of it there (head and
// body), or a body the thread must read as it comes, or malformed framing it answers at
// once; never while a client is still dripping a small request.
//


#include "http/RequestCompleteness.h"
#include <gtest/gtest.h>
#include <string>


using XQueue::RequestCompleteness;
using Verdict = RequestCompleteness::Verdict;


namespace {


Verdict verdict(const std::string& bytes, std::size_t readAhead = 1000)
{
	return RequestCompleteness::assess(bytes, readAhead).verdict;
}


const std::string POST = "POST /xqueue/login/ HTTP/1.1\r\nHost: x\r\n";


TEST(RequestCompletenessTest, AHeadIsCompleteAtItsEmptyLine)
{
	EXPECT_EQ(verdict(""), Verdict::INCOMPLETE);
	EXPECT_EQ(verdict("\r\n"), Verdict::INCOMPLETE);
	EXPECT_EQ(verdict("GET /xqueue/status/ HTTP/1.1\r\nHost: x\r\n"), Verdict::INCOMPLETE);
	EXPECT_FALSE(RequestCompleteness::assess("GET / HTTP/1.1\r\nHost: x\r\n", 1000).headComplete);
	EXPECT_EQ(verdict("GET /xqueue/status/ HTTP/1.1\r\nHost: x\r\n\r\n"), Verdict::COMPLETE);
	EXPECT_EQ(verdict("\r\nGET /xqueue/status/ HTTP/1.1\nHost: x\n\n"), Verdict::COMPLETE) << "bare LF, as Poco reads it";
	EXPECT_TRUE(RequestCompleteness::assess("GET / HTTP/1.1\r\nHost: x\r\n\r\n", 1000).headComplete);
	std::string longHead = "GET / HTTP/1.1\r\n";
	while (longHead.size() < RequestCompleteness::MAX_HEAD_BYTES) longHead += "X: " + std::string(4000, 'a') + "\r\n";
	EXPECT_EQ(verdict(longHead), Verdict::STREAMED) << "a head too long to wait for is the thread's to refuse";
	// What Poco refuses at once is answered at once (400), whatever may follow.
	EXPECT_EQ(verdict(std::string(5000, '\x01')), Verdict::COMPLETE) << "method longer than 32";
	EXPECT_EQ(verdict("GET /" + std::string(20000, 'a')), Verdict::COMPLETE) << "URI longer than 16384";
	EXPECT_EQ(verdict("GET / HTTP/1.1\r\nX: " + std::string(9000, 'a')), Verdict::COMPLETE) << "value longer than 8192";
	EXPECT_EQ(verdict("GET / HTTP/1.1\r\nX: " + std::string(8192, 'a')), Verdict::INCOMPLETE);
	EXPECT_EQ(verdict("GET / HTTP/1.1\r\n" + std::string(300, 'X')), Verdict::COMPLETE) << "name longer than 256";
	std::string manyFields = "GET / HTTP/1.1\r\n";
	for (int i = 0; i < 101; ++i) manyFields += "X: v\r\n";
	EXPECT_EQ(verdict(manyFields), Verdict::COMPLETE) << "more than 100 fields";
}


TEST(RequestCompletenessTest, ABodyIsWaitedForUpToTheReadAhead)
{
	EXPECT_EQ(verdict(POST + "Content-Length: 5\r\n\r\nabcd"), Verdict::INCOMPLETE);
	EXPECT_TRUE(RequestCompleteness::assess(POST + "Content-Length: 5\r\n\r\nabcd", 1000).headComplete);
	EXPECT_EQ(verdict(POST + "content-length:  5\r\n\r\nabcde"), Verdict::COMPLETE);
	EXPECT_EQ(verdict(POST + "Content-Length: 5\r\n\r\nabcde"), Verdict::COMPLETE);
	EXPECT_EQ(verdict(POST + "Content-Length: 5\r\n\r\nabcdeGET / HTTP/1.1\r\n"), Verdict::COMPLETE) << "the next request waits its turn";
	EXPECT_EQ(verdict(POST + "Content-Length: 1001\r\n\r\n"), Verdict::STREAMED) << "larger than the read-ahead";
	EXPECT_EQ(verdict(POST + "Content-Length: 1000\r\n\r\n" + std::string(999, 'a')), Verdict::INCOMPLETE);
	EXPECT_EQ(verdict(POST + "Expect: 100-continue\r\nContent-Length: 5\r\n\r\n"), Verdict::STREAMED) << "the client waits for 100";
	EXPECT_EQ(verdict(POST + "Expect: 100-continue\r\nContent-Length: 5\r\n\r\nabcde"), Verdict::COMPLETE);
}


TEST(RequestCompletenessTest, ChunkedBodiesAreCompleteAtTheirLastChunk)
{
	const std::string chunked = POST + "Transfer-Encoding: chunked\r\n\r\n";
	EXPECT_EQ(verdict(chunked), Verdict::INCOMPLETE);
	EXPECT_EQ(verdict(chunked + "5\r\nab"), Verdict::INCOMPLETE);
	EXPECT_EQ(verdict(chunked + "5\r\nabcde\r\n"), Verdict::INCOMPLETE);
	EXPECT_EQ(verdict(chunked + "5\r\nabcde\r\n0\r\n"), Verdict::INCOMPLETE) << "the trailer section has not ended";
	EXPECT_EQ(verdict(chunked + "5\r\nabcde\r\n0\r\n\r\n"), Verdict::COMPLETE);
	EXPECT_EQ(verdict(chunked + "A;x=y\r\n0123456789\r\n0\r\nX-T: 1\r\n\r\n"), Verdict::COMPLETE);
	EXPECT_EQ(verdict(chunked + "zz\r\n"), Verdict::COMPLETE) << "malformed: answered at once";
	EXPECT_EQ(verdict(chunked + "5\r\nabcdeXX\r\n"), Verdict::COMPLETE) << "malformed: answered at once";
	EXPECT_EQ(verdict(chunked + "3e8\r\n" + std::string(1000, 'a')), Verdict::STREAMED) << "larger than the read-ahead";
}


TEST(RequestCompletenessTest, AmbiguousFramingIsAnsweredAtOnce)
{
	for (const std::string& headers: {std::string("Content-Length: 5\r\nContent-Length: 6\r\n"), std::string("Content-Length: -5\r\n"),
		std::string("Transfer-Encoding: gzip\r\n"), std::string("Transfer-Encoding: chunked\r\nContent-Length: 5\r\n"),
		std::string("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n"), std::string("Transfer-Encoding:\r\n  chunked\r\n"),
		std::string("Content-Length: 5 \r\n")})
		EXPECT_EQ(verdict(POST + headers + "\r\n"), Verdict::COMPLETE) << headers;
	EXPECT_EQ(verdict(POST + "Content-Length: 5\r\nContent-Length: 5\r\n\r\nab"), Verdict::INCOMPLETE) << "equal duplicates are one length";
}


} // namespace
