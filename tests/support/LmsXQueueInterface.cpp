// SPDX-License-Identifier: Apache-2.0
//
// LmsXQueueInterface.cpp
//


#include "LmsXQueueInterface.h"
#include "Poco/JSON/Object.h"
#include "Poco/JSON/Parser.h"
#include "Poco/Net/HTTPRequest.h"
#include "Poco/Net/HTTPResponse.h"
#include "Poco/Net/NetException.h"
#include "Poco/StreamCopier.h"
#include "Poco/URI.h"


namespace XQueueTest {


namespace
{
	const Poco::Timespan CONNECT_TIMEOUT(3, 50000); // requests' (3.05, 10)
	const Poco::Timespan READ_TIMEOUT(10, 0);
}


LmsXQueueInterface::LmsXQueueInterface(int port, std::string username, std::string password, std::string host):
	_port(port),
	_username(std::move(username)),
	_password(std::move(password)),
	_host(std::move(host))
{
}


Reply LmsXQueueInterface::exchange(Poco::Net::HTTPClientSession& session, const std::string& method, const std::string& target,
	const std::string& body, const std::string& contentType, const std::string& cookie)
{
	Poco::Net::HTTPRequest request(method, target, Poco::Net::HTTPMessage::HTTP_1_1);
	request.setKeepAlive(true);
	if (!contentType.empty()) request.setContentType(contentType);
	if (method == "POST") request.setContentLength(static_cast<std::streamsize>(body.size()));
	if (!cookie.empty())
	{
		Poco::Net::NameValueCollection cookies;
		cookies.add("sessionid", cookie);
		request.setCookies(cookies);
	}
	session.sendRequest(request) << body;
	Poco::Net::HTTPResponse response;
	std::istream& in = session.receiveResponse(response);
	Reply reply;
	reply.status = static_cast<int>(response.getStatus());
	Poco::StreamCopier::copyToString(in, reply.body);
	for (const auto& h: response) reply.headers.emplace_back(h.first, h.second);
	return reply;
}


QueueReply LmsXQueueInterface::parse(const Reply& reply) const
{
	QueueReply result;
	if (reply.status != 200)
	{
		result.content = "unexpected HTTP status code [" + std::to_string(reply.status) + "]";
		return result;
	}
	try
	{
		Poco::JSON::Parser parser;
		auto pObject = parser.parse(reply.body).extract<Poco::JSON::Object::Ptr>();
		// A reply without both keys raises inside the LMS.
		if (!pObject->has("return_code") || !pObject->has("content"))
		{
			result.content = "error with processing your request";
			return result;
		}
		result.returnCode = pObject->getValue<int>("return_code");
		result.content = pObject->get("content").toString();
		result.queued = result.returnCode == 0;
	}
	catch (Poco::Exception&)
	{
		result.content = "error with processing your request";
	}
	return result;
}


QueueReply LmsXQueueInterface::sendToQueue(const std::string& header, const std::string& body, const std::vector<FilePart>& files)
{
	auto pSession = std::make_unique<Poco::Net::HTTPClientSession>(_host, static_cast<Poco::UInt16>(_port));
	pSession->setTimeout(CONNECT_TIMEOUT, READ_TIMEOUT, READ_TIMEOUT);
	pSession->setKeepAlive(true);
	QueueReply result;
	try
	{
		Fields fields = {{"xqueue_header", header}, {"xqueue_body", body}};
		const std::string payload = files.empty() ? TestClient::urlEncode(fields) : TestClient::multipartBody(fields, files);
		const std::string contentType = files.empty() ? "application/x-www-form-urlencoded"
			: "multipart/form-data; boundary=" + std::string(TestClient::MULTIPART_BOUNDARY);
		std::string cookie;
		for (int attempt = 0; attempt < 2; ++attempt)
		{
			Reply reply = exchange(*pSession, "POST", "/xqueue/submit/", payload, contentType, cookie);
			// requests follows a 302 as a GET (the login view then says login_required).
			if (reply.status == 302)
				reply = exchange(*pSession, "GET", Poco::URI(reply.header("Location")).getPathAndQuery(), "", "", cookie);
			result = parse(reply);
			if (attempt == 1 || result.queued || result.content != "login_required") break;
			Reply login = exchange(*pSession, "POST", "/xqueue/login/",
				TestClient::urlEncode({{"username", _username}, {"password", _password}}), "application/x-www-form-urlencoded", "");
			QueueReply loggedIn = parse(login);
			if (!loggedIn.queued)
			{
				result = loggedIn;
				break;
			}
			for (const auto& value: login.headerValues("Set-Cookie"))
			{
				if (value.rfind("sessionid=", 0) == 0) cookie = value.substr(10, value.find(';') - 10);
			}
		}
	}
	catch (Poco::Net::ConnectionRefusedException&)
	{
		result = QueueReply{false, -1, "cannot connect to server"};
	}
	catch (Poco::TimeoutException&)
	{
		result = QueueReply{false, -1, "failed to read from the server"};
	}
	catch (Poco::Exception& exc)
	{
		result = QueueReply{false, -1, "failed to read from the server (" + exc.displayText() + ")"};
	}
	std::lock_guard<std::mutex> lock(_mutex);
	_sessions.push_back(std::move(pSession));
	return result;
}


std::size_t LmsXQueueInterface::openSessions() const
{
	std::lock_guard<std::mutex> lock(_mutex);
	return _sessions.size();
}


} // namespace XQueueTest
