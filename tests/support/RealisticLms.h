// SPDX-License-Identifier: Apache-2.0
//
// RealisticLms.h
//
// An Open edX LMS as the server meets it, for integration tests: students submit to a
// queue through LmsXQueueInterface (fresh session per submission, never closed, login
// every time), the LMS saves each submission's key only after its own request has ended
// (plus saveDelay, which the test varies: the LMS's request goes on after xqueue's reply),
// and grades arrive at LmsCallbackView, which applies or drops them as the LMS would.
//


#ifndef XQueueTest_RealisticLms_INCLUDED
#define XQueueTest_RealisticLms_INCLUDED


#include "LmsCallbackView.h"
#include "LmsXQueueInterface.h"
#include <atomic>
#include <chrono>
#include <string>
#include <vector>


namespace XQueueTest {


class RealisticLms
{
public:
	RealisticLms(int xqueuePort, const std::string& username, const std::string& password);

	void setSaveDelay(std::chrono::milliseconds delay);
		/// Time between xqueue's reply to the submit and the LMS saving the key.

	QueueReply submit(const std::string& queue, const std::string& studentResponse = "print('hello')",
		const std::vector<FilePart>& files = {});
		/// One student's submission of one problem (a new student and problem each time).

	LmsCallbackView& view();
	LmsXQueueInterface& xqueue();
	std::string callbackPrefix() const;
		/// http://127.0.0.1:<port>/courses/ (for xqueue-admin user callbacks)

private:
	LmsXQueueInterface _interface;
	LmsCallbackView _view;
	std::atomic<long long> _saveDelayMs{0};
	std::atomic<int> _students{0};
};


} // namespace XQueueTest


#endif // XQueueTest_RealisticLms_INCLUDED
