// SPDX-License-Identifier: Apache-2.0
//
// LmsClient.cpp
//


#include "delivery/LmsClient.h"
#include "delivery/DestinationRefusedException.h"
#include "util/Origin.h"
#include "Poco/Net/HTTPBasicCredentials.h"
#include "Poco/Net/HTTPRequest.h"
#include "Poco/Net/HTTPResponse.h"
#include "Poco/String.h"
#include "Poco/Timestamp.h"
#include "Poco/URI.h"
#include <memory>


namespace XQueue {


namespace
{
	constexpr std::size_t MAX_RESPONSE_BYTES = 64 * 1024;

	// Every gen-delim and sub-delim, so that only A-Z a-z 0-9 - . _ ~ stay literal.
	const std::string ALL_DELIMITERS = "!#$&'()*+,/:;=?@[]";

	void appendQuotePlus(std::string& out, std::string_view value)
	{
		// Python's urllib.parse.quote_plus, which python-requests uses for form bodies.
		std::string encoded;
		Poco::URI::encode(std::string(value), ALL_DELIMITERS, encoded);
		Poco::replaceInPlace(encoded, std::string("%20"), std::string("+"));
		out += encoded;
	}
}


LmsClient::LmsClient(const OutboundConnector& connector, int timeoutSeconds, const LmsClientOptions& options):
	_connector(connector),
	_timeoutSeconds(timeoutSeconds),
	_options(options),
	_connections(connector, options.keepAlive, options.keptPerOrigin)
{
	if (!_options.signingKey.empty()) _signature.emplace(_options.signingKey);
}


std::string LmsClient::formEncode(std::string_view header, std::string_view body)
{
	std::string out = "xqueue_header=";
	appendQuotePlus(out, header);
	out += "&xqueue_body=";
	appendQuotePlus(out, body);
	return out;
}


void LmsClient::closeIdleConnections() const
{
	_connections.closeIdle();
}


DeliveryAttempt LmsClient::post(const std::string& callbackUrl, std::string_view header, std::string_view body,
	const std::string& messageId) const
{
	DeliveryAttempt attempt;
	try
	{
		const Micros attemptDeadline = Clock::now() + static_cast<Micros>(_timeoutSeconds) * MICROS_PER_SECOND;
		Poco::URI uri = OutboundConnector::parse(callbackUrl);
		const std::string payload = formEncode(header, body);
		for (;;)
		{
			LmsConnections::Connection connection = _connections.take(uri);
			bool answered = false;
			try
			{
				Exchange exchange = this->exchange(*connection.session, uri, payload, messageId, attemptDeadline, answered);
				if (exchange.status == Poco::Net::HTTPResponse::HTTP_OK)
					attempt.delivered = true;
				else
					attempt.error = "LMS answered HTTP " + std::to_string(exchange.status);
				if (exchange.reusable) _connections.keep(uri, std::move(connection.session));
				break;
			}
			catch (Poco::Exception&)
			{
				// A kept connection the LMS closed meanwhile fails before any answer: the
				// request never reached it, so it goes again (on another kept connection,
				// or a new one, whose failure ends the attempt).
				if (!connection.reused || answered) throw;
			}
		}
	}
	catch (DestinationRefusedException& exc)
	{
		attempt.permanent = true;
		attempt.error = "callback URL refused: " + exc.message();
	}
	catch (Poco::Exception& exc)
	{
		attempt.error = exc.displayText();
	}
	catch (std::exception& exc)
	{
		attempt.error = exc.what();
	}
	return attempt;
}


LmsClient::Exchange LmsClient::exchange(Poco::Net::HTTPClientSession& session, const Poco::URI& uri, const std::string& payload,
	const std::string& messageId, Micros attemptDeadline, bool& answered) const
{
	// One deadline for the whole attempt: an LMS that accepts and never answers, or
	// drips its status line and headers, costs one attempt, never a delivery thread.
	OutboundConnector::ExchangeDeadline exchangeDeadline(_connector, session, attemptDeadline);
	std::string target = uri.getPathEtc();
	if (target.empty() || target[0] != '/') target = "/" + target;
	auto fragment = target.find('#');
	if (fragment != std::string::npos) target.erase(fragment);

	Poco::Net::HTTPRequest request(Poco::Net::HTTPRequest::HTTP_POST, target, Poco::Net::HTTPMessage::HTTP_1_1);
	request.setHost(OutboundConnector::hostHeader(uri));
	request.setContentType("application/x-www-form-urlencoded");
	request.setContentLength(static_cast<std::streamsize>(payload.size()));
	request.set("User-Agent", "xqueue-cpp");
	request.set("Accept", "*/*");
	request.setKeepAlive(session.getKeepAlive()); // "Keep-Alive" when LmsConnections keeps it, else "close"
	// The old server sent its one set of credentials to whatever host a client named.
	// Bound to scheme, host and port: never over clear http unless an entry says http.
	if (!_options.username.empty() && _options.authHosts.count(Origin::of(uri)) > 0)
		Poco::Net::HTTPBasicCredentials(_options.username, _options.password).authenticate(request);
	if (_signature)
	{
		long long timestamp = Poco::Timestamp().epochTime();
		request.set(xqueue::sdk::WebhookSignature::ID_HEADER, messageId);
		request.set(xqueue::sdk::WebhookSignature::TIMESTAMP_HEADER, std::to_string(timestamp));
		request.set(xqueue::sdk::WebhookSignature::SIGNATURE_HEADER, _signature->sign(messageId, timestamp, payload));
	}
	std::ostream& requestBody = session.sendRequest(request);
	requestBody.write(payload.data(), static_cast<std::streamsize>(payload.size()));

	// Only the status matters; a body is read (so the LMS sees a clean close) up to a
	// cap and a deadline, so a huge or dripping reply cannot hold a delivery thread.
	Poco::Net::HTTPResponse response;
	std::istream& responseBody = session.receiveResponse(response);
	answered = true;
	Poco::Timestamp started;
	const Poco::Timestamp::TimeDiff deadline = static_cast<Poco::Timestamp::TimeDiff>(_timeoutSeconds) * 1000000;
	char buffer[4096];
	std::size_t total = 0;
	bool ended = false;
	while (total < MAX_RESPONSE_BYTES && !started.isElapsed(deadline))
	{
		// What is buffered, else one blocking read (a whole-buffer read would wait
		// for the buffer to fill, past the deadline).
		std::streamsize n = responseBody.readsome(buffer, sizeof(buffer));
		if (n <= 0 && responseBody.get() == std::char_traits<char>::eof())
		{
			ended = true;
			break;
		}
		total += static_cast<std::size_t>(n > 0 ? n : 1);
	}
	Exchange exchange;
	exchange.status = static_cast<int>(response.getStatus());
	// Kept only when the reply ended where its framing said, and the LMS keeps it open.
	exchange.reusable = ended && response.getKeepAlive() && Clock::now() < attemptDeadline &&
		(response.getChunkedTransferEncoding() || response.hasContentLength());
	return exchange;
}


} // namespace XQueue
