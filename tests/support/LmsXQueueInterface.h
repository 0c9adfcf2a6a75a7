// SPDX-License-Identifier: Apache-2.0
//
// LmsXQueueInterface.h
//
// The LMS's side of submitting, as edx-platform's XQueueInterface does it (clients.md
// 3.1), not as a careful client would: every submission is its own LMS request with a
// fresh HTTP session that is never closed; the first submit carries no cookie, so it is
// redirected to the login page (followed as a GET, which answers "login_required"), then
// the LMS logs in and submits once more: four requests per submission. Connect timeout
// 3.05 s, read timeout 10 s; errors are the LMS's own texts.
//


#ifndef XQueueTest_LmsXQueueInterface_INCLUDED
#define XQueueTest_LmsXQueueInterface_INCLUDED


#include "TestClient.h"
#include "Poco/Net/HTTPClientSession.h"
#include <memory>
#include <mutex>
#include <string>
#include <vector>


namespace XQueueTest {


struct QueueReply
{
	bool queued = false;   /// return_code 0
	int returnCode = -1;
	std::string content;   /// the envelope's content, or the LMS's error text
};


class LmsXQueueInterface
{
public:
	LmsXQueueInterface(int port, std::string username, std::string password, std::string host = "127.0.0.1");

	QueueReply sendToQueue(const std::string& header, const std::string& body, const std::vector<FilePart>& files = {});
		/// One LMS submission. Its session is kept open afterwards (the LMS never closes it).

	std::size_t openSessions() const;

private:
	Reply exchange(Poco::Net::HTTPClientSession& session, const std::string& method, const std::string& target,
		const std::string& body, const std::string& contentType, const std::string& cookie);
	QueueReply parse(const Reply& reply) const;

	int _port;
	std::string _username;
	std::string _password;
	std::string _host;
	mutable std::mutex _mutex;
	std::vector<std::unique_ptr<Poco::Net::HTTPClientSession>> _sessions; /// never closed, like the LMS's
};


} // namespace XQueueTest


#endif // XQueueTest_LmsXQueueInterface_INCLUDED
