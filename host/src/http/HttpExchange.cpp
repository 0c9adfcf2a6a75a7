// SPDX-License-Identifier: Apache-2.0
//
// HttpExchange.cpp
//


#include "http/HttpExchange.h"
#include "http/FormReader.h"
#include "protocol/PythonJson.h"
#include "util/LogText.h"
#include "Poco/Net/HTMLForm.h"
#include "Poco/Net/NameValueCollection.h"
#include "Poco/Net/NetException.h"
#include "Poco/String.h"
#include "Poco/URI.h"


namespace XQueue {




namespace
{
	const std::string CONTENT_TYPE_HTML = "text/html; charset=utf-8";

}


HttpExchange::HttpExchange(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response, const HttpSettings& settings):
	_request(request),
	_response(response),
	_settings(settings)
{
}


const std::string& HttpExchange::method() const
{
	return _request.getMethod();
}


bool HttpExchange::isMethod(const std::string& m) const
{
	return _request.getMethod() == m;
}


bool HttpExchange::isSafeMethod() const
{
	const std::string& m = _request.getMethod();
	return m == "GET" || m == "HEAD" || m == "OPTIONS" || m == "TRACE";
}


std::string HttpExchange::rawPath() const
{
	const std::string& target = _request.getURI();
	auto end = target.find_first_of("?#");
	return target.substr(0, end);
}


std::string HttpExchange::rawQuery() const
{
	const std::string& target = _request.getURI();
	auto question = target.find('?');
	if (question == std::string::npos) return std::string();
	auto hash = target.find('#', question);
	return target.substr(question + 1, hash == std::string::npos ? std::string::npos : hash - question - 1);
}


std::optional<std::string> HttpExchange::queryParameter(const std::string& name) const
{
	Poco::Net::HTMLForm query;
	query.setFieldLimit(_settings.maxFormFields);
	try
	{
		query.read(rawQuery());
	}
	catch (Poco::LogicException&)
	{
		throw MalformedRequestException("Malformed query string"); // an assertion's text names a source file
	}
	catch (Poco::Exception& exc)
	{
		throw MalformedRequestException("Malformed query string: " + exc.message());
	}
	std::optional<std::string> value;
	for (const auto& entry: query)
	{
		if (entry.first == name) value = entry.second;
	}
	return value;
}


bool HttpExchange::requestHasBody() const
{
	return _request.getChunkedTransferEncoding() || (_request.hasContentLength() && _request.getContentLength64() > 0);
}


void HttpExchange::checkDeclaredLength()
{
	if (declaresTooLargeBody())
		throw RequestTooLargeException(bodyLimitMessage()); // not read: the connection is closed after the reply
}


std::string HttpExchange::bodyLimitMessage() const
{
	return FormReader::bodyLimitMessage(_settings.maxBodyBytes);
}


const FormData& HttpExchange::form(Poco::Net::PartHandler* pFileParts)
{
	if (_form) return *_form;
	FormData data;
	if (requestHasBody())
	{
		checkDeclaredLength();
		FormLimits limits{_settings.maxBodyBytes, _settings.maxFormFields, _settings.maxFieldBytes};
		data = FormReader::read(_request.stream(), _request.getContentType(), limits, pFileParts);
		_bodyConsumed = true; // only now: a body left half-read must not be taken for the next request
	}
	_form = std::move(data);
	return *_form;
}


std::string HttpExchange::clientAddress() const
{
	if (_settings.trustXRealIp && _settings.trustXRealIpFrom.contains(socketAddress()))
	{
		std::string real = Poco::trim(_request.get("X-Real-IP", ""));
		if (!real.empty()) return real.substr(0, 128);
	}
	return _request.clientAddress().host().toString();
}


Poco::Net::IPAddress HttpExchange::socketAddress() const
{
	return _request.clientAddress().host();
}


std::optional<std::string> HttpExchange::cookie(const std::string& name) const
{
	Poco::Net::NameValueCollection cookies;
	_request.getCookies(cookies);
	if (!cookies.has(name)) return std::nullopt;
	return cookies.get(name);
}


void HttpExchange::addHeader(const std::string& name, const std::string& value)
{
	_extraHeaders.emplace_back(name, value);
}


void HttpExchange::varyOnCookie()
{
	for (const auto& header: _extraHeaders)
	{
		if (header.first == "Vary") return;
	}
	addHeader("Vary", "Cookie");
}


void HttpExchange::prepareResponse(Poco::Net::HTTPResponse::HTTPStatus status)
{
	_response.setStatusAndReason(status);
	for (const auto& header: _extraHeaders) _response.add(header.first, header.second);
	// A body we did not read would be parsed as the next request: close instead.
	if (requestHasBody() && !_bodyConsumed) _response.setKeepAlive(false);
	_sent = true;
}


void HttpExchange::sendEnvelope(int returnCode, std::string_view content, Poco::Net::HTTPResponse::HTTPStatus status)
{
	std::string body = "{\"return_code\": " + std::to_string(returnCode) + ", \"content\": ";
	PythonJson::appendQuoted(body, content);
	body += '}';
	sendBody(status, CONTENT_TYPE_HTML, body);
}


void HttpExchange::sendEnvelope(int returnCode, long long content)
{
	sendBody(Poco::Net::HTTPResponse::HTTP_OK, CONTENT_TYPE_HTML,
		"{\"return_code\": " + std::to_string(returnCode) + ", \"content\": " + std::to_string(content) + "}");
}


void HttpExchange::sendBody(Poco::Net::HTTPResponse::HTTPStatus status, const std::string& contentType, const std::string& body)
{
	prepareResponse(status);
	_response.setContentType(contentType);
	_response.sendBuffer(body.data(), body.size());
}


void HttpExchange::sendRedirect(Poco::Net::HTTPResponse::HTTPStatus status, const std::string& location)
{
	_response.set("Location", location);
	_response.setContentType(CONTENT_TYPE_HTML);
	prepareResponse(status);
	_response.sendBuffer("", 0);
}


std::ostream& HttpExchange::sendStream(const std::string& contentType, Poco::UInt64 contentLength)
{
	prepareResponse(Poco::Net::HTTPResponse::HTTP_OK);
	_response.setContentType(contentType);
	_response.setContentLength64(static_cast<Poco::Int64>(contentLength));
	return _response.send();
}


std::string HttpExchange::header(const std::string& name) const
{
	return _request.get(name, "");
}


std::string HttpExchange::hostHeader() const
{
	return _request.get(Poco::Net::HTTPRequest::HOST, "");
}


int HttpExchange::status() const
{
	return _sent ? static_cast<int>(_response.getStatus()) : 0;
}


void HttpExchange::setUser(const SessionUser& user)
{
	_user = user;
}


const SessionUser* HttpExchange::user() const
{
	return _user ? &*_user : nullptr;
}


const UserAccess& HttpExchange::access() const
{
	static const UserAccess NOTHING{Role::NONE, {}};
	return _user ? _user->access : NOTHING;
}


void HttpExchange::annotate(const std::string& name, const std::string& value)
{
	_annotations.emplace_back(name, LogText::escape(value)); // a queue name is the client's text
}


const std::vector<std::pair<std::string, std::string>>& HttpExchange::annotations() const
{
	return _annotations;
}


bool HttpExchange::bodyUnread() const
{
	return requestHasBody() && !_bodyConsumed;
}


bool HttpExchange::responseSent() const
{
	return _sent;
}


bool HttpExchange::declaresTooLargeBody() const
{
	return _request.hasContentLength() && _request.getContentLength64() > static_cast<Poco::Int64>(_settings.maxBodyBytes);
}


void HttpExchange::discardBody(std::size_t maxBytes)
{
	std::istream& stream = _request.stream();
	char buffer[65536];
	std::size_t total = 0;
	try
	{
		while (total < maxBytes && (stream.read(buffer, sizeof(buffer)) || stream.gcount() > 0))
			total += static_cast<std::size_t>(stream.gcount());
		if (stream.eof()) _bodyConsumed = true;
	}
	catch (Poco::Exception&)
	{
	}
}


} // namespace XQueue
