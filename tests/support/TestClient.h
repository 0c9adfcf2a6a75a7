// SPDX-License-Identifier: Apache-2.0
//
// TestClient.h
//
// An HTTP client for driving the server as the LMS and graders do: keep-alive,
// a sessionid cookie jar, urlencoded and multipart forms, raw requests.
//


#ifndef XQueueTest_TestClient_INCLUDED
#define XQueueTest_TestClient_INCLUDED


#include "Poco/Net/HTTPClientSession.h"
#include "Poco/Net/NameValueCollection.h"
#include <map>
#include <optional>
#include <memory>
#include <string>
#include <utility>
#include <vector>


namespace XQueueTest {


struct Reply
{
	int status = 0;
	std::string body;
	std::vector<std::pair<std::string, std::string>> headers;

	std::string header(const std::string& name) const;
	std::vector<std::string> headerValues(const std::string& name) const;
	bool hasHeader(const std::string& name) const;
};


using Fields = std::vector<std::pair<std::string, std::string>>;


struct FilePart
{
	std::string fieldName;
	std::string fileName;
	std::string content;
};


class TestClient
{
public:
	explicit TestClient(int port, const std::string& host = "127.0.0.1");

	Reply get(const std::string& target);
	Reply post(const std::string& target, const Fields& fields);
	Reply postMultipart(const std::string& target, const Fields& fields, const std::vector<FilePart>& files = {});

	static constexpr const char* MULTIPART_BOUNDARY = "xqueuetestboundary7f3a9c";
	static std::string multipartBody(const Fields& fields, const std::vector<FilePart>& files);
	Reply request(const std::string& method, const std::string& target, const std::string& body = "",
		const std::string& contentType = "", const std::vector<std::pair<std::string, std::string>>& headers = {});

	bool login(const std::string& username, const std::string& password);
		/// POST /xqueue/login/ and keep the session cookie; true on "Logged in".

	void setSessionCookie(const std::string& value);
	void clearCookies();
	std::string sessionCookie() const;
	bool hasSessionCookie() const;

	static std::string urlEncode(const Fields& fields);

private:
	Reply perform(const std::string& method, const std::string& target, const std::string& body,
		const std::string& contentType, const std::vector<std::pair<std::string, std::string>>& headers);

	std::string _host;
	int _port;
	std::unique_ptr<Poco::Net::HTTPClientSession> _pSession;
	std::optional<std::string> _sessionCookie;
};


} // namespace XQueueTest


#endif // XQueueTest_TestClient_INCLUDED
