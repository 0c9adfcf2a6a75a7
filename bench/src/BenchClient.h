// SPDX-License-Identifier: Apache-2.0
//
// BenchClient.h
//
// One keep-alive HTTP connection with a session cookie, as one LMS or grader thread
// holds it. Minimal on purpose: the load generator must cost less than the server.
//


#ifndef XQueueBench_BenchClient_INCLUDED
#define XQueueBench_BenchClient_INCLUDED


#include "Poco/Net/HTTPClientSession.h"
#include <string>
#include <utility>
#include <vector>


namespace XQueueBench {


class BenchClient
{
public:
	explicit BenchClient(int port);

	bool login(const std::string& user, const std::string& password);

	int lastStatus() const;
	std::string lastLocation() const; /// the Location header of the last reply
	std::string get(const std::string& target);
	std::string post(const std::string& target, const std::vector<std::pair<std::string, std::string>>& fields);
	std::string postFiles(const std::string& target, const std::vector<std::pair<std::string, std::string>>& fields,
		const std::vector<std::pair<std::string, std::string>>& files);
		/// multipart/form-data as the LMS sends it: file parts named after the file.

private:
	std::string perform(const std::string& method, const std::string& target, const std::string& body,
		const std::string& contentType = "application/x-www-form-urlencoded");

	Poco::Net::HTTPClientSession _session;
	std::string _cookie;
	int _lastStatus = 0;
	std::string _lastLocation;
};


} // namespace XQueueBench


#endif // XQueueBench_BenchClient_INCLUDED
