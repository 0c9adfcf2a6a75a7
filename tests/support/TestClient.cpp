// SPDX-License-Identifier: Apache-2.0
//
// TestClient.cpp
//


#include "TestClient.h"
#include "Poco/Net/HTTPRequest.h"
#include "Poco/Net/HTTPResponse.h"
#include "Poco/Net/NetException.h"
#include "Poco/String.h"
#include "Poco/StreamCopier.h"
#include "Poco/Timespan.h"


namespace XQueueTest {


std::string Reply::header(const std::string& name) const
{
	for (const auto& h: headers)
	{
		if (Poco::icompare(h.first, name) == 0) return h.second;
	}
	return std::string();
}


std::vector<std::string> Reply::headerValues(const std::string& name) const
{
	std::vector<std::string> values;
	for (const auto& h: headers)
	{
		if (Poco::icompare(h.first, name) == 0) values.push_back(h.second);
	}
	return values;
}


bool Reply::hasHeader(const std::string& name) const
{
	for (const auto& h: headers)
	{
		if (Poco::icompare(h.first, name) == 0) return true;
	}
	return false;
}


TestClient::TestClient(int port, const std::string& host):
	_host(host),
	_port(port)
{
}


std::string TestClient::urlEncode(const Fields& fields)
{
	static const char HEX[] = "0123456789ABCDEF";
	std::string out;
	for (const auto& field: fields)
	{
		if (!out.empty()) out += '&';
		for (int part = 0; part < 2; ++part)
		{
			const std::string& text = part == 0 ? field.first : field.second;
			for (unsigned char c: text)
			{
				if (std::isalnum(c) || c == '_' || c == '.' || c == '-' || c == '~') out += static_cast<char>(c);
				else if (c == ' ') out += '+';
				else
				{
					out += '%';
					out += HEX[c >> 4];
					out += HEX[c & 0xF];
				}
			}
			if (part == 0) out += '=';
		}
	}
	return out;
}


Reply TestClient::get(const std::string& target)
{
	return request("GET", target);
}


Reply TestClient::post(const std::string& target, const Fields& fields)
{
	return request("POST", target, urlEncode(fields), "application/x-www-form-urlencoded");
}


Reply TestClient::postMultipart(const std::string& target, const Fields& fields, const std::vector<FilePart>& files)
{
	return request("POST", target, multipartBody(fields, files), "multipart/form-data; boundary=" + std::string(MULTIPART_BOUNDARY));
}


std::string TestClient::multipartBody(const Fields& fields, const std::vector<FilePart>& files)
{
	// The LMS's shape: text parts without Content-Type, file parts named after the file.
	const std::string boundary = MULTIPART_BOUNDARY;
	std::string body;
	for (const auto& field: fields)
	{
		body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field.first + "\"\r\n\r\n" + field.second + "\r\n";
	}
	for (const auto& file: files)
	{
		body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + file.fieldName + "\"; filename=\"" + file.fileName + "\"\r\n\r\n" + file.content + "\r\n";
	}
	body += "--" + boundary + "--\r\n";
	return body;
}


Reply TestClient::request(const std::string& method, const std::string& target, const std::string& body,
	const std::string& contentType, const std::vector<std::pair<std::string, std::string>>& headers)
{
	try
	{
		return perform(method, target, body, contentType, headers);
	}
	catch (Poco::Net::NetException&)
	{
		// A kept-alive connection the server closed: retry once on a fresh one.
		_pSession.reset();
		return perform(method, target, body, contentType, headers);
	}
	catch (Poco::IOException&)
	{
		_pSession.reset();
		return perform(method, target, body, contentType, headers);
	}
}


Reply TestClient::perform(const std::string& method, const std::string& target, const std::string& body,
	const std::string& contentType, const std::vector<std::pair<std::string, std::string>>& headers)
{
	if (!_pSession)
	{
		_pSession = std::make_unique<Poco::Net::HTTPClientSession>(_host, static_cast<Poco::UInt16>(_port));
		_pSession->setTimeout(Poco::Timespan(30, 0));
		_pSession->setKeepAlive(true);
	}
	Poco::Net::HTTPRequest request(method, target, Poco::Net::HTTPMessage::HTTP_1_1);
	request.setKeepAlive(true);
	if (!contentType.empty()) request.setContentType(contentType);
	bool chunked = false;
	for (const auto& h: headers) chunked = chunked || Poco::icompare(h.first, "Transfer-Encoding") == 0;
	// Never both framings at once (the server refuses that as ambiguous, RFC 9112 6.1).
	if (!chunked && (!body.empty() || method == "POST")) request.setContentLength(static_cast<std::streamsize>(body.size()));
	if (_sessionCookie)
	{
		Poco::Net::NameValueCollection cookies;
		cookies.add("sessionid", *_sessionCookie);
		request.setCookies(cookies);
	}
	for (const auto& h: headers) request.add(h.first, h.second);
	std::ostream& out = _pSession->sendRequest(request);
	out << body;

	Poco::Net::HTTPResponse response;
	std::istream& in = _pSession->receiveResponse(response);
	Reply reply;
	reply.status = static_cast<int>(response.getStatus());
	if (method != "HEAD") Poco::StreamCopier::copyToString(in, reply.body);
	for (const auto& h: response) reply.headers.emplace_back(h.first, h.second);
	for (const auto& cookie: reply.headerValues("Set-Cookie"))
	{
		if (cookie.rfind("sessionid=", 0) != 0) continue;
		std::string value = cookie.substr(10, cookie.find(';') - 10);
		if (value == "\"\"") _sessionCookie.reset();
		else _sessionCookie = value;
	}
	if (!response.getKeepAlive()) _pSession.reset();
	return reply;
}


bool TestClient::login(const std::string& username, const std::string& password)
{
	Reply reply = post("/xqueue/login/", {{"username", username}, {"password", password}});
	return reply.status == 200 && reply.body == "{\"return_code\": 0, \"content\": \"Logged in\"}";
}


void TestClient::setSessionCookie(const std::string& value)
{
	_sessionCookie = value;
}


void TestClient::clearCookies()
{
	_sessionCookie.reset();
}


std::string TestClient::sessionCookie() const
{
	return _sessionCookie.value_or("");
}


bool TestClient::hasSessionCookie() const
{
	return _sessionCookie.has_value();
}


} // namespace XQueueTest
