// SPDX-License-Identifier: Apache-2.0
//
// HttpExchange.h
//
// One request and its response: bounded body reading, form and query parsing with
// Django's semantics, client address, cookies, and replies written in one buffer.
//


#ifndef XQueue_HttpExchange_INCLUDED
#define XQueue_HttpExchange_INCLUDED


#include "store/SessionUser.h"
#include "store/UserAccess.h"
#include "config/HttpSettings.h"
#include "http/FormData.h"
#include "http/RequestExceptions.h"
#include "Poco/Exception.h"
#include "Poco/Net/HTTPResponse.h"
#include "Poco/Net/IPAddress.h"
#include "Poco/Net/HTTPServerRequest.h"
#include "Poco/Net/HTTPServerResponse.h"
#include "Poco/Net/PartHandler.h"
#include <optional>
#include <string>
#include <string_view>
#include <vector>


namespace XQueue {


class HttpExchange
{
public:
	HttpExchange(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response, const HttpSettings& settings);

	const std::string& method() const;
	bool isMethod(const std::string& method) const;
	bool isSafeMethod() const;
		/// GET, HEAD, OPTIONS or TRACE (Django's CSRF-safe methods).

	std::string rawPath() const;
	std::string rawQuery() const;

	std::optional<std::string> queryParameter(const std::string& name) const;
		/// Last value of a query-string parameter.

	const FormData& form(Poco::Net::PartHandler* pFileParts = nullptr);
		/// The POST body as a form (urlencoded or multipart; any other content type
		/// gives an empty form, as in Django), parsed once, as it arrives. Multipart
		/// parts with a filename go to pFileParts, or are read and dropped without one.
		/// Throws RequestTooLargeException or MalformedRequestException.

	std::string clientAddress() const;
	Poco::Net::IPAddress socketAddress() const;
		/// The connected peer's address (never X-Real-IP).
	std::optional<std::string> cookie(const std::string& name) const;
	std::string header(const std::string& name) const;
		/// A request header ("" if absent).

	void addHeader(const std::string& name, const std::string& value);
	void varyOnCookie();

	void sendEnvelope(int returnCode, std::string_view content, Poco::Net::HTTPResponse::HTTPStatus status = Poco::Net::HTTPResponse::HTTP_OK);
		/// {"return_code": N, "content": "<content>"} as json.dumps writes it.
	void sendEnvelope(int returnCode, long long content);
		/// {"return_code": N, "content": <integer>}.
	void sendBody(Poco::Net::HTTPResponse::HTTPStatus status, const std::string& contentType, const std::string& body);
	void sendRedirect(Poco::Net::HTTPResponse::HTTPStatus status, const std::string& location);
	std::ostream& sendStream(const std::string& contentType, Poco::UInt64 contentLength);
		/// Sends a 200 header and returns the stream for the body (nothing is written
		/// to it for a HEAD request).

	std::string hostHeader() const;
		/// The Host header as the client sent it ("" if none).

	bool responseSent() const;
	int status() const;
		/// The status sent (0 if none yet).

	void setUser(const SessionUser& user);
	const SessionUser* user() const;
	const UserAccess& access() const;
		/// The logged-in user and what it may do, once the login gate (or a handler)
		/// authenticated the request (before that: no user, no role, nothing allowed).

	void annotate(const std::string& name, const std::string& value);
		/// Adds name=value to the request's log line (queue, submission id; never content).
	const std::vector<std::pair<std::string, std::string>>& annotations() const;

	bool bodyUnread() const;
		/// The request has a body that was not (completely) read.

	void discardBody(std::size_t maxBytes);
		/// Reads and drops what is left of the request body (at most maxBytes), so that a
		/// client still sending receives our reply instead of a connection reset. Read to
		/// its end before the reply, the body counts as consumed and the connection may
		/// stay open; otherwise it is closed after the reply.

	bool declaresTooLargeBody() const;
		/// The request's Content-Length exceeds xqueue.http.max_body_bytes.


private:
	bool requestHasBody() const;
	void checkDeclaredLength();
	std::string bodyLimitMessage() const;
	void prepareResponse(Poco::Net::HTTPResponse::HTTPStatus status);

	Poco::Net::HTTPServerRequest& _request;
	Poco::Net::HTTPServerResponse& _response;
	const HttpSettings& _settings;
	std::optional<FormData> _form;
	bool _bodyConsumed = false;
	bool _sent = false;
	std::vector<std::pair<std::string, std::string>> _extraHeaders;
	std::vector<std::pair<std::string, std::string>> _annotations;
	std::optional<SessionUser> _user;
};


} // namespace XQueue


#endif // XQueue_HttpExchange_INCLUDED
