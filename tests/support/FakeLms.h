//
// FakeLms.h
//
// An LMS callback receiver on loopback that records every delivery and answers with
// a status the test chooses (or closes the connection, to play "LMS down").
//


#ifndef XQueueTest_FakeLms_INCLUDED
#define XQueueTest_FakeLms_INCLUDED


#include "Poco/Net/HTTPServer.h"
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>


namespace XQueueTest {


struct Callback
{
	std::string path;
	std::string rawBody;
	std::string contentType;
	std::string authorization;
	std::map<std::string, std::string> form; /// decoded xqueue_header / xqueue_body
	int answeredStatus = 0;
};


class FakeLms
{
public:
	FakeLms();
	~FakeLms();

	int port() const;
	std::string callbackUrl(const std::string& suffix) const;
		/// http://127.0.0.1:<port>/courses/c1/xqueue/<suffix>/score_update

	void answerWith(int status);
		/// HTTP status for every following callback (default 200).
	void answerSequence(std::deque<int> statuses);
		/// Statuses for the next callbacks, then back to the default.
	void answerAfter(std::chrono::milliseconds delay);
		/// Holds every following answer this long after recording the callback (a slow
		/// or hung LMS).

	void holdAnswer();

	std::vector<Callback> callbacks() const;
	std::size_t count() const;
	bool waitForCount(std::size_t n, std::chrono::milliseconds timeout) const;

	int nextStatus();
	void record(Callback callback);
	bool enter();
		/// False once the fake is being destroyed.
	void leave();

private:
	std::unique_ptr<Poco::Net::HTTPServer> _pServer;
	int _port = 0;
	mutable std::mutex _mutex;
	mutable std::condition_variable _changed;
	std::vector<Callback> _callbacks;
	int _status = 200;
	std::chrono::milliseconds _delay{0};
	std::deque<int> _sequence;
	int _active = 0;
	bool _closing = false;
};


} // namespace XQueueTest


#endif // XQueueTest_FakeLms_INCLUDED
