// SPDX-License-Identifier: Apache-2.0
//
// HttpPushAdapter.cpp
//


#include "HttpPushAdapter.h"
#include "ReplyDeadline.h"
#include "xqueue/sdk/UriText.hpp"
#include "xqueue/sdk/PythonJson.hpp"
#include "Poco/JSON/Object.h"
#include "Poco/JSON/Parser.h"
#include "Poco/Net/HTTPBasicCredentials.h"
#include "Poco/Net/HTTPClientSession.h"
#include "Poco/Net/HTTPRequest.h"
#include "Poco/Net/HTTPResponse.h"
#include "Poco/Net/HTTPSClientSession.h"
#include "Poco/NumberFormatter.h"
#include "Poco/Timespan.h"
#include "Poco/Timestamp.h"
#include <fcntl.h>
#include <fstream>
#include <memory>
#include <stdexcept>


namespace XQueuePlugin {


HttpPushAdapter::HttpPushAdapter(const xqueue::sdk::QueueHost& queue):
	GraderAdapter(queue),
	_timeout(queue.configSeconds("timeout")),
	_maxReplyBytes(static_cast<std::size_t>(queue.configInt("max_reply_bytes"))),
	_username(queue.config("username")),
	_password(queue.config("password"))
{
	// Its text goes into every request line: only what RFC 3986 allows (no CR/LF).
	if (!xqueue::sdk::isUriText(queue.config("url")))
		throw std::invalid_argument("url: '" + queue.config("url") + "' contains characters not allowed in a URL (RFC 3986)");
	try
	{
		_url = Poco::URI(queue.config("url"));
	}
	catch (const Poco::Exception&)
	{
		throw std::invalid_argument("url: '" + queue.config("url") + "' is not a valid URL");
	}
	if ((_url.getScheme() != "http" && _url.getScheme() != "https") || _url.getHost().empty())
		throw std::invalid_argument("url: '" + queue.config("url") + "' is not an absolute http(s) URL");
	if (_timeout <= 0) throw std::invalid_argument("timeout: must be positive");
	if (_username.empty() != _password.empty()) throw std::invalid_argument("username and password must be set together");
	const bool verify = queue.configBool("tls_verify");
	_pTlsContext = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", "", "",
		verify ? Poco::Net::Context::VERIFY_RELAXED : Poco::Net::Context::VERIFY_NONE, 9, verify);
	_pTlsContext->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
	if (!verify)
	{
		_pTlsContext->enableExtendedCertificateVerification(false);
		if (_url.getScheme() == "https")
			xqueue::sdk::Host::warning("tls_verify = false: the certificate of " + _url.getHost() + " is NOT verified (test systems only)");
	}
	if (!queue.config("signing_key_file").empty()) _signature.emplace(readSigningKey(queue.config("signing_key_file")));
}


std::string HttpPushAdapter::readSigningKey(const std::string& path)
{
	std::ifstream in(path);
	std::string key;
	if (!in || !std::getline(in, key)) throw std::invalid_argument("signing_key_file: cannot read " + path);
	while (!key.empty() && (key.back() == '\r' || key.back() == '\n')) key.pop_back();
	return key;
}


std::string HttpPushAdapter::requestBody(const std::string& body, const std::string& files)
{
	std::string out = "{\"xqueue_body\": ";
	xqueue::sdk::appendJsonString(out, body);
	out += ", \"xqueue_files\": ";
	xqueue::sdk::appendJsonString(out, files);
	out += '}';
	return out;
}


void HttpPushAdapter::grade(const xqueue::sdk::Job& job, xqueue::sdk::Completion done)
{
	PushOutcome outcome = push(job.body, job.files);
	xqueue::sdk::Host::count(outcome.graded ? "graded" : "failed");
	if (outcome.graded) done.graded(outcome.body);
	else done.failed(outcome.body);
}


