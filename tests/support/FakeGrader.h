//
// FakeGrader.h
//
// A passive (push) grader on loopback: records every request and answers as the test
// scripts it — a status and body, after a delay — while tracking how many requests it
// was serving at once.
//


#ifndef XQueueTest_FakeGrader_INCLUDED
#define XQueueTest_FakeGrader_INCLUDED


#include "Poco/Net/HTTPServer.h"
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <vector>


namespace XQueueTest {


struct GraderRequest
{
	std::string body;
	std::string contentType;
	bool hasContentType = false;
	std::chrono::steady_clock::time_point arrived;
};


struct GraderAnswer
{
	int status = 200;
	std::string body = "{\"correct\": true, \"score\": 1, \"msg\": \"ok\"}";
	int delayMs = 0;
};


class FakeGrader
{
public:
	FakeGrader();
	~FakeGrader();

	std::string url() const;
	void answerWith(const GraderAnswer& answer);
	void answerSequence(std::deque<GraderAnswer> answers);

	std::vector<GraderRequest> requests() const;
	std::size_t count() const;
	bool waitForCount(std::size_t n, std::chrono::milliseconds timeout) const;
	int maxConcurrent() const;

	GraderAnswer next();
	void record(GraderRequest request);
	void enter();
	void leave();
	void delay(int milliseconds);
		/// Sleeps, but returns at once when the grader is being destroyed.

private:
	std::unique_ptr<Poco::Net::HTTPServer> _pServer;
	int _port = 0;
	mutable std::mutex _mutex;
	mutable std::condition_variable _changed;
	std::vector<GraderRequest> _requests;
	GraderAnswer _answer;
	std::deque<GraderAnswer> _sequence;
	int _inFlight = 0;
	int _maxInFlight = 0;
	bool _closing = false;
};


} // namespace XQueueTest


#endif // XQueueTest_FakeGrader_INCLUDED
