// SPDX-License-Identifier: Apache-2.0
//
// LmsCallbackView.h
//
// The LMS's receiving side (clients.md 3.2): edx-platform's xqueue_callback view and
// CodeResponse.update_score, with their checks in their order and their answers —
// 404 for a path, field or header that does not fit, 500 for a header that is not JSON or
// a score that is not a number, 200 for everything else. A grade is applied only if its
// lms_key equals the key the LMS has saved for that problem, and the LMS saves a key only
// when its own submit request has ended (plus a delay the test chooses); a grade that
// arrives earlier is dropped as "key mismatch", as the real LMS drops it.
//


#ifndef XQueueTest_LmsCallbackView_INCLUDED
#define XQueueTest_LmsCallbackView_INCLUDED


#include "ScriptedPeer.h"
#include <chrono>
#include <map>
#include <string>


namespace XQueueTest {


struct CallbackVerdict
{
	int status = 200;
	std::string outcome; /// applied, key mismatch, invalid grader reply, unknown problem, ...
	std::string problem; /// user/usage of the problem, when known
	std::string grade;   /// xqueue_body as received
};


class LmsCallbackView: public ScriptedPeer<CallbackVerdict, int>
{
public:
	using Clock = std::chrono::steady_clock;

	LmsCallbackView();
	~LmsCallbackView() override;

	std::string callbackUrl(const std::string& userId, const std::string& usageId) const;

	void expect(const std::string& userId, const std::string& usageId);
		/// A problem exists (its key not saved yet): callbacks for it are no longer 404.

	void saveKey(const std::string& userId, const std::string& usageId, const std::string& key, Clock::time_point at);
		/// The LMS's request ended: from at on, the problem's key is this one.

	std::size_t outcomes(const std::string& outcome) const;
		/// Callbacks judged so far with this outcome (waitForCount waits for judged ones).

	CallbackVerdict judge(const std::string& path, const std::map<std::string, std::string>& form);
		/// What the view does with one callback (the request handler's work).

private:
	struct Problem
	{
		std::string savedKey;
		std::string nextKey;
		Clock::time_point savedFrom = Clock::time_point::max();
		bool graded = false;
	};

	mutable std::mutex _problemsMutex;
	std::map<std::string, Problem> _problems; /// by user id + "/" + usage id
};


} // namespace XQueueTest


#endif // XQueueTest_LmsCallbackView_INCLUDED
