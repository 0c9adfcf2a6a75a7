// SPDX-License-Identifier: Apache-2.0
//
// BenchClient.cpp
//


#include "BenchClient.h"
#include "Poco/Net/HTTPRequest.h"
#include "Poco/Net/HTTPResponse.h"
#include "Poco/StreamCopier.h"
#include "Poco/URI.h"


namespace XQueueBench {


BenchClient::BenchClient(int port):
	_session("127.0.0.1", static_cast<Poco::UInt16>(port))
{
	_session.setKeepAlive(true);
	_session.setTimeout(Poco::Timespan(30, 0));
}


std::string BenchClient::perform(const std::string& method, const std::string& target, const std::string& body,
	const std::string& contentType)
{
	Poco::Net::HTTPRequest request(method, target, Poco::Net::HTTPMessage::HTTP_1_1);
	request.setKeepAlive(true);
	if (!_cookie.empty()) request.set("Cookie", "sessionid=" + _cookie);
	if (method == Poco::Net::HTTPRequest::HTTP_POST)
	{
		request.setContentType(contentType);
		request.setContentLength(static_cast<std::streamsize>(body.size()));
	}
	_session.sendRequest(request) << body;
	Poco::Net::HTTPResponse response;
	std::istream& in = _session.receiveResponse(response);
	std::string reply;
	Poco::StreamCopier::copyToString(in, reply);
	_lastStatus = static_cast<int>(response.getStatus());
	_lastLocation = response.get("Location", "");
	for (const auto& header: response)
	{
		if (header.first == "Set-Cookie" && header.second.rfind("sessionid=", 0) == 0)
			_cookie = header.second.substr(10, header.second.find(';') - 10);
	}
	return reply;
}


int BenchClient::lastStatus() const
{
	return _lastStatus;
}


std::string BenchClient::lastLocation() const
{
	return _lastLocation;
}


bool BenchClient::login(const std::string& user, const std::string& password)
{
	return post("/xqueue/login/", {{"username", user}, {"password", password}}).find("Logged in") != std::string::npos;
}


std::string BenchClient::get(const std::string& target)
{
	return perform(Poco::Net::HTTPRequest::HTTP_GET, target, "");
}


std::string BenchClient::post(const std::string& target, const std::vector<std::pair<std::string, std::string>>& fields)
{
	std::string body;
	for (const auto& field: fields)
	{
		if (!body.empty()) body += '&';
		std::string value;
		Poco::URI::encode(field.second, "!#$&'()*+,/:;=?@[]", value);
		body += field.first + "=" + value;
	}
	return perform(Poco::Net::HTTPRequest::HTTP_POST, target, body);
}


std::string BenchClient::postFiles(const std::string& target, const std::vector<std::pair<std::string, std::string>>& fields,
	const std::vector<std::pair<std::string, std::string>>& files)
{
	const std::string boundary = "xqueuebenchboundary5e1d";
	std::string body;
	for (const auto& field: fields)
		body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field.first + "\"\r\n\r\n" + field.second + "\r\n";
	for (const auto& file: files)
		body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + file.first + "\"; filename=\"" + file.first + "\"\r\n\r\n" +
			file.second + "\r\n";
	body += "--" + boundary + "--\r\n";
	return perform(Poco::Net::HTTPRequest::HTTP_POST, target, body, "multipart/form-data; boundary=" + boundary);
}


} // namespace XQueueBench
