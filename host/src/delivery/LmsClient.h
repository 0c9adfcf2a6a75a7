// SPDX-License-Identifier: Apache-2.0
//
// LmsClient.h
//
// Posts one result to an LMS callback URL the way the old server did (form-encoded
// xqueue_header + xqueue_body, python-requests encoding), through the OutboundConnector
// (vetted addresses, verified TLS, timeouts), on a connection kept from an earlier
// delivery to the same origin when there is one (LmsConnections). No redirect is followed, the response is
// read up to 64 KiB within the timeout, the Basic credentials go only to the hosts they
// belong to, and with a signing key every attempt is signed (Standard Webhooks).
//


#ifndef XQueue_LmsClient_INCLUDED
#define XQueue_LmsClient_INCLUDED


#include "delivery/LmsConnections.h"
#include "delivery/OutboundConnector.h"
#include "util/Clock.h"
#include "Poco/Net/HTTPClientSession.h"
#include "Poco/URI.h"
#include <cstddef>
#include "xqueue/sdk/WebhookSignature.hpp"
#include <optional>
#include <set>
#include <string>
#include <string_view>


namespace XQueue {


struct DeliveryAttempt
{
	bool delivered = false;  /// the LMS answered exactly HTTP 200
	bool permanent = false;  /// retrying cannot help (malformed or refused callback URL)
	std::string error;       /// why it failed, for logs and the parked reason
};


struct LmsClientOptions
{
	std::string username;            /// HTTP Basic credentials (none if empty)...
	std::string password;
	std::set<std::string> authHosts; /// ...sent only to these origins (Origin::parse: scheme://host:port)
	std::string signingKey;          /// Standard Webhooks key; empty: requests are not signed
	Micros keepAlive = 0;            /// how long a connection is kept for the next delivery (0: none)
	std::size_t keptPerOrigin = 0;   /// at most this many per LMS origin (the delivery threads)
};


class LmsClient
{
public:
	LmsClient(const OutboundConnector& connector, int timeoutSeconds, const LmsClientOptions& options);
		/// Throws std::invalid_argument for an unusable signing key.

	DeliveryAttempt post(const std::string& callbackUrl, std::string_view header, std::string_view body,
		const std::string& messageId) const;
		/// messageId is the same for every attempt of one delivery (webhook-id).

	static std::string formEncode(std::string_view header, std::string_view body);
		/// "xqueue_header=...&xqueue_body=..." exactly as python-requests encodes it.

	void closeIdleConnections() const;
		/// Closes the kept connections idle past keepAlive (the delivery threads call it
		/// when they find nothing to do).

private:
	struct Exchange
	{
		int status = 0;
		bool reusable = false; /// the reply ended cleanly and the LMS keeps the connection open
	};

	Exchange exchange(Poco::Net::HTTPClientSession& session, const Poco::URI& uri, const std::string& payload,
		const std::string& messageId, Micros attemptDeadline, bool& answered) const;
		/// One request and its reply on session; answered turns true once a status line came.

	const OutboundConnector& _connector;
	int _timeoutSeconds;
	LmsClientOptions _options;
	std::optional<xqueue::sdk::WebhookSignature> _signature;
	mutable LmsConnections _connections;
};


} // namespace XQueue


#endif // XQueue_LmsClient_INCLUDED
