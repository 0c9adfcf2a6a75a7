// SPDX-License-Identifier: Apache-2.0
//
// FakeLms.h
//
// An LMS callback receiver on loopback that records every delivery and answers with
// a status the test chooses, at once or after a delay (a slow or hung LMS).
//


#ifndef XQueueTest_FakeLms_INCLUDED
#define XQueueTest_FakeLms_INCLUDED


#include "ScriptedPeer.h"
#include <atomic>
#include <chrono>
#include <map>
#include <string>
#include <vector>


namespace XQueueTest {


struct Callback
{
	std::string path;
	std::string rawBody;
	std::string contentType;
	std::string authorization;
	std::map<std::string, std::string> headers; /// every request header, names lowercase
	std::map<std::string, std::string> form; /// decoded xqueue_header / xqueue_body
	int answeredStatus = 0;
	std::chrono::steady_clock::time_point arrived;
};


class FakeLms: public ScriptedPeer<Callback, int>
	/// Answers are HTTP statuses (default 200); answerWith / answerSequence script them.
{
public:
	FakeLms();
	~FakeLms() override;

	std::string callbackUrl(const std::string& suffix) const;
		/// http://127.0.0.1:<port>/courses/c1/xqueue/<suffix>/score_update

	void answerAfter(std::chrono::milliseconds delay);
		/// Holds every following answer this long after recording the callback (a slow
		/// or hung LMS).
	std::chrono::milliseconds answerDelay() const;

	std::vector<Callback> callbacks() const;

private:
	std::atomic<long long> _delayMs{0};
};


} // namespace XQueueTest


#endif // XQueueTest_FakeLms_INCLUDED