PushOutcome HttpPushAdapter::push(const std::string& body, const std::string& files) const
{
	PushOutcome outcome;
	try
	{
		std::unique_ptr<Poco::Net::HTTPClientSession> pSession;
		if (_url.getScheme() == "https")
			pSession = std::make_unique<Poco::Net::HTTPSClientSession>(_url.getHost(), _url.getPort(), _pTlsContext);
		else
			pSession = std::make_unique<Poco::Net::HTTPClientSession>(_url.getHost(), _url.getPort());
		pSession->setTimeout(Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(_timeout * 1e6)));

		std::string payload = requestBody(body, files);
		std::string target = _url.getPathEtc().empty() ? "/" : _url.getPathEtc();
		Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, target, Poco::Net::HTTPMessage::HTTP_1_1);
		request.setContentLength(static_cast<std::streamsize>(payload.size()));
		request.set("User-Agent", "xqueue-cpp");
		request.set("Accept", "*/*");
		if (!_username.empty()) Poco::Net::HTTPBasicCredentials(_username, _password).authenticate(request);
		if (_signature)
		{
			const std::string id = "xqueue-push-" + std::to_string(Poco::Timestamp().epochMicroseconds()) + "-" + std::to_string(++_messages);
			const long long timestamp = Poco::Timestamp().epochTime();
			request.set(xqueue::sdk::WebhookSignature::ID_HEADER, id);
			request.set(xqueue::sdk::WebhookSignature::TIMESTAMP_HEADER, std::to_string(timestamp));
			request.set(xqueue::sdk::WebhookSignature::SIGNATURE_HEADER, _signature->sign(id, timestamp, payload));
		}
		const auto replyDeadline = std::chrono::steady_clock::now() +
			std::chrono::microseconds(static_cast<long long>(_timeout * 1e6));
		pSession->sendRequest(request) << payload;
		// Connected now (Poco connects in sendRequest): the reply, headers included, must
		// arrive within the timeout however slowly it drips.
		const int fd = pSession->socket().impl()->sockfd();
		// Not for programs the host or another plugin starts (Poco sets no O_CLOEXEC).
		::fcntl(fd, F_SETFD, ::fcntl(fd, F_GETFD) | FD_CLOEXEC);
		ReplyDeadline watch(fd, replyDeadline);

		Poco::Net::HTTPResponse response;
		std::istream& in = [&]() -> std::istream& {
			try
			{
				return pSession->receiveResponse(response);
			}
			catch (const Poco::Exception&)
			{
				if (watch.expired()) throw Poco::TimeoutException("reply deadline");
				throw;
			}
		}();
		std::string reply;
		char buffer[8192];
		// A grader dripping its reply a byte at a time must not hold the slot for ever.
		Poco::Timestamp started;
		const auto deadline = static_cast<Poco::Timestamp::TimeDiff>(_timeout * 1e6);
		for (;;)
		{
			// What is buffered, else one blocking read: a read of a whole buffer would wait
			// for the buffer to fill, past the deadline.
			std::streamsize n = in.readsome(buffer, sizeof(buffer));
			if (n <= 0)
			{
				int c = in.get();
				if (c == std::char_traits<char>::eof()) break;
				buffer[0] = static_cast<char>(c);
				n = 1;
			}
			reply.append(buffer, static_cast<std::size_t>(n));
			if (reply.size() > _maxReplyBytes)
			{
				outcome.body = "grader reply larger than " + std::to_string(_maxReplyBytes) + " bytes";
				return outcome;
			}
			if (started.isElapsed(deadline))
			{
				outcome.body = "grader reply did not arrive within " + Poco::NumberFormatter::format(_timeout) + " s";
				return outcome;
			}
		}
		if (watch.expired())
		{
			// The watchdog ended the stream: what arrived is a truncated reply.
			outcome.body = "grader reply did not arrive within " + Poco::NumberFormatter::format(_timeout) + " s";
			return outcome;
		}
		if (response.getStatus() != Poco::Net::HTTPResponse::HTTP_OK)
		{
			outcome.body = "grader answered HTTP " + std::to_string(static_cast<int>(response.getStatus()));
			return outcome;
		}
		try
		{
			Poco::JSON::Parser parser;
			if (parser.parse(reply).type() != typeid(Poco::JSON::Object::Ptr)) throw Poco::DataFormatException();
		}
		catch (const Poco::Exception&)
		{
			outcome.body = "grader reply is not a JSON object";
			return outcome;
		}
		outcome.graded = true;
		outcome.body = reply;
	}
	catch (const Poco::TimeoutException&)
	{
		outcome.body = "grader did not answer within " + std::to_string(_timeout) + " s";
	}
	catch (const Poco::Exception& exc)
	{
		outcome.body = "cannot reach the grader: " + exc.displayText();
	}
	catch (const std::exception& exc)
	{
		outcome.body = std::string("cannot reach the grader: ") + exc.what();
	}
	return outcome;
}


} // namespace XQueuePlugin
