// SPDX-License-Identifier: Apache-2.0
//
// RealisticLms.cpp
//


#include "RealisticLms.h"
#include "Poco/MD5Engine.h"
#include "Poco/Timestamp.h"


namespace XQueueTest {


namespace
{
	std::string jsonString(const std::string& text)
	{
		std::string out = "\"";
		for (char c: text)
		{
			if (c == '"' || c == '\\') out += '\\';
			if (c == '\n') { out += "\\n"; continue; }
			out += c;
		}
		return out + "\"";
	}
}


RealisticLms::RealisticLms(int xqueuePort, const std::string& username, const std::string& password):
	_interface(xqueuePort, username, password)
{
}


void RealisticLms::setSaveDelay(std::chrono::milliseconds delay)
{
	_saveDelayMs = delay.count();
}


QueueReply RealisticLms::submit(const std::string& queue, const std::string& studentResponse, const std::vector<FilePart>& files)
{
	const int student = ++_students;
	const std::string userId = std::to_string(student);
	const std::string usageId = "block-v1:Org+C101+2024+type@problem+block@" + std::to_string(1000 + student);
	// lms_key: md5 of seed + qtime + anonymous id + answer id, as CodeResponse makes it.
	Poco::MD5Engine md5;
	md5.update(std::to_string(student) + std::to_string(Poco::Timestamp().epochMicroseconds()) + "anon" + userId + usageId);
	const std::string key = Poco::DigestEngine::digestToHex(md5.digest());
	const std::string header = "{\"lms_callback_url\": " + jsonString(_view.callbackUrl(userId, usageId)) +
		", \"lms_key\": \"" + key + "\", \"queue_name\": " + jsonString(queue) + "}";
	const std::string studentInfo = "{\"anonymous_student_id\": \"anon" + userId + "\", \"submission_time\": \"20261206120000\", \"random_seed\": 1}";
	const std::string body = "{\"grader_payload\": \"\\n{\\\"grader\\\": \\\"ps1/grade.py\\\"}\\n\", \"student_info\": " +
		jsonString(studentInfo) + ", \"student_response\": " + jsonString(studentResponse) + "}";
	_view.expect(userId, usageId);
	QueueReply reply = _interface.sendToQueue(header, body, files);
	// The LMS's request ends after xqueue answered; only then is the key saved.
	if (reply.queued)
		_view.saveKey(userId, usageId, key, LmsCallbackView::Clock::now() + std::chrono::milliseconds(_saveDelayMs.load()));
	return reply;
}


LmsCallbackView& RealisticLms::view()
{
	return _view;
}


LmsXQueueInterface& RealisticLms::xqueue()
{
	return _interface;
}


std::string RealisticLms::callbackPrefix() const
{
	return "http://127.0.0.1:" + std::to_string(_view.port()) + "/courses/";
}


} // namespace XQueueTest
