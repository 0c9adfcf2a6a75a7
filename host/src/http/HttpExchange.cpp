//
// HttpExchange.cpp
//


#include "http/HttpExchange.h"
#include "http/BoundedInputStream.h"
#include "http/PythonJson.h"
#include "store/StoreUnavailableException.h"
#include "Poco/Net/HTMLForm.h"
#include "Poco/Net/MessageHeader.h"
#include "Poco/Net/NameValueCollection.h"
#include "Poco/Net/NetException.h"
#include "Poco/Net/NullPartHandler.h"
#include "Poco/String.h"
#include "Poco/URI.h"


namespace XQueue {


POCO_IMPLEMENT_EXCEPTION(RequestTooLargeException, Poco::RuntimeException, "Request too large")
POCO_IMPLEMENT_EXCEPTION(MalformedRequestException, Poco::RuntimeException, "Malformed request")


namespace
{
	const std::string CONTENT_TYPE_HTML = "text/html; charset=utf-8";

	void keepLast(const Poco::Net::NameValueCollection& collection, std::map<std::string, std::string>& out)
	{
		for (const auto& entry: collection) out[entry.first] = entry.second;
	}
}


HttpExchange::HttpExchange(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response, const ServerSettings& settings):
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
	catch (Poco::Exception& exc)
	{
		throw MalformedRequestException("query string: " + exc.message());
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
	if (_request.hasContentLength() && _request.getContentLength64() > static_cast<Poco::Int64>(_settings.maxBodyBytes))
		throw RequestTooLargeException(bodyLimitMessage()); // not read: the connection is closed after the reply
}


std::string HttpExchange::bodyLimitMessage() const
{
	return "Request body exceeds the limit of " + std::to_string(_settings.maxBodyBytes) + " bytes (xqueue.http.max_body_bytes)";
}


const FormData& HttpExchange::form(Poco::Net::PartHandler* pFileParts)
{
	if (_form) return *_form;
	FormData data;
	if (requestHasBody())
	{
		checkDeclaredLength();
		// Parsed as it arrives (file parts stream to pFileParts), never held whole.
		BoundedInputStream body(_request.stream(), _settings.maxBodyBytes);
		std::string mediaType;
		Poco::Net::NameValueCollection params;
		Poco::Net::MessageHeader::splitParameters(_request.getContentType(), mediaType, params);
		mediaType = Poco::toLower(Poco::trim(mediaType));
		if (mediaType == Poco::Net::HTMLForm::ENCODING_URL || mediaType == Poco::Net::HTMLForm::ENCODING_MULTIPART)
		{
			// Parse the body alone: Django's request.POST never mixes in the query string.
			Poco::Net::HTTPRequest bodyOnly(Poco::Net::HTTPRequest::HTTP_POST, "/", Poco::Net::HTTPMessage::HTTP_1_1);
			bodyOnly.setContentType(_request.getContentType());
			Poco::Net::HTMLForm parsed;
			parsed.setFieldLimit(_settings.maxFormFields);
			parsed.setValueLengthLimit(static_cast<int>(_settings.maxFieldBytes));
			Poco::Net::NullPartHandler dropFiles;
			try
			{
				parsed.load(bodyOnly, body, pFileParts ? *pFileParts : dropFiles);
			}
			catch (Poco::Net::HTMLFormException& exc)
			{
				if (body.exceeded()) throw tooLarge();
				if (exc.message().find("Too many") != std::string::npos)
					throw MalformedRequestException("Too many form fields (the limit is " + std::to_string(_settings.maxFormFields) + ", xqueue.http.max_form_fields)");
				throw RequestTooLargeException("A form field exceeds the limit of " + std::to_string(_settings.maxFieldBytes) + " bytes (xqueue.http.max_field_bytes)");
			}
			catch (Poco::FileException& exc)
			{
				// An upload could not be spooled (disk full, directory unwritable): ours, not the client's.
				throw StoreUnavailableException("cannot spool an upload: " + exc.displayText());
			}
			catch (Poco::Exception& exc)
			{
				if (body.exceeded()) throw tooLarge();
				throw MalformedRequestException("Malformed form data: " + exc.message());
			}
			keepLast(parsed, data.fields);
		}
		// What the parser left (a multipart epilogue, an unknown content type) is read
		// too, so that the connection can serve the next request.
		char buffer[16384];
		while (body.read(buffer, sizeof(buffer)) || body.gcount() > 0) {}
		if (body.exceeded()) throw tooLarge();
		_bodyConsumed = true; // only now: a body left half-read must not be taken for the next request
	}
	_form = std::move(data);
	return *_form;
}


RequestTooLargeException HttpExchange::tooLarge()
{
	return RequestTooLargeException(bodyLimitMessage());
}


std::string HttpExchange::clientAddress() const
{
	if (_settings.trustXRealIp)
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


void HttpExchange::sendRaw(Poco::Net::HTTPResponse::HTTPStatus status, const std::string& body)
{
	sendBody(status, CONTENT_TYPE_HTML, body);
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


void HttpExchange::setUser(Poco::Int64 userId, const UserAccess& access)
{
	_userId = userId;
	_access = access;
}


const UserAccess& HttpExchange::access() const
{
	return _access;
}


std::optional<Poco::Int64> HttpExchange::userId() const
{
	return _userId;
}


void HttpExchange::annotate(const std::string& name, const std::string& value)
{
	_annotations.emplace_back(name, value);
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


void HttpExchange::discardBody(std::size_t maxBytes)
{
	std::istream& stream = _request.stream();
	char buffer[65536];
	std::size_t total = 0;
	try
	{
		while (total < maxBytes && (stream.read(buffer, sizeof(buffer)) || stream.gcount() > 0))
			total += static_cast<std::size_t>(stream.gcount());
	}
	catch (Poco::Exception&)
	{
	}
}


} // namespace XQueue
